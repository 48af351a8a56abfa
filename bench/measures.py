"""The measures, one function each: they return table rows and notes, never raise on slowness."""

from dataclasses import dataclass, field

from bench import ingest as ingest_bench
from bench import jobs, load, pages, refresh, weight
from bench.apps import PASSWORDS, logged_in, make_app
from bench.datasets import Builder, Dataset
from bench.stats import ms
from webapp.extensions import db


@dataclass
class Section:
    """One measure: a table and what was skipped, with why."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    data: list[dict] = field(default_factory=list)  # raw figures, for the targets


def dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def seed(section: Section, ds: Dataset) -> None:
    """demo seed throughput, as recorded when the dataset was built."""
    info = ds.info
    rows, seconds = info.get("rows_in_database", 0), info.get("seed_seconds", 0)
    wall = rows / seconds if seconds else 0
    reported = info.get("reported_rows_per_s")
    derived = (
        f"{info['derived_rows']:,} in {info['derived_seconds']:.1f} s" if "derived_rows" in info else "-"
    )
    section.rows.append(
        [
            ds.size,
            ds.backend,
            f"{rows:,}",
            f"{seconds:.1f}",
            f"{wall:,.0f}",
            f"{reported:,}" if reported else "-",
            derived,
        ]
    )
    section.data.append({"size": ds.size, "backend": ds.backend, "wall_rps": wall, "reported_rps": reported})


def report_pages(section: Section, ds: Dataset, repeats: int) -> None:
    """Server time of the overview and every report page, as a teacher and an operator."""
    cold, warm = make_app(ds.url), make_app(ds.url, cache="SimpleCache")
    try:
        learner = pages.teacher_learner(cold, PASSWORDS["teacher1"][0])
        found = pages.report_pages(cold, learner)
        if len(found) <= 1 and not any(r.endpoint.startswith("reports.") for r in cold.url_map.iter_rules()):
            section.notes.append(f"{ds.label}: no `reports` blueprint in this build; only `/` tried")
        clients = {who: logged_in(cold, who) for who in ("teacher1", "operator")}
        cached = logged_in(warm, "teacher1")
        for page in found:
            figures = {}
            for who, client in clients.items():
                figures[who] = pages.time_page(client, page.url, repeats)
            _, warm_t = pages.time_page(cached, page.url, repeats)
            statuses = {who: status for who, (status, _) in figures.items()}
            if set(statuses.values()) != {200}:
                section.notes.append(f"{ds.label}: {page.url} answered {statuses} (times kept, check them)")
            (_, teacher), (_, operator) = figures["teacher1"], figures["operator"]
            section.rows.append(
                [
                    page.label,
                    ds.size,
                    ds.backend,
                    ms(teacher.median),
                    ms(teacher.p95),
                    ms(operator.median),
                    ms(operator.p95),
                    ms(warm_t.median),
                ]
            )
            section.data.append(
                {"page": page.label, "size": ds.size, "backend": ds.backend, "status": statuses}
                | {"teacher": teacher.median, "operator": operator.median, "cached": warm_t.median}
                | {"teacher_p95": teacher.p95, "operator_p95": operator.p95}
            )
    finally:
        dispose(cold)
        dispose(warm)


def admin_lists(section: Section, ds: Dataset, repeats: int) -> None:
    """Flask-Admin list pages of the biggest tables: first page and a filtered page."""
    app = make_app(ds.url)
    try:
        learner = pages.teacher_learner(app, PASSWORDS["teacher1"][0])
        found = pages.admin_pages(app, pages.BIG_TABLES, learner)
        if not any(page for _, page in found):
            section.notes.append(f"{ds.label}: no admin list view of {', '.join(pages.BIG_TABLES)} yet")
            return
        client = logged_in(app, "operator")
        scale = [(page.label.split(":")[0], page) for page in pages.scale_admin_pages(app, learner)]
        for table, page in [*found, *scale]:
            if page is None:
                section.notes.append(f"{ds.label}: no admin view of {table}")
                continue
            with app.app_context():
                statements = pages.count_statements(db.engine, lambda url=page.url: client.get(url).close())
            status, timing = pages.time_page(client, page.url, repeats)
            if status != 200:
                section.notes.append(f"{ds.label}: {page.url} answered {status}")
            section.rows.append(
                [page.label, ds.size, ds.backend, ms(timing.median), ms(timing.p95), statements]
            )
            section.data.append(
                {"page": page.label, "size": ds.size, "backend": ds.backend, "ms": timing.median}
                | {"p95": timing.p95, "statements": statements}
            )
    finally:
        dispose(app)


def analytics_refresh(section: Section, ds: Dataset, builder: Builder, repeats: int) -> None:
    """Full rebuild and one new day, beside the raw GROUP BY day floor, on a copy."""
    probe = make_app(ds.url)
    has_refresh = refresh.refresh_command(probe) is not None
    dispose(probe)
    url = builder.work_copy(ds)
    app = make_app(url)
    try:
        scan = refresh.time_group_by(app, max(3, repeats))
        row = {"size": ds.size, "backend": ds.backend, "group_by": scan.median}
        if not has_refresh:
            section.notes.append(f"{ds.label}: no `analytics refresh` command yet: only the GROUP BY floor")
            full = default = one_day = None
            floor_rows, floor = 0, None
        else:
            full = refresh.time_full(app, repeats if ds.size != "large" else min(repeats, 2))
            floor_rows, floor = refresh.write_floor(app)  # what the full refresh just wrote
            default = refresh.time_incremental(app, max(3, repeats))
            one_day = refresh.time_one_day(app, max(3, repeats))
            row |= {"floor": floor, "floor_rows": floor_rows}
            row |= {"full": full.median, "incremental": default.median, "one_day": one_day.median}
        ratio = f"{full.median / scan.median:.1f}x" if full else "-"
        section.rows.append(
            [
                ds.size,
                ds.backend,
                ms(scan.median),
                ms(scan.p95),
                ms(full.median if full else None),
                ms(full.p95 if full else None),
                ratio,
                ms(default.median if default else None),
                ms(default.p95 if default else None),
                ms(one_day.median if one_day else None),
                ms(one_day.p95 if one_day else None),
                f"{floor_rows:,} rows in {ms(floor)} ({floor / scan.median:.1f}x)" if floor else "-",
            ]
        )
        section.data.append(row)
    finally:
        dispose(app)
        builder.drop(url)


def under_load(section: Section, ds: Dataset, log_dir, seconds: int, connections: int) -> None:
    """Requests per second with gunicorn (2 workers): a report page, the overview, an admin list."""
    app = make_app(ds.url)
    try:
        learner = pages.teacher_learner(app, PASSWORDS["teacher1"][0])
        reports = [
            p for p in pages.report_pages(app, learner) if p.label != "overview" and "<id>" not in p.label
        ]
        small = next((p for t, p in pages.admin_pages(app, pages.SMALL_ADMIN_TABLES, None) if p), None)
        has_home = any(r.rule == "/" for r in app.url_map.iter_rules())
    finally:
        dispose(app)
    targets = []
    if reports:
        targets.append(("teacher1", f"report page {reports[0].label}", reports[0].url))
    else:
        section.notes.append(f"{ds.label}: no report page yet")
    if has_home:
        targets.append(("teacher1", "overview /", "/"))
    else:
        section.notes.append(f"{ds.label}: no overview `/` yet")
    if small:
        targets.append(("operator", f"admin list {small.url}", small.url))
    else:
        section.notes.append(f"{ds.label}: no Flask-Admin list of a small table yet")
    if not targets:
        return
    server = load.Server(ds.url, log_dir / f"gunicorn-{ds.size}-{ds.backend}.log")
    try:
        cookies = {who: server.login(who) for who in {who for who, _, _ in targets}}
        for who, label, url in targets:
            result = load.run_load(server, url, cookies[who], seconds, connections)
            section.rows.append(
                [
                    label,
                    ds.size,
                    ds.backend,
                    f"{result.rps:,.0f}",
                    f"{result.requests:,}",
                    result.errors,
                    ms(result.p50_ms),
                    ms(result.p99_ms),
                    result.tool,
                ]
            )
            section.data.append({"label": label, "size": ds.size, "backend": ds.backend, "rps": result.rps})
    finally:
        server.stop()


def page_weight(section: Section, ds: Dataset, log_dir) -> None:
    """Bytes transferred and time to the last chart of each page, first load and repeat visit."""
    from playwright.sync_api import sync_playwright

    app = make_app(ds.url)
    try:
        found = pages.report_pages(app, pages.teacher_learner(app, PASSWORDS["teacher1"][0]))
    finally:
        dispose(app)
    server = load.Server(ds.url, weight.log_path(log_dir, ds.label))
    try:
        base = f"http://127.0.0.1:{server.port}"
        cookies = weight.session_cookies(base, server.login("teacher1"))
        targets = [("/login", "/login", [])] + [(p.label, p.url, cookies) for p in found]
        with sync_playwright() as playwright:
            browser = weight.launch(playwright)
            try:
                for label, url, jar in targets:
                    first, again = weight.first_and_repeat(browser, base + url, jar)
                    section.rows += weight.rows_for(label, first, again)
                    section.data.append({"page": label, "size": ds.size, "backend": ds.backend,
                                         "first": first, "repeat": again})  # fmt: skip
            finally:
                browser.close()
    finally:
        server.stop()


def jobs_measures(sections: dict[str, Section], ds: Dataset, builder: Builder) -> None:
    """One day ingested then brought current; the engine update for 1% and 100% of learners changed."""
    url = builder.work_copy(ds)
    app = make_app(url)
    try:
        jobs.analyze(app)
        day = jobs.one_day(app)
        sections["jobs_day"].rows.append([
            ds.size, ds.backend, f"{day.learners:,}", f"{day.rows:,}", f"{day.write_s:.1f}",
            f"{day.engine_s:.1f}", f"{day.refresh_s:.1f}", f"{day.until_current_s:.1f}",
        ])  # fmt: skip
        costs = [(share, *jobs.engine_cost(app, share)) for share in (0.01, 1.0)]
        full = jobs.full_recompute(app)
        for share, learners, seconds in costs:
            sections["jobs_engine"].rows.append([
                ds.size, ds.backend, f"{share:.0%}", f"{learners:,}", f"{seconds:.2f}",
                f"{1000 * seconds / learners:.1f}", f"{full:.1f}",
            ])  # fmt: skip
    finally:
        dispose(app)
        builder.drop(url)


def ingest(section: Section, builder: Builder, backend: str, log_dir, args) -> None:
    """Events per second through the API: 4 clients at once, batches of 500 session events."""
    result = ingest_bench.run(
        builder, backend, log_dir / f"gunicorn-ingest-{backend}.log", workers=args.ingest_workers,
        batches=args.ingest_batches,
    )  # fmt: skip
    section.rows.append([
        backend, result.workers, result.clients, result.batch, f"{result.events:,}", f"{result.seconds:.1f}",
        f"{result.events_per_second:,.0f}", ms(result.p50_ms), ms(result.p99_ms), result.errors,
    ])  # fmt: skip
    section.data.append({"backend": backend, "events_per_second": result.events_per_second})


def roster_import(section: Section, builder: Builder, backend: str) -> None:
    """A 10,000-row roster file: checked, applied, applied again."""
    timings = ingest_bench.roster_import(builder, backend)
    section.rows.append([
        backend, f"{timings['dry']:.1f}", f"{timings['apply']:.1f}", f"{timings['again']:.1f}",
        f"{timings['created']:,}", f"{timings['unchanged']:,}",
    ])  # fmt: skip
    section.data.append({"backend": backend, **timings})
