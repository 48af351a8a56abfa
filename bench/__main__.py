"""`python -m bench` (or `make bench`): build datasets, measure, print tables, write bench/RESULTS.md."""

import argparse
import os
import sys
import time
import traceback
from datetime import date, timedelta
from pathlib import Path

from bench import machine, measures
from bench.apps import quiet_request_log
from bench.datasets import CACHE, Builder
from bench.measures import Section
from bench.stats import markdown_table
from bench.targets import evaluate, scale_targets
from webapp.config import normalise_database_url

HERE = Path(__file__).resolve().parent
ALL_MEASURES = ("seed", "pages", "admin", "refresh", "jobs", "load", "weight", "ingest")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "--sizes", default=os.environ.get("SIZES", "small medium"), help="e.g. 'small medium large'"
    )
    parser.add_argument("--backends", default=os.environ.get("BACKENDS", "sqlite postgresql"))
    parser.add_argument(
        "--measures", default=" ".join(ALL_MEASURES), help=f"any of: {' '.join(ALL_MEASURES)}"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--end-date",
        type=date.fromisoformat,
        default=date.today() - timedelta(days=1),
        help="last day of the demo (default yesterday, as `demo seed`)",
    )
    parser.add_argument(
        "--repeats", type=int, default=15, help="timed runs per page (median and p95 over them)"
    )
    parser.add_argument("--refresh-repeats", type=int, default=3)
    parser.add_argument("--load-seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--load-sizes", default=None, help="sizes to load-test (default: the largest given)")
    parser.add_argument(
        "--ingest-batches", type=int, default=40, help="batches of 500 events per ingest client"
    )
    parser.add_argument(
        "--ingest-workers", type=int, default=4, help="gunicorn workers for the ingest measure"
    )
    parser.add_argument("--postgres-url", default=None, help="server for the bench databases")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    return parser.parse_args(argv)


def postgres_url(given: str | None) -> str | None:
    """Pick the PostgreSQL server: --postgres-url, BENCH_POSTGRES_URL, DATABASE_URL, TEST_DATABASE_URL."""
    for url in (given, os.environ.get("BENCH_POSTGRES_URL"), os.environ.get("DATABASE_URL"),
                os.environ.get("TEST_DATABASE_URL")):  # fmt: skip
        if url and url.startswith(("postgres://", "postgresql")):
            return normalise_database_url(url)
    return None


def sections() -> dict[str, Section]:
    return {
        "seed": Section(
            "`demo seed` throughput",
            ["size", "backend", "rows", "seconds (wall)", "rows/s (wall)", "rows/s (reported)", "derived"],
        ),
        "pages": Section(
            "Report pages and overview: server time (ms)",
            [
                "page",
                "size",
                "backend",
                "teacher median",
                "teacher p95",
                "operator median",
                "operator p95",
                "cached median",
            ],
        ),
        "admin": Section(
            "Admin list pages, operator: server time (ms)",
            ["page", "size", "backend", "median", "p95", "SQL statements"],
        ),
        "refresh": Section(
            "`analytics refresh` against a raw GROUP BY day (ms)",
            [
                "size",
                "backend",
                "GROUP BY median",
                "GROUP BY p95",
                "full median",
                "full p95",
                "full / GROUP BY",
                "default (a new day) median",
                "default p95",
                "one day median",
                "one day p95",
                "write floor (x GROUP BY)",
            ],
        ),
        "jobs_day": Section(
            "Jobs: one day of activity ingested, then the time until every figure and rollup is current (s)",
            [
                "size",
                "backend",
                "learners active",
                "raw rows written",
                "write",
                "engine update",
                "analytics refresh",
                "until current",
            ],
        ),
        "jobs_engine": Section(
            "Jobs: the engine update's cost for 1% and 100% of learners changed (s)",
            ["size", "backend", "changed", "learners", "engine update", "ms per learner", "full recompute"],
        ),
        "load": Section(
            "Throughput under load: gunicorn, 2 workers, loopback",
            ["target", "size", "backend", "req/s", "requests", "errors", "p50 ms", "p99 ms", "generator"],
        ),
        "weight": Section(
            "Page weight: Chromium at 390x844 on 1.6 Mbps down, 150 ms RTT (teacher, gunicorn)",
            ["page", "visit", "requests", "transferred (KB)", "last chart (s)", "charts", "target"],
        ),
        "ingest": Section(
            "Ingest API: gunicorn on a fresh database, clients sending batches of session events at once",
            [
                "backend",
                "workers",
                "clients",
                "batch",
                "events",
                "seconds",
                "events/s",
                "p50 ms",
                "p99 ms",
                "errors",
            ],
        ),
        "roster": Section(
            "Roster import of 10,000 CSV rows (learners in 250 groups), in-process",
            ["backend", "dry run s", "apply s", "re-import s", "rows created", "re-import unchanged"],
        ),
    }


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    sizes, wanted = args.sizes.split(), set(args.measures.split())
    pg = postgres_url(args.postgres_url)
    backends = [b for b in args.backends.split() if b != "postgresql" or pg]
    skipped = ["PostgreSQL skipped: no URL (set BENCH_POSTGRES_URL or DATABASE_URL)"] if len(backends) < len(
        args.backends.split()) else []  # fmt: skip
    load_sizes = args.load_sizes.split() if args.load_sizes else sizes[-1:]
    quiet_request_log(CACHE / "request-log.jsonl")
    about = machine.describe(pg)
    print(markdown_table(["machine", ""], about), flush=True)
    results = sections()
    commands = available_commands()
    builder = Builder(
        args.seed, args.end_date, pg, commands, log=lambda m: print(m, file=sys.stderr, flush=True)
    )
    started = time.monotonic()
    for backend in backends:
        for size in sizes if wanted - {"ingest"} else ():  # the ingest measure makes its own database
            run_one(args, results, builder, backend, size, wanted, load_sizes)
        if "ingest" in wanted:
            run_ingest(args, results, builder, backend)
    write(args, results, about, skipped, time.monotonic() - started)
    return 0


def run_one(args, results, builder, backend, size, wanted, load_sizes) -> None:
    """Run every wanted measure on one dataset; a failing measure becomes a note."""
    print(f"\n== {size} on {backend} (load {machine.load_average()})", file=sys.stderr, flush=True)
    try:
        ds = builder.get(backend, size)
    except Exception as exc:  # a benchmark reports, it does not stop
        results["seed"].notes.append(f"{size} / {backend}: dataset not built: {exc}")
        return
    steps = {
        "seed": lambda: measures.seed(results["seed"], ds),
        "pages": lambda: measures.report_pages(results["pages"], ds, args.repeats),
        "admin": lambda: measures.admin_lists(results["admin"], ds, args.repeats),
        "refresh": lambda: measures.analytics_refresh(results["refresh"], ds, builder, args.refresh_repeats),
        "jobs": lambda: measures.jobs_measures(results, ds, builder),
        "load": lambda: measures.under_load(results["load"], ds, CACHE, args.load_seconds, args.connections),
        "weight": lambda: measures.page_weight(results["weight"], ds, CACHE),
    }
    for name, step in steps.items():
        if name not in wanted or (name == "load" and size not in load_sizes):
            continue
        print(f"   {name} ...", file=sys.stderr, flush=True)
        try:
            step()
        except Exception as exc:
            traceback.print_exc()
            section = results.get(name) or results["jobs_day"]
            section.notes.append(f"{ds.label}: failed: {type(exc).__name__}: {str(exc)[:300]}")


def run_ingest(args, results, builder, backend) -> None:
    """The ingest API under concurrent clients, and a 10,000-row roster import, on fresh databases."""
    print(f"   ingest on {backend} ...", file=sys.stderr, flush=True)
    for name, step in (
        ("ingest", lambda: measures.ingest(results["ingest"], builder, backend, CACHE, args)),
        ("roster", lambda: measures.roster_import(results["roster"], builder, backend)),
    ):
        try:
            step()
        except Exception as exc:  # a benchmark reports, it does not stop
            traceback.print_exc()
            results[name].notes.append(f"{backend}: failed: {type(exc).__name__}: {str(exc)[:300]}")


def available_commands() -> set[str]:
    """Return the 'group command' names of this build's flask CLI."""
    import click

    from bench.apps import make_app

    app = make_app("sqlite://")
    return {
        f"{name} {sub}" if sub else name
        for name, group in app.cli.commands.items()
        for sub in (list(group.commands) if isinstance(group, click.Group) else [None])
    }


def write(args, results: dict[str, Section], about, skipped: list[str], seconds: float) -> None:
    """Print every table and write them, the targets and the findings to RESULTS.md."""
    run = (
        f"on {date.today()} in {seconds / 60:.0f} min: sizes `{args.sizes}`, seed {args.seed}, "
        f"demo ending {args.end_date}, {args.repeats} timed runs per page."
    )
    intro = (
        f"Generated by `make bench` {run} Times are medians and 95th percentiles of server time "
        "in-process unless said otherwise."
    )
    # A partial run (`--measures weight`) keeps the tables of the measures it did not take.
    kept = previous_blocks(args.out)
    if set(args.measures.split()) != set(ALL_MEASURES) and kept.get(""):
        intro = f"{kept['']}\n\nUpdated by `make bench BENCH_ARGS=\"--measures '{args.measures}'\"` {run}"
    parts = ["# Benchmark results", intro, markdown_table(["machine", ""], about)]
    parts += [f"> {note}" for note in skipped]
    for section in results.values():
        body = markdown_table(section.headers, section.rows) if section.rows else "_nothing measured_"
        notes = "\n".join(f"- {note}" for note in section.notes)
        block = f"## {section.title}\n\n{body}" + (f"\n\nNotes:\n\n{notes}" if notes else "")
        if not section.rows and not section.notes and section.title in kept:
            block = kept[section.title]
        print("\n" + block, flush=True)
        parts.append(block)
    targets = evaluate(results)
    title = "Targets (issues 6 and 12)"
    table = markdown_table(["target", "backend", "size", "result"], targets) if targets else None
    block = f"## {title}\n\n" + (table or "_no target could be evaluated_")
    block = kept.get(title, block) if not targets else block
    print("\n" + block, flush=True)
    parts.append(block)
    title = "Targets (issue 14: scale), each beside its same-run reference"
    # A partial run keeps the earlier rows of the measures it did not take.
    ran = set(args.measures.split())
    earlier = [row for row in table_rows(kept.get(title, "")) if measure_of(row[0]) not in ran]
    scale = scale_targets(results) + earlier
    headers = ["target", "backend", "size", "measured", "reference", "result"]
    table = markdown_table(headers, scale) if scale else "_no target could be evaluated_"
    block = f"## {title}\n\n{table}"
    print("\n" + block, flush=True)
    parts.append(block)
    findings = HERE / "FINDINGS.md"
    if findings.exists():
        parts.append(findings.read_text().strip())
    args.out.write_text("\n\n".join(parts) + "\n")
    print(f"\nwrote {args.out}", file=sys.stderr)


def table_rows(block: str) -> list[list[str]]:
    """The body rows of the Markdown table in a block, as cells."""
    lines = [line for line in block.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in lines[1:]]


def measure_of(target: str) -> str:
    """Which measure gives an issue 14 target row."""
    if "refresh" in target:
        return "refresh"
    if target.startswith("report pages"):
        return "pages"
    if target.startswith("admin"):
        return "admin"
    return "seed"


def previous_blocks(path: Path) -> dict[str, str]:
    """Return the "## " blocks of an earlier RESULTS.md by title, its introduction under ""."""
    if not path.exists():
        return {}
    head, *chunks = ("\n" + path.read_text()).split("\n## ")
    # The introduction: the paragraphs between the title and the machine table.
    intro = head.split("\n| machine")[0].replace("# Benchmark results", "").strip()
    blocks: dict[str, str] = {"": intro}
    for chunk in chunks:
        title = chunk.split("\n", 1)[0].strip()
        blocks.setdefault(title, "## " + chunk.strip())
    return blocks


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
