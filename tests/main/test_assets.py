"""Static and vendored files: content-hashed URLs, a year of caching, pre-compressed bytes;
pages and CSVs compressed; the Plotly bundle holds every trace type the reports draw."""

import gzip
import hashlib
import json
import os
import re
from pathlib import Path

import brotli
import pytest
from flask import url_for

from tests.factories import make_teacher
from tests.helpers import login
from tests.reports import dataset, support
from webapp.main import VENDOR_FILES
from webapp.reports.registry import REPORTS

FIGURE_JSON = re.compile(r'<script type="application/json" id="figure-[^"]+">(.*?)</script>', re.S)
ASSET_URL = re.compile(r'(?:href|src)="(/(?:static|vendor)/[^"?]+)\?v=([0-9a-f]+)"')
IMMUTABLE = "public, max-age=31536000, immutable"
PLOTLY = VENDOR_FILES["plotly.min.js"]


def _asset_urls(html: str) -> list[tuple[str, str]]:
    return ASSET_URL.findall(html)


def _file_of(app, path: str) -> Path:
    if path.startswith("/vendor/"):
        return VENDOR_FILES[path.removeprefix("/vendor/")]
    return Path(app.static_folder) / path.removeprefix("/static/")


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def _teacher_page(client, session, url: str = "/") -> str:
    teacher = make_teacher(session)
    session.commit()
    assert login(client, teacher.email).status_code == 302
    return client.get(url).get_data(as_text=True)


def test_every_asset_of_a_page_is_named_by_its_content_and_cached_for_a_year(app, client, session):
    urls = _asset_urls(_teacher_page(client, session))
    assert {path for path, _ in urls} >= {
        "/vendor/bootstrap.min.css", "/vendor/plotly.min.js", "/vendor/jquery.min.js",
        "/vendor/bootstrap.min.js", "/static/app.css", "/static/reports.js", "/static/favicon.svg",
    }  # fmt: skip
    for path, version in urls:
        raw = _file_of(app, path).read_bytes()
        assert version == hashlib.sha256(raw).hexdigest()[:12], path
        response = client.get(path, query_string={"v": version}, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == IMMUTABLE
        body = response.get_data()
        encoding = response.headers.get("Content-Encoding")
        if encoding == "br":
            body = brotli.decompress(body)
        assert body == raw, path
        assert "Accept-Encoding" in response.headers["Vary"]


def test_javascript_and_css_travel_compressed(client):
    plain = client.get("/vendor/plotly.min.js")
    brotli_response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    gzip_response = client.get("/vendor/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert brotli_response.headers["Content-Encoding"] == "br"
    assert gzip_response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gzip_response.get_data()) == plain.get_data() == PLOTLY.read_bytes()
    assert len(brotli_response.get_data()) < len(gzip_response.get_data()) < len(plain.get_data()) / 2
    assert brotli_response.headers["ETag"] != gzip_response.headers["ETag"]  # one per encoding


def test_an_unversioned_or_stale_url_is_revalidated_not_frozen(client):
    for query in ({}, {"v": "0123456789ab"}):
        response = client.get("/static/reports.js", query_string=query)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        etag = {"If-None-Match": response.headers["ETag"]}
        again = client.get("/static/reports.js", query_string=query, headers=etag)
        assert again.status_code == 304


def test_a_changed_file_gets_a_new_url(app, tmp_path):
    app.static_folder = str(tmp_path)  # this test's own static folder
    asset = tmp_path / "site.css"
    asset.write_text("body { color: black; }")
    with app.test_request_context():
        first = url_for("static", filename="site.css")
        asset.write_text("body { color: navy; }")
        os.utime(asset, ns=(1, 1))  # a different mtime even on a coarse clock
        second = url_for("static", filename="site.css")
    assert first != second
    assert second.endswith("?v=" + hashlib.sha256(b"body { color: navy; }").hexdigest()[:12])


@pytest.mark.parametrize("path", ["/static/../config.py", "/static/nothing.css", "/vendor/nothing.js"])
def test_a_missing_or_outside_file_is_not_found(client, path):
    assert client.get(path).status_code == 404


def test_pages_and_csv_are_compressed_for_browsers_that_take_it(app, client, session):
    html = _teacher_page(client, session)
    page = client.get("/", headers={"Accept-Encoding": "br"})
    assert page.headers["Content-Encoding"] == "br"
    assert _without_tokens(brotli.decompress(page.get_data()).decode()) == _without_tokens(html)
    ds = support.refreshed(session)
    teacher = support.client_for(app, ds.teacher_email)
    plain = teacher.get("/reports/engagement/actives.csv", query_string=support.RANGE)
    packed = teacher.get(
        "/reports/engagement/actives.csv", query_string=support.RANGE, headers={"Accept-Encoding": "gzip"}
    )
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.get_data()) == plain.get_data()


def test_the_plotly_bundle_draws_every_trace_type_the_reports_use(app, session):
    header = PLOTLY.read_text(encoding="utf-8")[:300]
    bundled = set(re.search(r"partial bundle: ([a-z0-9, ]+) \|", header).group(1).split(", "))
    ds = support.refreshed(session)
    teacher = support.client_for(app, ds.teacher_email)
    contexts = {"learners": ds.learners["asha"], "active": dataset.START.isoformat()}
    used = set()
    for key in REPORTS:
        url = f"/reports/{key}/{contexts[key]}" if key in contexts else f"/reports/{key}"
        status, html = support.get(teacher, "/" if key == "overview" else url, **support.RANGE)
        assert status == 200, url
        for figure in FIGURE_JSON.findall(html):
            used |= {trace.get("type", "scatter") for trace in json.loads(figure)["data"]}
    assert "heatmap" in used
    assert used <= bundled, f"rebuild scripts/build-plotly.sh with {sorted(used - bundled)}"
