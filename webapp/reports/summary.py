"""A chart's text alternative: one line saying what each plotted series shows.

Derived from the traces themselves (the values a chart plots, with the names
its legend shows), so every chart gets one without writing it by hand: a time
series says its latest value and its range, categories their highest and
lowest, a heatmap its highest and lowest cell. `_figure.html` puts it in the
figure's caption, after the title.
"""

import math
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from webapp.i18n import N_, day_text, flexible, tr
from webapp.reports import bp
from webapp.reports.charts import Chart

MAX_SERIES = 3  # one line: past this, the rest are counted
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")

# The sentences, in one place (they are what a translation replaces).
SERIES = N_("{name}: {latest} on {when} (latest), lowest {low}, highest {high}")
CATEGORIES = N_("{name}: highest {high} ({high_at}), lowest {low} ({low_at})")
SINGLE = N_("{name}: {value} ({at})")
NOTHING = N_("{name}: no values")
MORE = N_("and {count} more series")


def number(value: float) -> str:
    """Format a figure the way the charts' hover labels do: grouped for the locale, at most 2 decimals."""
    return flexible(value)


def _day(iso: str) -> str:
    """An ISO day as the pages write it in the request's language."""
    return day_text(date.fromisoformat(iso))


def _is_value(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _points(trace: dict[str, Any]) -> list[tuple[Any, float]]:
    """Return (label, value) pairs of a bar or line trace, blanks left out."""
    if trace.get("orientation") == "h":
        values, labels = trace.get("x") or [], trace.get("y") or []
    else:
        values, labels = trace.get("y") or [], trace.get("x") or []
    return [(label, value) for label, value in zip(labels, values, strict=False) if _is_value(value)]


def _cells(trace: dict[str, Any]) -> list[tuple[str, float]]:
    """Return ("row, column", value) for every filled cell of a heatmap trace."""
    xs, ys = trace.get("x") or [], trace.get("y") or []
    cells = []
    for i, row in enumerate(trace.get("z") or []):
        for j, value in enumerate(row or []):
            if _is_value(value):
                row_label = ys[i] if i < len(ys) else i
                col_label = xs[j] if j < len(xs) else j
                cells.append((f"{row_label}, {col_label}", value))
    return cells


def describe(trace: dict[str, Any]) -> str:
    """Return one clause about one trace."""
    name = trace.get("name") or ""
    points = _cells(trace) if trace.get("type") == "heatmap" else _points(trace)
    if not points:
        return tr(NOTHING).format(name=name)
    if len(points) == 1:
        label, value = points[0]
        return tr(SINGLE).format(name=name, value=number(value), at=label)
    low, high = min(points, key=lambda p: p[1]), max(points, key=lambda p: p[1])
    span = {"name": name, "low": number(low[1]), "high": number(high[1])}
    if trace.get("type") != "heatmap" and all(ISO_DAY.match(str(label)) for label, _ in points):
        when, value = max(points, key=lambda p: str(p[0]))
        return tr(SERIES).format(latest=number(value), when=_day(str(when)[:10]), **span)
    return tr(CATEGORIES).format(high_at=high[0], low_at=low[0], **span)


def summarize(traces: Sequence[dict[str, Any]]) -> str:
    """Return one line about what the traces show (the first few series, then a count)."""
    clauses = [describe(trace) for trace in traces[:MAX_SERIES]]
    if len(traces) > MAX_SERIES:
        clauses.append(tr(MORE).format(count=len(traces) - MAX_SERIES))
    return "; ".join(clauses) + "."


@bp.app_template_filter("chart_summary")
def chart_summary(chart: Chart) -> str:
    """Return the one-line summary of a chart, for its caption."""
    return summarize(chart.traces)
