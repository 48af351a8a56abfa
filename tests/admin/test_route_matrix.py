"""Every rule of app.url_map, as every kind of visitor, against an explicit table.

A route that no entry of ENDPOINTS (exact endpoint) or PREFIXES (endpoint
prefix) covers fails the test: whoever adds a route says who may open it.

Outcomes:
  LOGIN  redirect to /login (anonymous visitors, and learners, who cannot sign in)
  DENY   403
  OK     served: 200, a redirect elsewhere than /login, or 404 when a form of the
         page needs data the walk does not send (e.g. no editable list column)
  PUBLIC served to everyone (status below 400, or 404 for a missing file)
  PROBE  the health check, for everyone: 200 or 503
  SCOPED staff page over data they may or may not see: 200, or 404 outside their scope
  SKIP   covered by a dedicated test (logout ends the walking client's session)
"""

from urllib.parse import urlsplit

import pytest
from flask import Flask

from tests.admin.support import admin_views, one_row_each, staff_client, token
from tests.factories import make_leaderboard, make_learner
from tests.helpers import login

LOGIN, DENY, OK, PUBLIC, SCOPED, SKIP = "login", "403", "ok", "public", "scoped", "skip"
PROBE = "probe"  # the health check: 200, or 503 here (the test schema is not stamped with a revision)
API = "api"  # the ingest API: a client's token or 401, whoever is signed in here
ROLES = ("anonymous", "learner", "teacher", "operator", "admin")


def everyone(outcome: str) -> dict[str, str]:
    return dict.fromkeys(ROLES, outcome)


def signed_in(teacher: str, operator: str, admin: str) -> dict[str, str]:
    return {"anonymous": LOGIN, "learner": LOGIN, "teacher": teacher, "operator": operator, "admin": admin}


# Admin model views by the kind of data they hold.
EDITABLE = "editable"  # operators and admins: everything
READ_ONLY = "read-only"  # append-only tables and derived state: list, details, export
STAFF_ONLY = "staff"  # admins only
ADMIN_VIEWS = {
    "learner": EDITABLE,
    "staffaccount": STAFF_ONLY,
    "userprofile": EDITABLE,
    "dailylogin": EDITABLE,
    "learningsession": EDITABLE,
    "sessionevent": READ_ONLY,
    "attentionspan": EDITABLE,
    "focusmetrics": EDITABLE,
    "behaviorevent": READ_ONLY,
    "userengagementprofile": READ_ONLY,
    "badge": EDITABLE,
    "userbadge": EDITABLE,
    "streakmilestone": EDITABLE,
    "userstreak": READ_ONLY,
    "streakactivity": EDITABLE,
    "streakfreeze": EDITABLE,
    "userpoints": READ_ONLY,
    "pointstransaction": READ_ONLY,
    "leaderboard": EDITABLE,
    "leaderboardentry": READ_ONLY,
    "duel": EDITABLE,
    "duelparticipant": EDITABLE,
    "skill": EDITABLE,
    "skillmastery": READ_ONLY,
    "learningpath": EDITABLE,
    "pathmodule": EDITABLE,
    "quizattempt": EDITABLE,
    "assessmentresult": EDITABLE,
    "learningpreference": EDITABLE,
    "contentpreference": EDITABLE,
    "studygroup": EDITABLE,
    "groupmember": EDITABLE,
    "userconnection": EDITABLE,
    "socialactivity": EDITABLE,
    "activityfeed": EDITABLE,
    "notificationtemplate": EDITABLE,
    "notification": EDITABLE,
    "notificationpreference": EDITABLE,
    "dailymetric": READ_ONLY,
    "hourlymetric": READ_ONLY,
    "learnerday": READ_ONLY,
    "learnerfeaturesnapshot": READ_ONLY,
    "reportdefinition": EDITABLE,
    "auditentry": READ_ONLY,
}
READS = {"index_view", "details_view", "export", "action_view"}
WRITES = {"create_view", "edit_view", "delete_view", "ajax_lookup", "ajax_update"}
BY_KIND = {
    EDITABLE: {m: signed_in(DENY, OK, OK) for m in READS | WRITES},
    READ_ONLY: {
        **{m: signed_in(DENY, OK, OK) for m in READS},
        **{m: signed_in(DENY, DENY, DENY) for m in WRITES},
    },
    STAFF_ONLY: {m: signed_in(DENY, DENY, OK) for m in READS | WRITES},
}

ENDPOINTS: dict[str, dict[str, str]] = {
    "static": everyone(PUBLIC),
    "main.vendor": everyone(PUBLIC),
    "admin.static": everyone(PUBLIC),
    "health.healthz": everyone(PROBE),
    "auth.login": everyone(PUBLIC),
    "auth.logout": everyone(SKIP),
    # Staff posting no language get a 400; tests/i18n/test_locale.py walks the switch itself.
    "i18n.choose_language": signed_in(SKIP, SKIP, SKIP),
    "admin.index": signed_in(DENY, OK, OK),
    "learner.award_badge_view": signed_in(DENY, OK, OK),
    "notificationtemplate.preview_view": signed_in(DENY, OK, OK),
    "notificationtemplate.preview_fragment": signed_in(DENY, OK, OK),
    "badge.deactivate_view": signed_in(DENY, OK, OK),
    "pointsadjustment.index": signed_in(DENY, OK, OK),
    "main.index": signed_in(SCOPED, SCOPED, SCOPED),
    "jobs.index": signed_in(DENY, DENY, OK),
    "jobs.runs": signed_in(DENY, DENY, OK),
    "jobs.run_now": signed_in(DENY, DENY, OK),
    # Authorised by the signed token in the link (here a bad one: 404), never by a login.
    "digest.unsubscribe_page": everyone(PUBLIC),
    "digest.unsubscribe": everyone(PUBLIC),
    "digest.subscribe": everyone(PUBLIC),
    "api.post_activity": everyone(API),
    "api.post_roster": everyone(API),
    "api.get_me": everyone(API),
    "api.list_notifications": everyone(API),
    "api.read_notification": everyone(API),
    "api.read_all_notifications": everyone(API),
    "rosterimport.index": signed_in(DENY, OK, OK),
    "rosterimport.sample": signed_in(DENY, OK, OK),
    "rosterimport.check": signed_in(DENY, OK, OK),
    "rosterimport.apply": signed_in(DENY, OK, OK),
    "apiclients.index": signed_in(DENY, DENY, OK),
    "apiclients.rotate": signed_in(DENY, DENY, OK),
    "apiclients.revoke_view": signed_in(DENY, DENY, OK),
}
ENDPOINTS |= {
    f"{view}.{method}": outcome
    for view, kind in ADMIN_VIEWS.items()
    for method, outcome in BY_KIND[kind].items()
}
# Route families owned by other parts of the app; the longest matching prefix wins.
PREFIXES: dict[str, dict[str, str]] = {
    "reports.": signed_in(SCOPED, SCOPED, SCOPED),
    "health.": everyone(PUBLIC),
    "main.": signed_in(SCOPED, SCOPED, SCOPED),
    "api.": everyone(PUBLIC),  # the OpenAPI document and its docs
}


def expected_for(endpoint: str) -> dict[str, str] | None:
    """The table entry for an endpoint: exact first, then the longest prefix."""
    if endpoint in ENDPOINTS:
        return ENDPOINTS[endpoint]
    prefixes = [p for p in PREFIXES if endpoint.startswith(p)]
    return PREFIXES[max(prefixes, key=len)] if prefixes else None


ARGUMENT_VALUES = {"export_type": "csv", "name": "bootstrap.min.css"}


def build_url(app: Flask, rule, ids: dict[str, str]) -> str:
    """A concrete URL for a rule, with an id of a real row for details and edit pages."""
    values = {}
    for arg in rule.arguments - set(rule.defaults or ()):
        converter = type(rule._converters[arg]).__name__
        if arg == "filename":
            values[arg] = "admin/css/bootstrap4/admin.css" if rule.endpoint == "admin.static" else "app.css"
        elif arg in ARGUMENT_VALUES:
            values[arg] = ARGUMENT_VALUES[arg]
        else:
            numeric = {"IntegerConverter", "NumberConverter", "ContextConverter"}
            values[arg] = 1 if converter in numeric else "x"
    view, _, method = rule.endpoint.partition(".")
    query = {"id": ids[view]} if method in {"details_view", "edit_view"} and view in ids else {}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values, **query)


def check(outcome: str, response) -> bool:
    location = urlsplit(response.headers.get("Location", "")).path
    to_login = response.status_code in (301, 302, 303) and location == "/login"
    if outcome == LOGIN:
        return to_login
    if outcome == DENY:
        return response.status_code == 403
    if outcome == OK:
        return response.status_code in (200, 302, 404) and not to_login
    if outcome == SCOPED:
        return response.status_code in (200, 404) or (response.status_code == 302 and not to_login)
    if outcome == PROBE:
        return response.status_code in (200, 503)
    if outcome == API:
        return response.status_code == 401
    if outcome == PUBLIC:
        return response.status_code < 400 or response.status_code == 404
    raise AssertionError(outcome)


@pytest.fixture
def clients(app, session):
    clients = {"anonymous": app.test_client()}
    learner = make_learner(session, email="learner@example.org")
    session.commit()
    learner_client = app.test_client()
    response = login(learner_client, learner.email, "any password at all")
    assert response.status_code == 200, "a learner's credentials must not sign in"
    with learner_client.session_transaction() as sess:
        assert "_user_id" not in sess
    clients["learner"] = learner_client
    for role in ("teacher", "operator", "admin"):
        clients[role] = staff_client(app, session, role)[0]
    return clients


def test_every_route_is_in_the_table(app):
    missing = sorted(
        {rule.endpoint for rule in app.url_map.iter_rules() if expected_for(rule.endpoint) is None}
    )
    assert not missing, f"routes without an access expectation (add them to the table): {missing}"


def test_every_admin_view_is_in_the_table(app):
    assert sorted(v.endpoint for v in admin_views(app)) == sorted(ADMIN_VIEWS)


def test_route_role_matrix(app, session, clients):
    ids = one_row_each(session)
    endpoint_ids = {v.endpoint: ids[getattr(v, "resource", v.model.__name__)] for v in admin_views(app)}
    tokens = {role: token(client) for role, client in clients.items()}
    failures = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.endpoint):
        table = expected_for(rule.endpoint)
        url = build_url(app, rule, endpoint_ids)
        for role in ROLES:
            outcome = table[role]
            if outcome == SKIP:
                continue
            client = clients[role]
            if "GET" in rule.methods:
                response = client.get(url)
            else:
                response = client.post(url, data={"csrf_token": tokens[role]})
            response.get_data()  # consume streamed exports, then close them, popping their context
            response.close()
            if not check(outcome, response):
                failures.append(
                    f"{rule.endpoint} {url} as {role}: expected {outcome}, got {response.status_code}"
                )
    assert not failures, "\n".join(failures)


def report_urls(app: Flask, session) -> list[str]:
    """Every registered report page and every CSV of its figures, for a real learner, board and day."""
    from webapp.reports.registry import REPORTS

    learner, board = make_learner(session), make_leaderboard(session)
    session.commit()
    contexts = {"learners": learner.id, "leaderboard": board.id, "active": "2024-01-10"}
    urls = []
    with app.test_request_context():
        from flask import url_for

        for key, report in REPORTS.items():
            context = contexts.get(key)
            urls.append(url_for("reports.page", key=key, context=context))
            urls += [url_for("reports.chart_csv", key=key, chart=c, context=context) for c in report.figures]
    return urls


def test_every_report_page_and_csv_by_role(app, session, clients):
    """The one page route and the one CSV route, walked over every registered report and figure:
    staff are served (a teacher: 404 for a learner outside their groups), everyone else signs in."""
    expected = {"anonymous": LOGIN, "learner": LOGIN, "teacher": SCOPED, "operator": OK, "admin": OK}
    failures = []
    for url in report_urls(app, session):
        for role, outcome in expected.items():
            response = clients[role].get(url)
            response.close()
            if not check(outcome, response) or (outcome == OK and response.status_code != 200):
                failures.append(f"{url} as {role}: expected {outcome}, got {response.status_code}")
    assert not failures, "\n".join(failures)
