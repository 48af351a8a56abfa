"""Saved views: CSRF required, stored for the owner with the filter, listed, renamed, deleted and
shared by the owner only; a shared link opens the view for whoever may see it, 404 otherwise."""

import re
from urllib.parse import urlsplit

import pytest
from markupsafe import escape

from tests import factories as f
from tests.admin.support import staff_client, token
from tests.reports.support import get
from webapp.models.analytics.reports import ReportDefinition
from webapp.models.core.enums import GroupRole


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


# Rename, delete, share: the owner only, with CSRF --------------------------------------------


def _view(session, owner, name="Week 3", report_type="engagement", filters=None):
    view = f.make_report(
        session, owner=owner, name=name, report_type=report_type, filters=filters or {"range": "7"}
    )
    session.commit()
    return view


def _post(client, url, **form):
    response = client.post(url, data=form)
    try:
        return response.status_code, response.headers.get("Location", ""), response.get_data(as_text=True)
    finally:
        response.close()


def _names(session, owner) -> list[str]:
    session.expire_all()
    return sorted(v.name for v in session.query(ReportDefinition).filter_by(owner_id=owner.id))


def test_the_owner_renames_a_view(app, session):
    client, user = staff_client(app, session, "teacher")
    view = _view(session, user)
    url = f"/reports/saved/{view.id}/rename"
    status, html = get(client, url)
    assert status == 200
    assert 'value="Week 3"' in html
    status, location, _ = _post(client, url, csrf_token=token(client, url), name="  Week 3, 7B  ")
    assert (status, location) == (302, f"/reports/saved#view-{view.id}")
    assert _names(session, user) == ["Week 3, 7B"]
    _, html = get(client, "/reports/saved")
    assert "Renamed the view to “Week 3, 7B”." in html
    assert "/reports/engagement?range=7" in html  # the same page and filter


@pytest.mark.parametrize(
    ("name", "message"),
    [("", "Give the view a name."), ("   ", "Give the view a name."),
     ("Other", "You already have a view named “Other”."),
     ("x" * 121, "Field cannot be longer than 120 characters.")],
)  # fmt: skip
def test_a_rename_to_no_name_or_a_taken_name_is_a_field_error(app, session, name, message):
    client, user = staff_client(app, session, "teacher")
    view, _other = _view(session, user), _view(session, user, name="Other")
    url = f"/reports/saved/{view.id}/rename"
    status, _, html = _post(client, url, csrf_token=token(client, url), name=name)
    assert status == 200
    assert 'class="invalid-feedback"' in html
    assert str(escape(message)) in html
    assert _names(session, user) == ["Other", "Week 3"]


def test_renaming_to_its_own_name_is_no_clash(app, session):
    client, user = staff_client(app, session, "teacher")
    view = _view(session, user)
    url = f"/reports/saved/{view.id}/rename"
    assert _post(client, url, csrf_token=token(client, url), name="Week 3")[0] == 302


def test_delete_asks_first_then_deletes(app, session):
    client, user = staff_client(app, session, "teacher")
    view = _view(session, user)
    url = f"/reports/saved/{view.id}/delete"
    status, html = get(client, url)
    assert status == 200
    assert "Delete the view “Week 3”?" in html
    assert "cannot be undone" in html
    assert _names(session, user) == ["Week 3"]  # asking deletes nothing
    status, location, _ = _post(client, url, csrf_token=token(client, url))
    assert (status, location) == (302, "/reports/saved")
    assert _names(session, user) == []
    _, html = get(client, "/reports/saved")
    assert "Deleted the view “Week 3”." in html
    assert "No saved views yet" in html


@pytest.mark.parametrize("action", ["rename", "delete", "share", "unshare"])
def test_only_the_owner_may_act_on_a_view(app, session, action):
    owner = f.make_operator(session)
    view = _view(session, owner)
    client, _ = staff_client(app, session, "admin")  # even an admin: it is not theirs
    url = f"/reports/saved/{view.id}/{action}"
    if action in ("rename", "delete"):
        assert get(client, url)[0] == 404
    assert _post(client, url, csrf_token=token(client, "/reports/saved"), name="Mine now")[0] == 404
    session.expire_all()
    kept = session.get(ReportDefinition, view.id)
    assert (kept.name, kept.is_shared, kept.share_token) == ("Week 3", False, None)


@pytest.mark.parametrize("action", ["rename", "delete", "share", "unshare"])
def test_acting_on_a_view_needs_the_csrf_token(app, session, action):
    client, user = staff_client(app, session, "teacher")
    view = _view(session, user)
    assert _post(client, f"/reports/saved/{view.id}/{action}", name="Renamed")[0] == 400
    assert _names(session, user) == ["Week 3"]


def _share(client, view) -> str:
    """Share a view through its button; return the link the list shows."""
    status, _, _ = _post(
        client, f"/reports/saved/{view.id}/share", csrf_token=token(client, "/reports/saved")
    )
    assert status == 302
    _, html = get(client, "/reports/saved")
    match = re.search(rf'id="share-link-{view.id}" type="text" readonly value="([^"]+)"', html)
    assert match, "no link to share on the list"
    return urlsplit(match.group(1)).path


def _teacher_of(app, session, group):
    """A signed-in teacher of group: (client, user)."""
    client, teacher = staff_client(app, session, "teacher")
    f.make_member(session, role=GroupRole.TEACHER, group=group, user=teacher)
    session.commit()
    return client, teacher


def test_a_shared_link_opens_the_same_page_and_filter_for_whoever_may_see_it(app, session):
    group, other = f.make_group(session, name="Class 7B"), f.make_group(session, name="Class 9A")
    owner_client, owner = _teacher_of(app, session, group)
    filters = {"from": "2024-01-01", "to": "2024-01-31", "group": str(group.id)}
    link = _share(owner_client, _view(session, owner, filters=filters))
    assert link.startswith("/reports/shared/")
    page = f"/reports/engagement?from=2024-01-01&to=2024-01-31&group={group.id}"
    followers = [owner_client, _teacher_of(app, session, group)[0], staff_client(app, session, "operator")[0]]
    for client in followers:
        response = client.get(link)
        assert (response.status_code, response.headers["Location"]) == (302, page)
        opened = client.get(page)
        assert opened.status_code == 200
        html = opened.get_data(as_text=True)
        assert "2024-01-01 to 2024-01-31" in html
        assert f'<option value="{group.id}" selected>Class 7B</option>' in html
        assert f"You opened “Week 3”, a view shared by {escape(owner.display_name)}." in html
    # A teacher of another group gets nothing, not even a redirect that names the group.
    assert get(_teacher_of(app, session, other)[0], link)[0] == 404


def test_a_shared_view_of_all_groups_is_404_for_a_teacher(app, session):
    operator_client, operator = staff_client(app, session, "operator")
    view = _view(session, operator)  # no group: all groups
    link = _share(operator_client, view)
    assert get(_teacher_of(app, session, f.make_group(session))[0], link)[0] == 404
    response = staff_client(app, session, "admin")[0].get(link)
    assert (response.status_code, response.headers["Location"]) == (302, "/reports/engagement?range=7")


def test_a_shared_view_of_a_board_is_404_for_a_teacher_who_may_not_see_the_board(app, session):
    group, other = f.make_group(session), f.make_group(session)
    board = f.make_leaderboard(session, study_group=group)
    operator_client, operator = staff_client(app, session, "operator")
    # The filter names a group the follower teaches, but the board is another group's.
    filters = {"range": "7", "group": str(other.id), "context": str(board.id)}
    link = _share(operator_client, _view(session, operator, report_type="leaderboard", filters=filters))
    assert get(_teacher_of(app, session, other)[0], link)[0] == 404
    filters = {"range": "7", "group": str(group.id), "context": str(board.id)}
    link = _share(
        operator_client, _view(session, operator, "Board", report_type="leaderboard", filters=filters)
    )
    response = _teacher_of(app, session, group)[0].get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/reports/leaderboard/{board.id}?range=7&group={group.id}"


def test_following_a_link_signed_out_asks_to_log_in_first(app, session, client):
    operator_client, operator = staff_client(app, session, "operator")
    link = _share(operator_client, _view(session, operator))
    response = client.get(link)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"
    assert "next=" in response.headers["Location"]


def test_stopping_a_share_ends_the_link_for_good(app, session):
    client, user = staff_client(app, session, "operator")
    view = _view(session, user)
    first = _share(client, view)
    assert _share(client, view) == first  # sharing again keeps the link
    assert (
        _post(client, f"/reports/saved/{view.id}/unshare", csrf_token=token(client, "/reports/saved"))[0]
        == 302
    )
    assert get(client, first)[0] == 404
    _, html = get(client, "/reports/saved")
    assert "share-link" not in html
    second = _share(client, view)
    assert second != first
    assert get(client, first)[0] == 404
    assert client.get(second).status_code == 302


def test_a_deleted_views_link_is_404(app, session):
    client, user = staff_client(app, session, "operator")
    view = _view(session, user)
    link = _share(client, view)
    url = f"/reports/saved/{view.id}/delete"
    _post(client, url, csrf_token=token(client, url))
    assert get(client, link)[0] == 404


@pytest.mark.parametrize("link", ["/reports/shared/nope", "/reports/shared/" + "a" * 40])
def test_an_unknown_link_is_404(app, session, link):
    client, _ = staff_client(app, session, "operator")
    assert get(client, link)[0] == 404


def test_a_view_marked_shared_without_a_token_has_no_link(app, session):
    client, user = staff_client(app, session, "operator")
    f.make_report(session, owner=user, name="Old", filters={"range": "7"}, is_shared=True)
    session.commit()
    _, html = get(client, "/reports/saved")
    assert "share-link" not in html
    assert "Share as a link" in html
