"""Timing and tables: medians and 95th percentiles over repeated runs, as Markdown."""

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """Repeated measurements of one thing, in milliseconds."""

    samples: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        """Nearest-rank 95th percentile."""
        ordered = sorted(self.samples)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def time_ms(fn: Callable[[], object]) -> float:
    """Return how long one call of fn takes, in milliseconds."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def repeat(fn: Callable[[], object], repeats: int, warmup: int = 1) -> Timing:
    """Time fn repeats times after warmup untimed calls."""
    for _ in range(warmup):
        fn()
    return Timing(tuple(time_ms(fn) for _ in range(repeats)))


def ms(value: float | None) -> str:
    """Format milliseconds for a table."""
    if value is None:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Render a Markdown table (numbers right-aligned)."""
    cells = [[str(c) for c in row] for row in rows]
    numeric = [all(_numeric(row[i]) for row in cells) and bool(cells) for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |"]
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    lines.extend("| " + " | ".join(row) + " |" for row in cells)
    return "\n".join(lines)


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace(".", "").replace("x", "").replace("%", "").lstrip("-")
    return stripped.isdigit() or text == "-"
