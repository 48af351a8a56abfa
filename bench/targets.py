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
