"""Points adjustments: an operator grants or removes points only as a ledger transaction.

Two steps: the form, then a confirmation that shows the learner's balance and
the balance the adjustment leaves; only the confirmation records it. Both steps
check the limits (webapp.services.adjustments).
"""

import uuid
from typing import Any

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange

from webapp.admin.base import SecurePage
from webapp.auth.access import POINTS_ADJUSTMENT, Action, can
from webapp.auth.accounts import find_user
from webapp.extensions import db
from webapp.i18n import number
from webapp.models import PointsTransaction, User
from webapp.models.core.enums import AuditAction, PointsReason, Role
from webapp.services import audit
from webapp.services.adjustments import AdjustmentRefused, Limits, apply_adjustment, plan_adjustment

TEMPLATE = "admin/points_adjustment.html"


class AdjustmentForm(FlaskForm):
    """Learner, a non-zero amount and the reason; the key makes a double submit harmless."""

    learner_email = StringField(_l("Learner email"), validators=[InputRequired(), Length(max=254)])
    amount = IntegerField(
        _l("Points (negative to remove)"),
        validators=[InputRequired(), NumberRange(min=-1_000_000, max=1_000_000)],
    )
    note = TextAreaField(_l("Reason"), validators=[InputRequired(), Length(min=5, max=500)])
    key = HiddenField(validators=[InputRequired(), Length(max=64)])
    confirmed = HiddenField()


def limits() -> Limits:
    """This app's adjustment limits (POINTS_ADJUSTMENT_LIMIT, POINTS_LOWEST_BALANCE)."""
    config = current_app.config
    return Limits(config.get("POINTS_ADJUSTMENT_LIMIT", 5_000), config.get("POINTS_LOWEST_BALANCE", 0))


class PointsAdjustmentView(SecurePage):
    """Grant or remove points by appending an "adjustment" transaction with a reason, once confirmed."""

    resource = POINTS_ADJUSTMENT
    extra_view_actions = {"index": Action.LIST}

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        form = AdjustmentForm()
        form.key.data = form.key.data or uuid.uuid4().hex
        if not form.is_submitted():
            return self._form_page(form)
        if not can(current_user, self.resource, Action.CREATE):
            abort(403)
        learner = _learner(form) if form.validate() else None
        if learner is None or "change" in request.form:
            return self._form_page(form)
        try:
            if form.confirmed.data != "yes":
                plan = plan_adjustment(db.session, learner, form.amount.data, limits())
                return self.render(TEMPLATE, form=form, plan=plan, learner=learner, limits=limits())
            return self._apply(form, learner)
        except AdjustmentRefused as exc:
            db.session.rollback()
            form.amount.errors.append(str(exc))
            return self._form_page(form)

    def _form_page(self, form: AdjustmentForm) -> Any:
        recent = db.session.scalars(
            select(PointsTransaction)
            .where(PointsTransaction.reason == PointsReason.ADJUSTMENT)
            .order_by(PointsTransaction.created_at.desc(), PointsTransaction.id.desc())
            .limit(20)
        ).all()
        return self.render(TEMPLATE, form=form, recent=recent, plan=None, limits=limits())

    def _apply(self, form: AdjustmentForm, learner: User) -> Any:
        note = form.note.data.strip()
        tx, plan = apply_adjustment(
            db.session,
            learner,
            form.amount.data,
            note,
            form.key.data,
            actor_id=current_user.id,
            limits=limits(),
        )
        if tx is None:
            db.session.rollback()
            flash(gettext("This adjustment was already recorded."), "success")
            return redirect(url_for(".index"))
        audit.record(
            db.session, actor=current_user, action=AuditAction.CREATE, model="PointsTransaction",
            object_id=str(tx.id), summary=f"points adjustment of {tx.amount} for {learner.email}",
            changes={"user_id": [None, learner.id], "amount": [None, tx.amount], "note": [None, tx.note]},
        )  # fmt: skip
        db.session.commit()
        message = gettext(
            "Recorded: %(name)s now has %(points)s points.",
            name=learner.display_name,
            points=number(plan.resulting),
        )
        flash(message, "success")
        return redirect(url_for(".index"))


def _learner(form: AdjustmentForm) -> User | None:
    learner = find_user(db.session, form.learner_email.data)
    if learner is None or learner.role != Role.LEARNER:
        form.learner_email.errors.append("No learner has this email.")
        return None
    return learner
