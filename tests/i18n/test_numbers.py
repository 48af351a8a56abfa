"""Numbers and dates follow the locale on the pages; the CSV stays machine-readable in every language."""

import json
import re
from datetime import date

from tests.admin.support import staff_client
from tests.reports import support
from tests.reports.support import RANGE
from webapp.models.analytics.metrics import DailyMetric

HINDI = {"Accept-Language": "hi"}
INDIAN_ENGLISH = {"Accept-Language": "en-IN"}
WIDE = {"from": "2024-01-01", "to": "2024-01-03"}


def _big_minutes(session) -> None:
    """1,23,456.7 minutes learnt over the range (one day's rollup)."""
    counts = {"active_learners": 3, "weekly_active_learners": 3, "monthly_active_learners": 3}
    session.add(
        DailyMetric(day=date(2024, 1, 2), scope="all", sessions=9, learning_minutes=123456.7, **counts)
    )
    session.commit()


def _tile(html: str, key: str) -> str:
    block = html.split(f'id="kpi-{key}"', 1)[1]
    return re.search(r'class="h3 mb-0 kpi-value">([^<]*)<', block).group(1)


def test_indian_grouping_in_hindi_and_indian_english(app, session):
    _big_minutes(session)
    client, _ = staff_client(app, session, "operator")
    assert _tile(client.get("/", query_string=WIDE).get_data(as_text=True), "minutes") == "123,457"
    assert (
        _tile(client.get("/", query_string=WIDE, headers=HINDI).get_data(as_text=True), "minutes")
        == "1,23,457"
    )
    page = client.get("/", query_string=WIDE, headers=INDIAN_ENGLISH).get_data(as_text=True)
    assert _tile(page, "minutes") == "1,23,457"
    assert "Minutes learnt" in page  # English words, Indian numbers


def _plotly_locale(html: str) -> dict | None:
    found = re.search(r'<script type="application/json" id="plotly-locale">(.*?)</script>', html, re.S)
    return json.loads(found.group(1)) if found else None


def test_charts_get_the_locales_month_and_weekday_names_and_grouping(app, session):
    support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    assert (
        _plotly_locale(client.get("/reports/engagement", query_string=RANGE).get_data(as_text=True)) is None
    )
    html = client.get("/reports/engagement", query_string=RANGE, headers=HINDI).get_data(as_text=True)
    locale = _plotly_locale(html)
    assert locale["name"] == "hi"
    assert locale["format"]["months"][0] == "जनवरी"
    assert locale["format"]["shortDays"][0] == "रवि"  # d3 weeks start on Sunday
    assert locale["format"]["grouping"] == [3, 2]
    assert locale["dictionary"]["Download plot as a png"] == "चार्ट PNG के रूप में डाउनलोड करें"
    # The heatmap's rows are the weekdays in Hindi, Monday first.
    heatmap = json.loads(html.split('id="figure-engagement-heatmap">', 1)[1].split("</script>", 1)[0])
    assert heatmap["data"][0]["y"][:2] == ["सोमवार", "मंगलवार"]
    assert "सत्र" in heatmap["data"][0]["hovertemplate"]
    en_in = _plotly_locale(client.get("/reports/engagement", query_string=RANGE, headers=INDIAN_ENGLISH)
                           .get_data(as_text=True))  # fmt: skip
    assert en_in["format"]["grouping"] == [3, 2]
    assert en_in["format"]["months"][0] == "January"


def test_csv_is_the_same_in_every_language_and_lang_translates_only_the_header(app, session):
    ds = support.refreshed(session)
    client, _ = staff_client(app, session, "operator")
    asha = ds.learners["asha"]
    urls = ["/reports/overview/kpis.csv", "/reports/engagement/heatmap.csv", "/reports/at-risk/table.csv",
            f"/reports/learners/{asha}/risk.csv", f"/reports/learners/{asha}/summary.csv",
            "/reports/attention/span-distribution.csv"]  # fmt: skip
    for url in urls:
        english = client.get(url, query_string=RANGE).get_data(as_text=True)
        hindi = client.get(url, query_string=RANGE, headers=HINDI).get_data(as_text=True)
        assert hindi == english, url
        assert not re.search(r"[\u0900-\u097F]", hindi), url
        asked = client.get(url, query_string={**RANGE, "lang": "hi"}).get_data(as_text=True)
        head, _, rows = asked.partition("\n")
        assert rows == english.partition("\n")[2], url  # the rows stay as they are
        assert re.search(r"[\u0900-\u097F]", head), url
    csv = client.get("/reports/overview/kpis.csv", query_string={**RANGE, "lang": "hi"}).get_data(
        as_text=True
    )
    assert csv.startswith("आँकड़ा,मान,पिछला मान,बदलाव,नमूना,तारीख तक")
    assert client.get("/reports/overview/kpis.csv", query_string={**RANGE, "lang": "xx"}).status_code == 400
