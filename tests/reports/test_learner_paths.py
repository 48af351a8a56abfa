"""The learning-path section of a learner's page: what the apps reported, with its definition."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests import factories as f
from tests.admin.support import staff_client
from tests.api.support import api_client, learner_item, post
from webapp.models import User
from webapp.models.core.enums import PathStatus
from webapp.reports.definitions import DEFINITIONS
from webapp.reports.queries.paths import learning_paths, progress


def _path(session, slug: str, modules: int):
    path = f.make_path(session, slug=slug, name=slug.replace("-", " ").title())
    return path, [f.make_path_module(session, path=path, title=f"{slug} {n}") for n in range(1, modules + 1)]


def test_progress_is_modules_done_over_the_paths_modules(session):
    learner = f.make_learner(session)
    algebra, modules = _path(session, "algebra", 4)
    reading, _ = _path(session, "reading", 3)
    now = datetime.now(UTC)
    day = timedelta(days=1)
    f.make_path_enrolment(
        session, user=learner, path=algebra, modules_completed=3, current_module=modules[3],
        last_activity_at=now - day,
    )  # fmt: skip
    f.make_path_enrolment(
        session, user=learner, path=reading, modules_completed=3, status=PathStatus.COMPLETED,
        completed_at=now - 2 * day, last_activity_at=now - 2 * day,
    )  # fmt: skip
    f.make_path_enrolment(session, path=algebra)  # another learner's
    rows = learning_paths(session, None, {"learner": {"id": learner.id}})
    assert [(r[0], r[3], r[4], progress(r[3], r[4]), r[5]) for r in rows] == [
        ("Algebra", 3, 4, 75, "algebra 4"),
        ("Reading", 3, 3, 100, None),
    ]
    assert rows[1][2] == PathStatus.COMPLETED


def test_the_page_shows_what_the_app_sent(app, session, client):
    _, headers = api_client(session)
    _path(session, "algebra", 4)
    session.commit()
    post(client, "roster", headers, [learner_item("L1", name="Asha")])
    enrolled = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    progress = {"type": "path_progress", "id": "p1", "learner": "L1", "path": "algebra",
                "modules_completed": 1, "current_module_position": 2, "enrolled_at": enrolled}  # fmt: skip
    assert post(client, "activity", headers, [progress]).get_json()["accepted"] == 1
    operator, _ = staff_client(app, session, "operator")
    uid = session.scalar(select(User.id).where(User.external_id == "L1"))
    html = operator.get(f"/reports/learners/{uid}").get_data(as_text=True)
    assert 'id="card-learners-paths"' in html
    table = html[html.index('id="table-learners-paths"') :]
    cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", table[: table.index("</table>")], re.S)]
    assert cells[:7] == ["Algebra", "maths", "in progress", "1", "4", "25", "algebra 2"]
    assert DEFINITIONS["path_progress"].replace("'", "&#39;") in html
    csv = operator.get(f"/reports/learners/{uid}/paths.csv").get_data(as_text=True).splitlines()
    assert csv[0].startswith("path,subject,status,modules_completed,modules,progress_pct,current_module")
    assert csv[1].startswith("Algebra,maths,in progress,1,4,25,algebra 2,")


def test_a_learner_without_paths_gets_the_empty_state(app, session):
    learner = f.make_learner(session)
    operator, _ = staff_client(app, session, "operator")
    html = operator.get(f"/reports/learners/{learner.id}").get_data(as_text=True)
    assert "Not enrolled in any learning path" in html
