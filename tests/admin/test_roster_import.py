"""Roster import: a dry run row by row, applying in one transaction, re-importing changes nothing."""

import csv
import io
import re

from sqlalchemy import func, select

from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, GroupMember, StudyGroup, User
from webapp.services.roster_import import NAMES, run_import, sample_csv

PAGE = "/admin/rosterimport/"
DIGEST = re.compile(r'name="digest" type="hidden" value="([0-9a-f]{64})"')


def _csv(rows: list[tuple]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    writer.writerows(rows)
    return out.getvalue().encode()


def _row(learner: str, name: str, group: str = "G-7A", **kw) -> tuple:
    values = {"learner_id": learner, "name": name, "email": "", "timezone": "Asia/Kolkata", "locale": "en",
              "grade": "7", "school": "School 1", "active": "yes", "group_id": group,
              "group_name": f"Class {group}", "joined_on": "2026-06-01", "left_on": "", **kw}  # fmt: skip
    return tuple(values[n] for n in NAMES)


def _check(client, data: bytes):
    return client.post(
        f"{PAGE}check",
        data={"csrf_token": token(client, PAGE), "file": (io.BytesIO(data), "roster.csv")},
        content_type="multipart/form-data",
    )


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_shows_each_row_and_saves_nothing_then_applying_saves_it(app, session):
    client, _ = staff_client(app, session, "operator")
    data = _csv([
        _row("L1", "Asha"), _row("L2", "Ravi", email="not-an-email"),
        _row("L3", "Meera", timezone="Mars/Base"), _row("L4", "=HYPERLINK(\"http://x\")"),
        _row("L5", "Dev", joined_on="", group="G-7B"),
    ])  # fmt: skip
    page = _check(client, data).get_data(as_text=True)
    assert "Nothing has been saved yet" in page
    assert re.search(r"<strong>2</strong> would create", page)
    assert "email: value is not a valid email address" in page
    assert "timezone: unknown IANA timezone" in page
    assert "joined_on:" in page
    assert _count(session, User) == 1  # the operator only
    digest = DIGEST.search(page).group(1)
    applied = client.post(f"{PAGE}apply", data={"csrf_token": token(client, PAGE), "digest": digest})
    assert applied.status_code == 302
    assert {u.external_id for u in session.scalars(select(User).where(User.role == "learner"))} == {
        "L1",
        "L4",
    }
    # A formula-looking cell is stored as text, exactly as written.
    assert (
        session.scalar(select(User.display_name).where(User.external_id == "L4")) == '=HYPERLINK("http://x")'
    )
    assert _count(session, GroupMember) == 2
    assert session.scalars(select(AuditEntry).where(AuditEntry.model == "RosterImport")).one().changes[
        "rows"
    ][1] == {"create": 2, "change": 0, "unchanged": 0, "refuse": 3}


def test_importing_the_same_file_again_changes_nothing(session):
    data = _csv([_row(f"L{n}", f"Learner {n}", group=f"G{n % 3}") for n in range(30)])
    first = run_import(session, data, apply=True)
    session.commit()
    assert first.count("create") == 30
    again = run_import(session, data, apply=True)
    session.commit()
    assert again.count("unchanged") == 30
    assert (_count(session, User), _count(session, StudyGroup), _count(session, GroupMember)) == (30, 3, 30)
    moved = data.replace(b"Learner 7,", b"Learner Seven,")
    report = run_import(session, moved, apply=False)
    assert [(r.learner_id, r.action) for r in report.rows if r.action != "unchanged"] == [("L7", "change")]
    assert session.scalar(select(User.display_name).where(User.external_id == "L7")) == "Learner 7"


def test_a_file_that_is_not_a_roster_is_refused_with_one_line(app, session):
    client, _ = staff_client(app, session, "operator")
    page = _check(client, b"learner,full name\n1,Asha\n").get_data(as_text=True)
    assert "unknown columns: learner, full name; missing: learner_id, name" in page
    assert "not UTF-8" in _check(client, "learner_id,name\n1,Ã\n".encode("latin-1")).get_data(as_text=True)


def test_the_page_documents_the_columns_and_offers_a_sample(app, session):
    client, _ = staff_client(app, session, "operator")
    page = client.get(PAGE).get_data(as_text=True)
    assert all(f"<code>{name}</code>" in page for name in NAMES)
    sample = client.get(f"{PAGE}sample.csv")
    assert sample.mimetype == "text/csv"
    assert sample.get_data(as_text=True) == sample_csv()
    assert run_import(session, sample.data, apply=False).count("create") == 2


def test_teachers_may_not_import(app, session):
    client, _ = staff_client(app, session, "teacher")
    assert client.get(PAGE).status_code == 403
    assert _check(client, _csv([_row("L1", "Asha")])).status_code in (400, 403)


def test_a_row_refused_by_a_rule_of_the_database_is_not_half_applied(session):
    from tests import factories as f

    f.make_group(session, name="Class G-7A", external_id="G-elsewhere")
    session.commit()
    report = run_import(session, _csv([_row("L1", "Asha"), _row("L2", "Ravi", group="G-7B")]), apply=True)
    session.commit()
    assert [r.action for r in report.rows] == ["refuse", "create"]
    assert report.rows[0].reasons[0] == "group_name: another study group has this name"
    assert {u.external_id for u in session.scalars(select(User).where(User.role == "learner"))} == {"L2"}
