"""Roster import (operators and admins): upload a CSV of learners and groups, read the dry run
row by row, then apply it in one transaction. The upload is kept (by its SHA-256) between the
two steps, so that what is applied is exactly the file that was checked."""

import hashlib
import time
from pathlib import Path
from typing import Any

from flask import Response, abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField
from wtforms.validators import InputRequired, Regexp

from webapp.admin.base import SecurePage
from webapp.auth.access import ROSTER_IMPORT, Action, can
from webapp.extensions import db
from webapp.i18n import number
from webapp.models.core.enums import AuditAction
from webapp.services import audit
from webapp.services.roster_import import COLUMNS, RosterFileError, run_import, sample_csv

KEEP_UPLOADS_SECONDS = 24 * 3600
SHOWN_ROWS = 500


class UploadForm(FlaskForm):
    file = FileField(_l("Roster file (CSV, UTF-8)"), validators=[FileRequired()])


class ApplyForm(FlaskForm):
    digest = HiddenField(validators=[InputRequired(), Regexp(r"^[0-9a-f]{64}$")])


def _uploads() -> Path:
    folder = Path(current_app.instance_path) / "roster-imports"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.csv"):  # uploads nobody applied within a day
        if old.stat().st_mtime < time.time() - KEEP_UPLOADS_SECONDS:
            old.unlink(missing_ok=True)
    return folder


class RosterImportView(SecurePage):
    """Check a roster file, then apply it."""

    resource = ROSTER_IMPORT
    extra_view_actions = {
        "index": Action.LIST,
        "sample": Action.LIST,
        "check": Action.LIST,
        "apply": Action.CREATE,
    }

    @expose("/")
    def index(self) -> Any:
        return self.render("admin/roster_import.html", form=UploadForm(), columns=COLUMNS)

    @expose("/sample.csv")
    def sample(self) -> Response:
        headers = {"Content-Disposition": "attachment; filename=roster-sample.csv"}
        return Response(sample_csv(), mimetype="text/csv", headers=headers)

    @expose("/check", methods=("POST",))
    def check(self) -> Any:
        form = UploadForm()
        if not form.validate():
            return self.render("admin/roster_import.html", form=form, columns=COLUMNS)
        data = form.file.data.read()
        digest = hashlib.sha256(data).hexdigest()
        try:
            report = run_import(db.session, data, apply=False)
        except RosterFileError as exc:
            form.file.errors = [str(exc)]
            return self.render("admin/roster_import.html", form=form, columns=COLUMNS)
        (_uploads() / f"{digest}.csv").write_bytes(data)
        return self.render("admin/roster_preview.html", report=report, shown=report.rows[:SHOWN_ROWS],
                           apply_form=ApplyForm(digest=digest), name=form.file.data.filename)  # fmt: skip

    @expose("/apply", methods=("POST",))
    def apply(self) -> Any:
        form = ApplyForm()
        if not can(current_user, self.resource, Action.CREATE):
            abort(403)
        path = _uploads() / f"{form.digest.data}.csv" if form.validate() else None
        if path is None or not path.exists():
            flash(
                gettext("That file is no longer here (checked more than a day ago?): upload it again."),
                "error",
            )
            return redirect(url_for(".index"))
        report = run_import(db.session, path.read_bytes(), apply=True)
        counts = {a: report.count(a) for a in ("create", "change", "unchanged", "refuse")}
        audit.record(db.session, actor=current_user, action=AuditAction.ACTION, model=ROSTER_IMPORT,
                     object_id=form.digest.data[:16], changes={"rows": [None, counts]},
                     summary="roster import: " + ", ".join(f"{v} {k}" for k, v in counts.items()),
                     remote_addr=request.remote_addr)  # fmt: skip
        db.session.commit()
        path.unlink(missing_ok=True)
        shown = {k: number(v) for k, v in counts.items()}
        flash(gettext("Roster applied: %(create)s rows created, %(change)s changed, %(unchanged)s "
                      "unchanged, %(refuse)s refused.", **shown), "success")  # fmt: skip
        return redirect(url_for(".index"))
