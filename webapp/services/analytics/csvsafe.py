"""CSV output that spreadsheets cannot mistake for formulas.

Every cell of every CSV the app writes (report downloads and admin exports)
goes through `neutralise`: numbers stay numbers, everything else becomes text,
and text that a spreadsheet would evaluate (a leading `=`, `+`, `-`, `@`, tab
or line break, also after spaces) gets a leading apostrophe, which spreadsheets
show as text and do not run. Related records count too: a learner named
`=HYPERLINK(...)` is text wherever their name lands.
"""

import csv
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import IO, Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
_FORMULA_STARTS = "".join(FORMULA_PREFIXES)
_PLAIN_VALUES = (int, float, Decimal, date, datetime, time)


def neutralise(value: Any) -> Any:
    """Return a cell value: numbers and dates as they are, anything else as text that cannot run."""
    if type(value) is str:  # the common case first: exports write millions of cells
        text = value
    elif value is None:
        return ""
    elif isinstance(value, _PLAIN_VALUES) and not isinstance(value, bool):
        return value
    else:
        text = str(value)
    first = text[:1]
    if first == " ":
        first = text.lstrip(" ")[:1]
    if first and first in _FORMULA_STARTS:
        return "'" + text
    return text


def write_rows(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a header and rows as CSV, every cell neutralised."""
    writer = csv.writer(handle)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
