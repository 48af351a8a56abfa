"""The admin Jobs page: admins only; last run, next run, failures with their message; Run now."""

from sqlalchemy import select

from tests import factories as f
from tests.admin.support import staff_client, token
from webapp.models import AuditEntry, JobRun
from webapp.models.core.enums import JobStatus


def test_admins_see_every_job_and_a_failure_with_its_message(app, session) -> None:
    f.make_job_run(session, job="engine_update", rows_touched=37)
    f.make_job_run(session, job="teacher_digest", status=JobStatus.FAILED, message="APP_BASE_URL is not set")
    session.commit()
    admin = staff_client(app, session, "admin")[0]
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert "Engine update after ingest" in page
    assert "every 30 s" in page
    assert ">37<" in page
    assert "APP_BASE_URL is not set" in page
    assert 'data-job="teacher_digest"' in page
    runs = admin.get("/admin/jobs/teacher_digest/")
    assert runs.status_code == 200
    assert "APP_BASE_URL is not set" in runs.get_data(as_text=True)
    assert admin.get("/admin/jobs/nope/").status_code == 404


def test_operators_and_teachers_are_refused(app, session) -> None:
    for role in ("operator", "teacher"):
        assert staff_client(app, session, role)[0].get("/admin/jobs/").status_code == 403


def test_run_now_runs_the_job_and_is_audited(app, session) -> None:
    admin = staff_client(app, session, "admin")[0]
    response = admin.post("/admin/jobs/expire_duels/run", data={"csrf_token": token(admin)})
    assert response.status_code == 302
    run = session.scalars(select(JobRun).where(JobRun.job == "expire_duels")).one()
    assert (run.status, run.trigger.value) == (JobStatus.SUCCEEDED, "manual")
    assert session.scalars(select(AuditEntry.summary)).all() == ["run job expire_duels now: ran"]
    assert admin.post("/admin/jobs/expire_duels/run").status_code == 400  # no CSRF token
