"""Users: learners (operators and admins), staff accounts (admins only), profiles."""

from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_admin.actions import action
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import PasswordField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from webapp.admin.base import SecureModelView
from webapp.auth.access import LEARNER, STAFF, Action, can
from webapp.auth.accounts import (
    STAFF_ROLE_NAMES,
    AccountError,
    check_password,
    email_owner,
    normalise_email,
    store_email,
)
from webapp.auth.passwords import hash_password
from webapp.auth.sessions import end_sessions
from webapp.extensions import db
from webapp.i18n import N_
from webapp.models import Badge, User, UserProfile
from webapp.models.core.enums import AuditAction, Role
from webapp.services.badges import BadgeError, award_badge

CATEGORY = _l("Users")
EMAIL_TAKEN = _l("This email cannot be used: another account has it (in some mix of upper and lower case).")


def unique_email(normalise: Any) -> Any:
    """A field validator: a valid address that no other account has in any case; stores its normal form."""

    def check(form: Any, field: Any) -> None:
        try:
            field.data = normalise(field.data or "")
        except AccountError as exc:
            raise ValidationError(str(exc)) from exc
        editing = getattr(form, "_obj", None)
        if email_owner(db.session, field.data, exclude_id=getattr(editing, "id", None)) is not None:
            raise ValidationError(EMAIL_TAKEN)

    return check


class _UserSubsetView(SecureModelView):
    """Users of some roles only: lists, counts and lookups by id all stay inside the subset."""

    roles: tuple[Role, ...] = ()
    column_searchable_list = ("email", "display_name")
    column_filters = ("is_active", "created_at", "last_seen_at", "locale")
    column_default_sort = ("created_at", True)
    column_details_exclude_list = ("password_hash", "session_version")
    column_export_exclude_list = ("password_hash", "session_version")
    form_excluded_columns = ("password_hash", "session_version", "created_at", "updated_at", "last_seen_at")

    def get_query(self) -> Any:
        return super().get_query().filter(User.role.in_(self.roles))

    def get_count_query(self) -> Any:
        return db.session.query(func.count(User.id)).filter(User.role.in_(self.roles))

    def get_one(self, id: Any) -> Any:
        user = super().get_one(id)
        return user if user is not None and user.role in self.roles else None


class LearnerView(_UserSubsetView):
    """Learner accounts: no password, never a login here."""

    resource = LEARNER
    thing = N_("learner")
    roles = (Role.LEARNER,)
    column_list = ("display_name", "email", "is_active", "locale", "timezone", "created_at", "last_seen_at")
    form_columns = ("email", "display_name", "is_active", "timezone", "locale")
    form_args = {"email": {"validators": [InputRequired(), unique_email(store_email)]}}
    extra_view_actions = {"award_badge_view": Action.LIST}

    def validate_model(self, form: Any, model: User, is_created: bool) -> None:
        model.role = Role.LEARNER
        model.password_hash = None

    @action("award_badge", _l("Award a badge to the selected learners"), None)
    def action_award_badge(self, ids: list[str]) -> Any:
        if not can(current_user, "UserBadge", Action.CREATE):
            abort(403)
        badges = db.session.scalars(select(Badge).where(Badge.is_active).order_by(Badge.name)).all()
        learners = [u for u in (self.get_one(i) for i in ids[:500]) if u is not None]
        return self.render("admin/award_badge.html", badges=badges, learners=learners)

    @expose("/award-badge/", methods=("POST",))
    def award_badge_view(self) -> Any:
        """Award one badge to the chosen learners, once each, through the badge service."""
        if not can(current_user, "UserBadge", Action.CREATE):
            abort(403)
        badge = db.session.get(Badge, request.form.get("badge_id", type=int) or 0)
        learners = [
            u for u in (self.get_one(i) for i in request.form.getlist("rowid")[:500]) if u is not None
        ]
        if badge is None or not learners:
            flash(gettext("Choose a badge and at least one learner."), "error")
            return redirect(url_for(".index_view"))
        try:
            new = [
                u.id for u in learners if award_badge(db.session, u.id, badge.id, "admin", current_user.id)
            ]
        except BadgeError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(url_for(".index_view"))
        self.audit(
            AuditAction.ACTION,
            badge,
            {"awarded_to": [None, new]},
            summary=f"awarded badge {badge.slug} to {len(new)} of {len(learners)} selected learners",
            resource="Badge",  # in the badge's history
        )
        db.session.commit()
        flash(
            gettext(
                "Awarded “%(badge)s” to %(new)s learner(s); %(had)s already had it.",
                badge=badge.name,
                new=len(new),
                had=len(learners) - len(new),
            )
        )
        return redirect(url_for(".index_view"))


class StaffAccountView(_UserSubsetView):
    """Staff accounts and roles (admins only); role, activity and password changes end sessions."""

    resource = STAFF
    thing = N_("staff account")
    roles = (Role.TEACHER, Role.OPERATOR, Role.ADMIN)
    column_list = ("display_name", "email", "role", "is_active", "created_at", "last_seen_at")
    column_filters = ("role", "is_active", "created_at", "last_seen_at")
    form_columns = ("email", "display_name", "role", "is_active", "timezone", "locale", "new_password")
    enum_choices = {"role": set(STAFF_ROLE_NAMES)}
    form_args = {"email": {"validators": [InputRequired(), unique_email(normalise_email)]}}
    form_extra_fields = {
        "new_password": PasswordField(
            _l("New password"),
            validators=[Optional(), Length(max=200)],
            description=_l("Leave empty to keep the current password. At least 12 characters."),
        )
    }

    def validate_model(self, form: Any, model: User, is_created: bool) -> None:
        if model.role not in self.roles:
            raise ValidationError(gettext("Choose a staff role."))
        password = form.new_password.data or ""
        if is_created and not password:
            raise ValidationError(gettext("A new staff account needs a password."))
        if model.id == current_user.id and (model.role != Role.ADMIN or not model.is_active):
            raise ValidationError(gettext("You cannot remove your own admin access."))
        if password:
            try:
                check_password(password)
            except AccountError as exc:
                raise ValidationError(str(exc)) from exc
            model.password_hash = hash_password(password)
        if not is_created and (password or _changed(model, "role") or _changed(model, "is_active")):
            end_sessions(model)

    def on_model_delete(self, model: User) -> None:
        if model.id == current_user.id:
            raise ValidationError(gettext("You cannot delete your own account."))
        super().on_model_delete(model)


def _changed(model: Any, field: str) -> bool:
    return db.inspect(model).attrs[field].history.has_changes()


class UserProfileView(SecureModelView):
    """Learners' descriptive profiles."""

    thing = N_("profile")
    column_list = ("user", "grade_level", "school", "age_band", "updated_at")
    column_searchable_list = ("school", "user.display_name", "user.email")
    column_filters = ("grade_level", "age_band", "school", "updated_at")
    column_default_sort = ("updated_at", True)
    form_columns = (
        "user",
        "grade_level",
        "school",
        "age_band",
        "date_of_birth",
        "goals",
        "bio",
        "avatar_url",
    )


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        LearnerView(User, name=_l("Learners"), category=CATEGORY, endpoint="learner"),
        StaffAccountView(User, name=_l("Staff accounts"), category=CATEGORY, endpoint="staffaccount"),
        UserProfileView(UserProfile, name=_l("Profiles"), category=CATEGORY),
    ]
