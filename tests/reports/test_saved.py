"""Saving a view: CSRF required, stored for its owner with the filter, listed for the owner only."""

from tests import factories as f
from tests.admin.support import staff_client, token
from tests.reports.support import get
from webapp.models.analytics.reports import ReportDefinition


def _save(client, **form):
    response = client.post("/reports/saved", data=form)
    try:
        return response.status_code, response.headers.get("Location", "")
    finally:
        response.close()


def test_saving_without_csrf_is_refused(app, session):
    client, _ = staff_client(app, session, "operator")
    status, _ = _save(client, name="Mine", report="engagement", range="7")
    assert status == 400
    assert session.query(ReportDefinition).count() == 0


def test_saving_stores_the_filter_and_lists_it(app, session):
    group = f.make_group(session, name="Class 9C")
    client, user = staff_client(app, session, "operator")
    csrf = token(client, "/reports/engagement")
    status, location = _save(
        client, csrf_token=csrf, name="9C last week", report="engagement", range="7", group=str(group.id)
    )
    assert status == 302
    assert location.startswith("/reports/engagement?")
    view = session.query(ReportDefinition).one()
    assert (view.owner_id, view.report_type) == (user.id, "engagement")
    assert view.filters == {"range": "7", "group": str(group.id)}
    for page in ("/reports/saved", "/"):
        status, html = get(client, page)
        assert status == 200
        assert "9C last week" in html
        assert f"/reports/engagement?range=7&amp;group={group.id}" in html


def test_saving_again_under_a_name_updates_the_view(app, session):
    client, _ = staff_client(app, session, "operator")
    csrf = token(client, "/reports/attention")
    _save(client, csrf_token=csrf, name="Focus", report="attention", range="7")
    _save(
        client,
        csrf_token=csrf,
        name="Focus",
        report="attention",
        **{"from": "2024-01-01", "to": "2024-01-31"},
    )
    view = session.query(ReportDefinition).one()
    assert view.filters == {"from": "2024-01-01", "to": "2024-01-31"}


def test_only_the_owner_sees_their_views(app, session):
    f.make_report(session, name="Someone else's view")
    client, _ = staff_client(app, session, "teacher")
    status, html = get(client, "/reports/saved")
    assert status == 200
    assert "Someone else" not in html
    assert "No saved views yet" in html


def test_teacher_cannot_save_a_view_of_another_group(app, session):
    group = f.make_group(session)
    client, _ = staff_client(app, session, "teacher")
    csrf = token(client, "/reports/engagement")
    status, _ = _save(client, csrf_token=csrf, name="Not mine", report="engagement", group=str(group.id))
    assert status == 404
    assert session.query(ReportDefinition).count() == 0


def test_unknown_report_or_missing_name_saves_nothing(app, session):
    client, _ = staff_client(app, session, "operator")
    csrf = token(client, "/reports/engagement")
    assert _save(client, csrf_token=csrf, name="X", report="nope")[0] == 302
    assert _save(client, csrf_token=csrf, name="  ", report="engagement")[0] == 302
    assert session.query(ReportDefinition).count() == 0


def test_a_view_of_a_board_keeps_the_board(app, session):
    board = f.make_leaderboard(session, name="Weekly stars")
    session.commit()
    client, _ = staff_client(app, session, "operator")
    csrf = token(client, f"/reports/leaderboard/{board.id}")
    form = {"name": "Stars", "report": "leaderboard", "context": str(board.id), "range": "7"}
    status, location = _save(client, csrf_token=csrf, **form)
    assert status == 302
    assert location.startswith(f"/reports/leaderboard/{board.id}?")
    view = session.query(ReportDefinition).one()
    assert (view.report_type, view.filters) == ("leaderboard", {"range": "7", "context": str(board.id)})
    _, html = get(client, "/reports/saved")
    assert f"/reports/leaderboard/{board.id}?range=7" in html


def test_a_view_saved_under_an_earlier_key_still_opens(app, session):
    client, user = staff_client(app, session, "operator")
    f.make_report(session, owner=user, name="Old risk view", report_type="at_risk", filters={"range": "7"})
    session.commit()
    _, html = get(client, "/reports/saved")
    assert "/reports/at-risk?range=7" in html


def test_a_board_the_user_may_not_see_cannot_be_saved(app, session):
    board = f.make_leaderboard(session, study_group=f.make_group(session))
    client, _ = staff_client(app, session, "teacher")
    csrf = token(client, "/reports/engagement")
    status, _ = _save(client, csrf_token=csrf, name="Theirs", report="leaderboard", context=str(board.id))
    assert status == 404
    assert session.query(ReportDefinition).count() == 0
