"""The points adjustments page lists the recent adjustments newest first, by date."""

import re
from datetime import UTC, datetime, timedelta

from tests import factories as f
from tests.admin.support import staff_client
from webapp.models.core.enums import PointsReason


def test_recent_adjustments_are_newest_first_by_date(app, session):
    learner = f.make_learner(session)
    base = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
    # Written out of date order (as a backfill or the demo does): the ids do not follow the dates.
    for days, note in ((3, "third day"), (1, "first day"), (5, "fifth day"), (2, "second day")):
        f.make_points_transaction(
            session, user=learner, amount=10, reason=PointsReason.ADJUSTMENT, note=note,
            idempotency_key=f"k{days}", created_at=base + timedelta(days=days),
        )  # fmt: skip
    f.make_points_transaction(session, user=learner, amount=5, note="not an adjustment")
    session.commit()
    client, _ = staff_client(app, session, "operator")
    html = client.get("/admin/pointsadjustment/").get_data(as_text=True)
    shown = re.findall(r"<td>(\w+ day)</td>", html)
    assert shown == ["fifth day", "third day", "second day", "first day"]
    assert "not an adjustment" not in html
