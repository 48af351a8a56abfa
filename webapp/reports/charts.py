"""Chart specs as plain data, and the CSV of exactly what a chart plots.

A `Chart` carries the rows it plots (with their header) and the Plotly traces
built from them; `_chart.html` embeds `chart.figure()` as JSON and
`static/reports.js` draws it. Specs are plain dicts: building
`plotly.graph_objects.Figure` per request costs milliseconds, so only the
tests validate specs through it.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import Response

from webapp.services.analytics.csvsafe import write_rows

NO_ROLLUPS = "No rollups yet for this range: run `flask --app wsgi analytics refresh`."
SEQUENTIAL = [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]]  # light = few, dark = many
NO_GROUPS = "You do not teach any study group yet, so there is nothing to show."


@dataclass
class Chart:
    """One figure of a report: its data rows, its traces and how to label them."""

    id: str
    title: str
    header: Sequence[str]
    rows: list[Sequence[Any]]
    traces: list[dict[str, Any]]
    x_title: str = ""
    y_title: str = ""
    empty_message: str = NO_ROLLUPS
    layout: dict[str, Any] = field(default_factory=dict)
    csv_url: str = ""
    height: int = 320
    # Rows exist but hold nothing to draw (e.g. every average is blank): show the message instead.
    no_values: bool = False

    @property
    def is_empty(self) -> bool:
        """Whether there is nothing to plot."""
        return not self.rows or self.no_values

    def figure(self) -> dict[str, Any]:
        """Return the Plotly figure (data and layout) as plain data."""
        # The card around the figure shows the title; the legend sits above the plot.
        layout = {
            "xaxis": {"title": {"text": self.x_title}, "automargin": True},
            "yaxis": {"title": {"text": self.y_title}, "automargin": True},
            "height": self.height,
            "margin": {"l": 60, "r": 30, "t": 30, "b": 50},
            "hovermode": "closest",
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        }
        for key, value in self.layout.items():
            if isinstance(value, dict) and isinstance(layout.get(key), dict):
                layout[key] = {**layout[key], **value}
            else:
                layout[key] = value
        return {"data": self.traces, "layout": layout}


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
        "type": "scatter", "mode": "lines+markers", "name": name,
        "x": column(rows, x), "y": column(rows, y), "hovertemplate": hover + "<extra></extra>", **extra,
    }  # fmt: skip


def bar(rows: Sequence[Sequence[Any]], x: int, y: int, name: str, hover: str, **extra: Any) -> dict:
    """Return a bar trace of column y against column x."""
    return {
        "type": "bar", "name": name, "x": column(rows, x), "y": column(rows, y),
        "hovertemplate": hover + "<extra></extra>", **extra,
    }  # fmt: skip


def heatmap(x: list, y: list, z: list[list], name: str, hover: str, **extra: Any) -> dict:
    """Return a heatmap trace (z[row][col] for y[row], x[col])."""
    return {
        "type": "heatmap", "name": name, "x": x, "y": y, "z": z, "colorscale": SEQUENTIAL,
        "hovertemplate": hover + "<extra></extra>", **extra,
    }  # fmt: skip


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
