"""Figures as plain data, and the CSV of exactly what a figure shows.

A `Chart` is one figure of a report: a Plotly plot, a table, a row of KPI tiles or a list of
facts. It carries the rows it shows (with their header: the CSV) and, for plots, the traces
built from them; `_figure.html` renders it and `static/reports.js` draws the plots. Specs are
plain dicts: building `plotly.graph_objects.Figure` per request costs milliseconds, so only
the tests validate specs through it.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import Response

from webapp.services.analytics.csvsafe import write_rows

SEQUENTIAL = [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]]  # light = few, dark = many
PARTIAL_DASH = "dot"


@dataclass(frozen=True)
class Column:
    """A column of a table figure: its CSV name, its heading and how its cells read."""

    key: str
    label: str
    kind: str = "text"  # text | number | percent | label (stored words, translated) | learner (a link)
    digits: int = 0  # decimals of a number
    hidden: bool = False  # in the CSV only (e.g. the learner id behind a link)
    link: str | None = None  # for kind "learner": the key of the column holding the learner id


@dataclass
class Chart:
    """One figure of a report: its rows, how to draw or list them, and what it means."""

    id: str
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]
    traces: list[dict[str, Any]] = field(default_factory=list)
    definition: tuple[str, ...] = ()
    kind: str = "plot"  # plot | table | tiles | facts
    columns: tuple[Column, ...] = ()
    x_title: str = ""
    y_title: str = ""
    empty_message: str = ""
    note: str = ""  # a line under the title, e.g. which day a table is as of
    layout: dict[str, Any] = field(default_factory=dict)
    csv_url: str = ""
    height: int = 320
    # Rows exist but hold nothing to draw (e.g. every average is blank): show the message instead.
    no_values: bool = False
    width: str = "half"  # how much of a page row the figure takes: half | full
    drill: str = ""  # a report key: a click on a day opens that report for the day
    drill_url: str = ""
    # Anything a template needs beyond the rows (tiles, the page of a table...).
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to show."""
        return not self.rows or self.no_values

    def figure(self) -> dict[str, Any]:
        """Return the Plotly figure (data and layout) as plain data."""
        # The card around the figure shows the title; the legend sits above the plot.
        layout = {
            "xaxis": {"title": {"text": self.x_title}, "automargin": True},
            # Numeric ticks with thousands separators ("1,500"); category and date axes ignore it.
            "yaxis": {"title": {"text": self.y_title}, "automargin": True, "tickformat": ",~f"},
            "height": self.height,
            "margin": {"l": 60, "r": 30, "t": 30, "b": 50},
            "hovermode": "closest",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
            "separators": ".,",
        }
        for key, value in self.layout.items():
            if isinstance(value, dict) and isinstance(layout.get(key), dict):
                layout[key] = {**layout[key], **value}
            else:
                layout[key] = value
        return {"data": self.traces, "layout": layout}

    def cells(self) -> list[list[tuple[Column, Any, Any]]]:
        """The visible cells of a table, row by row: (column, value, link id)."""
        index = {c.key: i for i, c in enumerate(self.columns)}
        out = []
        for row in self.rows:
            out.append(
                [
                    (c, row[i], row[index[c.link]] if c.link else None)
                    for i, c in enumerate(self.columns)
                    if not c.hidden
                ]
            )
        return out


def table(id: str, title: str, columns: Sequence[Column], rows: list[Sequence[Any]], **kw: Any) -> Chart:
    """A table figure: its CSV header is the columns' keys."""
    return Chart(
        id=id,
        title=title,
        header=[c.key for c in columns],
        rows=rows,
        columns=tuple(columns),
        kind="table",
        **kw,
    )


def all_blank(rows: Sequence[Sequence[Any]], index: int) -> bool:
    """Whether column index of rows holds no figure at all (only blanks or zeros)."""
    return not any(row[index] for row in rows)


def column(rows: Sequence[Sequence[Any]], index: int) -> list[Any]:
    """Return one column of rows, dates as ISO text (JSON and Plotly both read it)."""
    out = []
    for row in rows:
        value = row[index]
        out.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return out


def line(rows: Sequence[Sequence[Any]], x: int, y: int, name: str, hover: str, **extra: Any) -> dict:
    """Return a line trace of column y against column x."""
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": name,
        "x": column(rows, x),
        "y": column(rows, y),
        "hovertemplate": hover + "<extra></extra>",
        **extra,
    }


def _first_partial(rows: Sequence[Sequence[Any]], x: int, partial_from: date | None) -> int:
    """The index of the first row on or after partial_from (len(rows): none)."""
    if partial_from is None:
        return len(rows)
    return next((i for i, row in enumerate(rows) if row[x] >= partial_from), len(rows))


def series(
    rows: Sequence[Sequence[Any]],
    x: int,
    y: int,
    name: str,
    hover: str,
    partial_from: date | None,
    partial_hover: str = "",
    **extra: Any,
) -> list[dict]:
    """A day series as one line, with the days from partial_from on as a dotted "so far" line.

    The dotted part starts at the last complete day so that the two parts join; it has no
    legend entry of its own. Per-row extras (customdata, text) are cut with the rows.
    """
    cut = _first_partial(rows, x, partial_from)
    per_row = {k: v for k, v in extra.items() if isinstance(v, list) and len(v) == len(rows)}
    fixed = {k: v for k, v in extra.items() if k not in per_row}

    def part(lo: int, hover_text: str, **more: Any) -> dict:
        hi = cut if lo == 0 else len(rows)
        cells = {k: v[lo:hi] for k, v in per_row.items()}
        return line(rows[lo:hi], x, y, name, hover_text, legendgroup=name, **fixed, **cells, **more)

    complete = part(0, hover)
    if cut == len(rows):
        return [complete]
    dotted = {**fixed.get("line", {}), "dash": PARTIAL_DASH}
    fixed.pop("line", None)
    partial = part(max(cut - 1, 0), partial_hover or hover, showlegend=False, line=dotted)
    partial["marker"] = {"symbol": "circle-open"}
    return [complete, partial]


def bar(rows: Sequence[Sequence[Any]], x: int, y: int, name: str, hover: str, **extra: Any) -> dict:
    """Return a bar trace of column y against column x."""
    return {
        "type": "bar",
        "name": name,
        "x": column(rows, x),
        "y": column(rows, y),
        "hovertemplate": hover + "<extra></extra>",
        **extra,
    }


def heatmap(x: list, y: list, z: list[list], name: str, hover: str, **extra: Any) -> dict:
    """Return a heatmap trace (z[row][col] for y[row], x[col])."""
    return {
        "type": "heatmap",
        "name": name,
        "x": x,
        "y": y,
        "z": z,
        "colorscale": SEQUENTIAL,
        "hovertemplate": hover + "<extra></extra>",
        **extra,
    }


def csv_text(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Return header and rows as CSV text, formula-like cells neutralised."""
    handle = io.StringIO()
    write_rows(handle, header, ([column([r], i)[0] for i in range(len(r))] for r in rows))
    return handle.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Response:
    """Return a CSV download of rows (formula cells neutralised)."""
    response = Response(csv_text(header, rows), mimetype="text/csv")
    safe = "".join(ch for ch in filename if ch.isalnum() or ch in "-_.") or "chart.csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{safe}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
