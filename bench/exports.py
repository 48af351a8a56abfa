"""`python -m bench.exports`: admin CSV exports read to their end, rows per second and peak memory.

    .venv/bin/python -m bench.exports --sizes "small medium" --backends "sqlite postgresql"

Uses the cached demo datasets of `make bench` (bench/datasets.py). For each of
the largest admin tables it times one whole export as the demo operator
(in-process, the body read to its last byte; wall time, and the app's own CPU
time, which a busy shared machine disturbs less), then reads it once more under
tracemalloc for the peak of Python memory: a streamed export's peak stays the
same however many rows it writes. Prints a Markdown table; it never fails on a
time.
"""

import argparse
import os
import sys
import time
import tracemalloc
from datetime import date, timedelta

from bench.apps import logged_in, make_app, quiet_request_log
from bench.datasets import CACHE, Builder
from bench.measures import dispose
from bench.stats import markdown_table
from webapp.config import normalise_database_url

ENDPOINTS = (
    "sessionevent",
    "attentionspan",
    "behaviorevent",
    "pointstransaction",
    "learningsession",
    "dailylogin",
)
HEADERS = ["export", "size", "backend", "rows", "seconds", "rows/s", "rows per app CPU s", "MB written"]
HEADERS.append("peak Python MB")


def read_export(client, endpoint: str) -> tuple[int, int]:
    """GET one export and read it to the end; return (rows, bytes)."""
    response = client.get(f"/admin/{endpoint}/export/csv/")
    try:
        if response.status_code != 200:
            raise RuntimeError(f"{endpoint}: HTTP {response.status_code}")
        size = lines = 0
        for chunk in response.response:
            size += len(chunk)
            lines += chunk.count(b"\n") if isinstance(chunk, bytes) else chunk.count("\n")
        return lines - 1, size
    finally:
        response.close()


def measure(url: str, size: str, backend: str) -> list[list]:
    """Time and weigh each export of one dataset."""
    app = make_app(url)
    app.config["ADMIN_EXPORT_MAX_ROWS"] = 10**9  # measure whole tables, even past the served limit
    rows = []
    try:
        client = logged_in(app, "operator")
        for endpoint in ENDPOINTS:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                count, written = read_export(client, endpoint)
            except RuntimeError as exc:  # a benchmark reports, it does not stop
                rows.append([endpoint, size, backend, str(exc), "-", "-", "-", "-", "-"])
                continue
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            tracemalloc.start()
            read_export(client, endpoint)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            rows.append([endpoint, size, backend, f"{count:,}", f"{seconds:.2f}", f"{count / seconds:,.0f}",
                         f"{count / cpu:,.0f}", f"{written / 1e6:.1f}", f"{peak / 1e6:.1f}"])  # fmt: skip
            print(" | ".join(rows[-1]), file=sys.stderr, flush=True)
    finally:
        dispose(app)
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exports", description=__doc__)
    parser.add_argument("--sizes", default="small")
    parser.add_argument("--backends", default="sqlite postgresql")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--end-date", type=date.fromisoformat, default=date.today() - timedelta(days=1))
    args = parser.parse_args(argv)
    pg = next((normalise_database_url(u) for u in (os.environ.get("BENCH_POSTGRES_URL"),
               os.environ.get("DATABASE_URL"), os.environ.get("TEST_DATABASE_URL")) if u), None)  # fmt: skip
    quiet_request_log(CACHE / "request-log.jsonl")
    commands = {"demo seed", "analytics refresh", "gamification recompute"}
    builder = Builder(args.seed, args.end_date, pg, commands, log=lambda m: print(m, file=sys.stderr))
    table = []
    for backend in args.backends.split():
        if backend == "postgresql" and not pg:
            print("PostgreSQL skipped: set BENCH_POSTGRES_URL", file=sys.stderr)
            continue
        for size in args.sizes.split():
            dataset = builder.get(backend, size)
            table += measure(dataset.url, size, backend)
    print(markdown_table(HEADERS, table))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
