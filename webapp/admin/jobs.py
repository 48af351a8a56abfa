"""The Jobs page: each job's schedule, last run, duration, rows, next run and failures; "Run now"."""

from typing import Any

from flask import abort, current_app, flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_login import current_user

from webapp.admin.base import SecurePage
from webapp.auth.access import JOBS, Action, can
from webapp.extensions import db
from webapp.jobs import control
from webapp.jobs.schedule import BY_NAME
from webapp.models.core.enums import AuditAction
from webapp.services import audit
from webapp.services.jobs import recent_runs


class JobsView(SecurePage):
    """Background jobs for admins (webapp/auth/access.py: JOBS)."""

    resource = JOBS
    extra_view_actions = {"index": Action.LIST, "runs": Action.DETAILS, "run_now": Action.EDIT}

    @expose("/")
    def index(self) -> Any:
        states = control.overview(db.session)
        return self.render("admin/jobs.html", states=states, backlog=control.backlog(db.session),
                           can_run=can(current_user, JOBS, Action.EDIT))  # fmt: skip

    # The URL argument is `job`: Flask-Admin's _handle_view takes `name` for the view's own.
    @expose("/<job>/")
    def runs(self, job: str) -> Any:
        found = BY_NAME.get(job)
        if found is None:
            abort(404)
        return self.render("admin/job_runs.html", job=found, runs=recent_runs(db.session, job, limit=100))

    @expose("/<job>/run", methods=("POST",))
    def run_now(self, job: str) -> Any:
        name = job
        if name not in BY_NAME:
            abort(404)
        outcome = control.dispatch(current_app._get_current_object(), name)
        audit.record(db.session, actor=current_user, action=AuditAction.ACTION, model=JOBS, object_id=name,
                     changes=None, summary=f"run job {name} now: {outcome}")  # fmt: skip
        db.session.commit()
        flash(gettext("%(job)s: %(outcome)s.", job=BY_NAME[name].title, outcome=outcome), "success")
        return redirect(url_for(".index"))
