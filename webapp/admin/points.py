"""Points adjustments: an operator grants or removes points only as a ledger transaction."""

import uuid
from typing import Any

from flask import abort, flash, redirect, url_for
from flask_admin import expose
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from webapp.admin.base import SecurePage
from webapp.auth.access import POINTS_ADJUSTMENT, Action, can
from webapp.auth.accounts import find_user
from webapp.extensions import db
from webapp.models import PointsTransaction
from webapp.models.core.enums import AuditAction, PointsReason, Role
from webapp.services import audit
from webapp.services.points import PointsError, award_points

MAX_ADJUSTMENT = 100_000


class AdjustmentForm(FlaskForm):
    """Learner, a non-zero amount and the reason; the key makes a double submit harmless."""

    learner_email = StringField("Learner email", validators=[InputRequired(), Length(max=254)])
    amount = IntegerField(
        "Points (negative to remove)",
        validators=[InputRequired(), NumberRange(min=-MAX_ADJUSTMENT, max=MAX_ADJUSTMENT)],
    )
    note = TextAreaField("Reason", validators=[InputRequired(), Length(min=5, max=500)])
    key = HiddenField(validators=[InputRequired(), Length(max=64)])

    def validate_amount(self, field: IntegerField) -> None:
        if field.data == 0:
            raise ValidationError("Give a non-zero number of points.")


class PointsAdjustmentView(SecurePage):
    """Grant or remove points by appending an "adjustment" transaction with a reason."""

    resource = POINTS_ADJUSTMENT
    extra_view_actions = {"index": Action.LIST}

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        form = AdjustmentForm()
        if not form.key.data:
            form.key.data = uuid.uuid4().hex
        if form.is_submitted():
            if not can(current_user, self.resource, Action.CREATE):
                abort(403)
            if form.validate():
                return self._apply(form)
        recent = db.session.scalars(
            select(PointsTransaction)
            .where(PointsTransaction.reason == PointsReason.ADJUSTMENT)
            .order_by(PointsTransaction.created_at.desc(), PointsTransaction.id.desc())
            .limit(20)
        ).all()
        return self.render("admin/points_adjustment.html", form=form, recent=recent)

    def _apply(self, form: AdjustmentForm) -> Any:
        learner = find_user(db.session, form.learner_email.data)
        if learner is None or learner.role != Role.LEARNER:
            form.learner_email.errors.append("No learner has this email.")
            return self.render("admin/points_adjustment.html", form=form, recent=[])
        try:
            tx = award_points(
                db.session,
                learner.id,
                form.amount.data,
                PointsReason.ADJUSTMENT,
                f"admin-adjustment:{form.key.data}",
                source_type="admin",
                note=form.note.data.strip(),
                created_by_id=current_user.id,
            )
        except PointsError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".index"))
        if tx is not None:
            audit.record(
                db.session,
                actor=current_user,
                action=AuditAction.CREATE,
                model="PointsTransaction",
                object_id=str(tx.id),
                changes={"user_id": [None, learner.id], "amount": [None, tx.amount], "note": [None, tx.note]},
                summary=f"points adjustment of {tx.amount} for {learner.email}",
            )
        db.session.commit()
        flash(
            "Adjustment recorded." if tx is not None else "This adjustment was already recorded.", "success"
        )
        return redirect(url_for(".index"))
