"""The targets of issue 6, checked against what a run measured (at the largest size it had)."""

from bench.measures import Section

ORDER = {"tiny": 0, "small": 1, "medium": 2, "large": 3}


def verdict(value: float | None, limit: float, unit: str = "ms") -> str:
    if value is None:
        return "not measured"
    if value <= limit:
        return f"met ({value:,.1f} {unit} <= {limit:g} {unit})"
    return f"**missed** by {value - limit:,.1f} {unit} ({value / limit:.2f}x the target)"


def evaluate(sections: dict[str, Section]) -> list[list[str]]:
    """Return rows (target, backend, size, result) for the targets table."""
    rows: list[list[str]] = []
    pages = sections.get("pages")
    if pages and pages.data:
        for backend in sorted({d["backend"] for d in pages.data}):
            mine = [d for d in pages.data if d["backend"] == backend]
            top = max(mine, key=lambda d: ORDER[d["size"]])["size"]
            at_top = [d for d in mine if d["size"] == top]
            worst = max(at_top, key=lambda d: max(d["teacher"], d["operator"]))
            value = max(worst["teacher"], worst["operator"])
            rows.append(
                [f"report pages < 50 ms median (worst: {worst['page']})", backend, top, verdict(value, 50)]
            )
            small = {d["page"]: max(d["teacher"], d["operator"]) for d in mine if d["size"] == "small"}
            if top != "small" and small:
                ratios = [(max(d["teacher"], d["operator"]) / small[d["page"]], d["page"]) for d in at_top]
                ratio, page = max(r for r in ratios if r[1] in small)
                rows.append(
                    [
                        f"report pages within 1.5x of small (worst: {page})",
                        backend,
                        top,
                        verdict(ratio, 1.5, "x"),
                    ]
                )
    admin = sections.get("admin")
    if admin and admin.data:
        for backend in sorted({d["backend"] for d in admin.data}):
            mine = [d for d in admin.data if d["backend"] == backend]
            top = max(mine, key=lambda d: ORDER[d["size"]])["size"]
            worst = max((d for d in mine if d["size"] == top), key=lambda d: d["ms"])
            rows.append(
                [
                    f"admin list pages < 100 ms (worst: {worst['page']})",
                    backend,
                    top,
                    verdict(worst["ms"], 100),
                ]
            )
    rows += _ingest_rows(sections.get("ingest"), sections.get("roster"))
    rows += _refresh_rows(sections.get("refresh"))
    rows += _load_rows(sections.get("load"))
    return rows


def _refresh_rows(section: Section | None) -> list[list[str]]:
    rows: list[list[str]] = []
    if not section:
        return rows
    for backend in sorted({d["backend"] for d in section.data}):
        mine = [d for d in section.data if d["backend"] == backend]
        top = max(mine, key=lambda d: ORDER[d["size"]])
        if "full" in top:
            ratio = top["full"] / top["group_by"]
            rows.append(["full refresh < 2x the raw GROUP BY", backend, top["size"], verdict(ratio, 2, "x")])
            rows.append(
                ["one-day refresh < 1 s", backend, top["size"], verdict(top["incremental"] / 1000, 1, "s")]
            )
    return rows


def _load_rows(section: Section | None) -> list[list[str]]:
    rows: list[list[str]] = []
    if not section:
        return rows
    for key in sorted({(d["size"], d["backend"]) for d in section.data}):
        mine = {d["label"]: d["rps"] for d in section.data if (d["size"], d["backend"]) == key}
        admin = next((v for k, v in mine.items() if k.startswith("admin list")), None)
        for label, rps in mine.items():
            if label.startswith("admin list") or admin is None:
                continue
            result = (
                f"met ({rps:,.0f} >= {admin:,.0f} req/s)"
                if rps >= admin
                else (f"**missed**: {rps:,.0f} < {admin:,.0f} req/s ({rps / admin:.2f}x)")
            )
            rows.append([f"{label} req/s >= admin list of a small table", key[1], key[0], result])
    return rows


def _ingest_rows(ingest: Section | None, roster: Section | None) -> list[list[str]]:
    """Issue 12: >= 10,000 events/s through the API (aim 20,000); 10,000 roster rows in < 10 s."""
    rows: list[list[str]] = []
    for found in ingest.data if ingest else []:
        rate = found["events_per_second"]
        result = f"met ({rate:,.0f} events/s)" if rate >= 10_000 else f"**missed** ({rate:,.0f} events/s)"
        rows.append(["ingest >= 10,000 events/s (aim 20,000)", found["backend"], "-", result])
    for found in roster.data if roster else []:
        rows.append(
            ["roster import of 10,000 rows < 10 s", found["backend"], "-", verdict(found["apply"], 10, "s")]
        )
    return rows


# Issue 14's targets: (admin page label, limit in ms).
SCALE_ADMIN = (
    ("session_events: sorted by event type", 200),
    ("behavior_events: searched by learner email", 200),
    ("points_transactions: searched by learner email", 200),
    ("leaderboard_entries: first page", 100),
)
SCALE_SEED = {"sqlite": 200_000, "postgresql": 100_000}
BADGE_LIST_STATEMENTS = 5  # one query for the holders column: a page's statements do not grow per badge


def scale_targets(sections: dict[str, Section]) -> list[list[str]]:
    """Return issue 14's targets as rows (target, backend, size, measured, same-run reference, result),
    each at the largest size the run measured on that backend."""
    rows: list[list[str]] = []
    rows += _scale_refresh(sections.get("refresh"))
    rows += _scale_pages(sections.get("pages"))
    rows += _scale_admin(sections.get("admin"))
    for found in sections["seed"].data if sections.get("seed") else []:
        rate, limit = found.get("reported_rps"), SCALE_SEED[found["backend"]]
        rows.append(
            [
                f"`demo seed` >= {limit:,} raw rows/s",
                found["backend"],
                found["size"],
                f"{rate:,.0f} rows/s" if rate else "-",
                f"{found['wall_rps']:,.0f} rows/s (wall, whole seed)",
                _at_least(rate, limit),
            ]
        )
    return rows


def _at_least(value: float | None, limit: float) -> str:
    if value is None:
        return "not measured"
    return "met" if value >= limit else f"**missed** ({value / limit:.2f}x of it)"


def _top(data: list[dict], backend: str) -> list[dict]:
    mine = [d for d in data if d["backend"] == backend]
    top = max(ORDER[d["size"]] for d in mine)
    return [d for d in mine if ORDER[d["size"]] == top]


def _scale_refresh(section: Section | None) -> list[list[str]]:
    rows: list[list[str]] = []
    for backend in sorted({d["backend"] for d in section.data}) if section else ():
        top = _top(section.data, backend)[0]
        if "full" not in top:
            continue
        scan, size = top["group_by"], top["size"]
        reference = f"GROUP BY day {scan:,.0f} ms"
        ratio = top["full"] / scan
        rows.append(
            [
                "full refresh <= 3x the raw scan",
                backend,
                size,
                f"{top['full']:,.0f} ms ({ratio:.1f}x)",
                reference + _floor(top, scan),
                verdict(ratio, 3, "x"),
            ]
        )
        if top.get("one_day") is not None:
            rows.append(
                [
                    "one-day refresh < 1 s",
                    backend,
                    size,
                    f"{top['one_day']:,.0f} ms",
                    reference,
                    verdict(top["one_day"] / 1000, 1, "s"),
                ]
            )
        rows.append(
            [
                "default refresh (3 days) < 2 s",
                backend,
                size,
                f"{top['incremental']:,.0f} ms",
                reference,
                verdict(top["incremental"] / 1000, 2, "s"),
            ]
        )
    return rows


def _floor(top: dict, scan: float) -> str:
    """The cost of writing a full refresh's output alone, where measured."""
    if not top.get("floor"):
        return ""
    return (
        f"; writing its {top['floor_rows']:,} rows alone {top['floor']:,.0f} ms ({top['floor'] / scan:.1f}x)"
    )


def _scale_pages(section: Section | None) -> list[list[str]]:
    rows: list[list[str]] = []
    for backend in sorted({d["backend"] for d in section.data}) if section else ():
        at_top = _top(section.data, backend)
        size = at_top[0]["size"]
        small = {d["page"]: d for d in section.data if d["backend"] == backend and d["size"] == "small"}
        worst = max(at_top, key=lambda d: d["operator"])
        ref = small.get(worst["page"])
        reference = f"small: {ref['operator']:,.1f} ms" if ref else "-"
        rows.append(
            [
                f"report pages, operator, median < 50 ms (worst: {worst['page']})",
                backend,
                size,
                f"{worst['operator']:,.1f} ms",
                reference,
                verdict(worst["operator"], 50),
            ]
        )
        worst95 = max(at_top, key=lambda d: d.get("operator_p95") or 0)
        if worst95.get("operator_p95") is not None:
            rows.append(
                [
                    f"report pages, operator, p95 < 100 ms (worst: {worst95['page']})",
                    backend,
                    size,
                    f"{worst95['operator_p95']:,.1f} ms",
                    "-",
                    verdict(worst95["operator_p95"], 100),
                ]
            )
        if size != "small" and small:
            ratios = [(d["operator"] / small[d["page"]]["operator"], d) for d in at_top if d["page"] in small]
            if ratios:
                ratio, d = max(ratios, key=lambda r: r[0])
                rows.append(
                    [
                        f"report pages, operator, {size} / small <= 1.5x (worst: {d['page']})",
                        backend,
                        size,
                        f"{d['operator']:,.1f} ms ({ratio:.2f}x)",
                        f"small: {small[d['page']]['operator']:,.1f} ms",
                        verdict(ratio, 1.5, "x"),
                    ]
                )
    return rows


def _scale_admin(section: Section | None) -> list[list[str]]:
    rows: list[list[str]] = []
    for backend in sorted({d["backend"] for d in section.data}) if section else ():
        at_top = {d["page"]: d for d in _top(section.data, backend)}
        small = {d["page"]: d for d in section.data if d["backend"] == backend and d["size"] == "small"}
        for label, limit in SCALE_ADMIN:
            found = at_top.get(label)
            if found is None:
                continue
            ref = small.get(label)
            rows.append(
                [
                    f"admin: {label} < {limit} ms",
                    backend,
                    found["size"],
                    f"{found['ms']:,.1f} ms",
                    f"small: {ref['ms']:,.1f} ms" if ref else "-",
                    verdict(found["ms"], limit),
                ]
            )
        badges = at_top.get("badges: first page")
        if badges is not None and badges.get("statements") is not None:
            n = badges["statements"]
            result = "met" if n <= BADGE_LIST_STATEMENTS else f"**missed** ({n} statements)"
            rows.append(
                [
                    "admin: badge list, one query for the holders column",
                    backend,
                    badges["size"],
                    f"{n} SQL statements, {badges['ms']:,.1f} ms",
                    "was one count per badge (23)",
                    result,
                ]
            )
    return rows
