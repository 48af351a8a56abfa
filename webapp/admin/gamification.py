"""Gamification: the badge and streak-milestone editors, streaks, points, leaderboards, duels."""

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms.validators import InputRequired, Length, NumberRange, Regexp, ValidationError

from webapp.admin.base import SecureModelView
from webapp.auth.access import Action
from webapp.extensions import db
from webapp.i18n import N_
from webapp.models import (
    Badge,
    Duel,
    DuelParticipant,
    Leaderboard,
    LeaderboardEntry,
    PointsTransaction,
    StreakActivity,
    StreakFreeze,
    StreakMilestone,
    UserBadge,
    UserPoints,
    UserStreak,
)
from webapp.models.core.enums import AuditAction

CATEGORY = _l("Gamification")
SLUG = Regexp(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", message=_l("Use lower-case letters, digits, - and _ only."))
BADGE_SEARCH = {"fields": (Badge.slug, Badge.name), "page_size": 10}


def _holders(view: Any, context: Any, model: Badge, name: str) -> int:
    return db.session.scalar(select(func.count(UserBadge.id)).where(UserBadge.badge_id == model.id)) or 0


def _listed_holders(view: Any, context: Any, model: Badge, name: str) -> int:
    # Counted for the whole page by BadgeView.get_list; a row listed some other way counts alone.
    counted = getattr(model, "listed_holders", None)
    return counted if counted is not None else _holders(view, context, model, name)


def holder_counts(badge_ids: list[int]) -> dict[int, int]:
    """How many learners hold each of these badges (0 for none): one grouped query."""
    if not badge_ids:
        return {}
    query = (
        select(UserBadge.badge_id, func.count(UserBadge.id))
        .where(UserBadge.badge_id.in_(badge_ids))
        .group_by(UserBadge.badge_id)
    )
    return dict.fromkeys(badge_ids, 0) | {badge_id: int(n) for badge_id, n in db.session.execute(query)}


def _holders_sql() -> Any:
    return select(func.count(UserBadge.id)).where(UserBadge.badge_id == Badge.id).scalar_subquery()


class BadgeView(SecureModelView):
    """Badges: criteria from a fixed list of metrics and a positive threshold."""

    thing = N_("badge")
    column_list = (
        "name", "slug", "tier", "criteria_metric", "criteria_threshold", "points_reward",
        "is_active", "holders",
    )  # fmt: skip
    column_labels = {"criteria_metric": "Metric", "criteria_threshold": "Threshold", "holders": "Holders"}
    column_formatters = {"holders": _listed_holders}
    column_formatters_export: dict = {}
    column_export_sql = {"holders": _holders_sql}  # one query for the whole export
    column_searchable_list = ("name", "slug", "description")
    column_filters = ("tier", "criteria_metric", "is_active", "created_at")
    column_sortable_list = ("name", "slug", "tier", "criteria_threshold", "points_reward", "is_active")
    column_default_sort = ("name", False)
    form_columns = (
        "slug", "name", "description", "icon", "tier", "criteria_metric", "criteria_threshold",
        "points_reward", "is_active",
    )  # fmt: skip
    form_args = {
        "slug": {"validators": [InputRequired(), Length(max=64), SLUG]},
        "name": {"validators": [InputRequired(), Length(max=120)]},
        "icon": {"validators": [Length(max=64)]},
        "description": {"validators": [Length(max=2000)]},
        "criteria_threshold": {
            "validators": [
                InputRequired(),
                NumberRange(min=1, max=1_000_000, message=_l("A positive number.")),
            ]
        },
        "points_reward": {"validators": [NumberRange(min=0, max=1_000_000, message=_l("0 or more."))]},
    }
    extra_view_actions = {"deactivate_view": Action.EDIT}

    def get_list(self, *args: Any, **kwargs: Any) -> Any:
        # The holders column of the page's badges from one grouped query, not a count per row.
        count, rows = super().get_list(*args, **kwargs)
        if kwargs.get("execute", args[5] if len(args) > 5 else True):
            rows = list(rows)
            counts = holder_counts([badge.id for badge in rows])
            for badge in rows:
                badge.listed_holders = counts[badge.id]
        return count, rows

    def on_model_delete(self, model: Badge) -> None:
        holders = _holders(self, None, model, "holders")
        if holders:
            page = render_template("admin/badge_held.html", badge=model, holders=holders)
            raise ValidationError(Markup(page))  # noqa: S704 - rendered by an autoescaping template
        super().on_model_delete(model)

    @expose("/deactivate/", methods=("POST",))
    def deactivate_view(self) -> Any:
        """Switch a badge off instead of deleting it: holders keep it, nobody earns it any more."""
        badge = self.get_one(request.form.get("id", ""))
        if badge is None:
            abort(404)
        if badge.is_active:
            badge.is_active = False
            self.audit(
                AuditAction.UPDATE,
                badge,
                {"is_active": [True, False]},
                summary=f"deactivated badge {badge.slug}",
            )
            db.session.commit()
        holders = _holders(self, None, badge, "holders")
        flash(
            gettext(
                "“%(badge)s” is inactive: its %(holders)s holder(s) keep it, and nobody earns it any more.",
                badge=badge.name,
                holders=holders,
            ),
            "success",
        )
        return redirect(url_for(".index_view"))


class UserBadgeView(SecureModelView):
    """Badges held by learners (award new ones from the Learners list, through the service)."""

    thing = N_("badge award")
    column_list = ("user", "badge", "awarded_at", "awarded_via", "awarded_by")
    column_searchable_list = ("user.email", "user.display_name", "badge.name")
    column_filters = ("awarded_at", "awarded_via", "badge.name")
    column_default_sort = ("awarded_at", True)
    form_columns = ("user", "badge", "awarded_via")
    form_ajax_refs = {"badge": BADGE_SEARCH}


class StreakMilestoneView(SecureModelView):
    """Streak milestones: a number of days -> a badge and points."""

    thing = N_("streak milestone")
    column_list = ("days", "badge", "points", "is_active")
    column_filters = ("is_active", "days")
    column_default_sort = ("days", False)
    form_columns = ("days", "badge", "points", "is_active")
    form_args = {
        "days": {
            "validators": [
                InputRequired(),
                NumberRange(min=1, max=10_000, message=_l("A positive number of days.")),
            ]
        },
        "points": {"validators": [NumberRange(min=0, max=1_000_000, message=_l("0 or more."))]},
    }


class UserStreakView(SecureModelView):
    """Current streaks (derived by the streak service: read-only)."""

    column_list = (
        "user",
        "current_length",
        "longest_length",
        "started_on",
        "last_active_on",
        "freezes_equipped",
    )
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("current_length", "last_active_on")
    column_default_sort = ("current_length", True)


class StreakActivityView(SecureModelView):
    thing = N_("streak day")
    simple_list_pager = True  # a row per learner and active day
    column_list = ("user", "day", "source", "created_at")
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("day", "source")
    column_default_sort = ("day", True)
    form_columns = ("user", "day", "source")


class StreakFreezeView(SecureModelView):
    """Streak freezes; operators grant one by creating it (origin "granted")."""

    thing = N_("streak freeze")
    column_list = ("user", "origin", "status", "acquired_at", "used_on")
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("origin", "status", "acquired_at", "used_on")
    column_default_sort = ("acquired_at", True)
    form_columns = ("user", "origin", "status", "used_on")


class UserPointsView(SecureModelView):
    """Balances: the sum of the ledger, never edited (adjust with a transaction)."""

    column_list = ("user", "balance", "lifetime_earned", "updated_at")
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("balance", "updated_at")
    column_default_sort = ("balance", True)


class PointsTransactionView(SecureModelView):
    """The points ledger (append-only; adjustments go through Points adjustments)."""

    simple_list_pager = True
    column_list = ("created_at", "user", "amount", "reason", "note", "source_type", "source_id", "created_by")
    column_searchable_list = ("user.email", "idempotency_key", "source_id")
    column_filters = ("created_at", "reason", "amount", "source_type", "user.email")
    # Newest first by time: under "id DESC" a learner's page walked the primary key backwards
    # on PostgreSQL without statistics (391,000 rows read for 25 at 1.3 M); by time it reads
    # the learner's entries through (user_id, created_at). Ties by id.
    column_default_sort = [("created_at", True), ("id", True)]


class LeaderboardView(SecureModelView):
    thing = N_("leaderboard")
    column_list = ("name", "period", "scope", "study_group", "metric", "is_active")
    column_searchable_list = ("name",)
    column_filters = ("period", "scope", "metric", "is_active")
    column_default_sort = ("name", False)
    form_excluded_columns = ("created_at", "updated_at")


class LeaderboardEntryView(SecureModelView):
    """Computed rankings (read-only; a row per learner, board and period: large)."""

    simple_list_pager = True
    column_list = ("leaderboard", "period_start", "rank", "user", "score", "previous_rank", "computed_at")
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("period_start", "leaderboard.name", "rank")
    column_default_sort = ("period_start", True)


class DuelView(SecureModelView):
    thing = N_("duel")
    column_list = ("challenger", "opponent", "skill", "status", "created_at", "ended_at", "winner")
    column_filters = ("status", "created_at", "ended_at")
    column_searchable_list = ("challenger.email", "challenger.display_name")
    column_default_sort = ("created_at", True)
    form_excluded_columns = ("participants",)


class DuelParticipantView(SecureModelView):
    thing = N_("duel participant")
    column_list = ("duel", "user", "score", "outcome")
    column_filters = ("outcome",)
    column_searchable_list = ("user.email", "user.display_name")
    column_default_sort = ("id", True)


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        BadgeView(Badge, name=_l("Badges"), category=CATEGORY),
        UserBadgeView(UserBadge, name=_l("Badges held"), category=CATEGORY),
        StreakMilestoneView(StreakMilestone, name=_l("Streak milestones"), category=CATEGORY),
        UserStreakView(UserStreak, name=_l("Streaks"), category=CATEGORY),
        StreakActivityView(StreakActivity, name=_l("Streak days"), category=CATEGORY),
        StreakFreezeView(StreakFreeze, name=_l("Streak freezes"), category=CATEGORY),
        UserPointsView(UserPoints, name=_l("Points balances"), category=CATEGORY),
        PointsTransactionView(PointsTransaction, name=_l("Points ledger"), category=CATEGORY),
        LeaderboardView(Leaderboard, name=_l("Leaderboards"), category=CATEGORY),
        LeaderboardEntryView(LeaderboardEntry, name=_l("Leaderboard entries"), category=CATEGORY),
        DuelView(Duel, name=_l("Duels"), category=CATEGORY),
        DuelParticipantView(DuelParticipant, name=_l("Duel participants"), category=CATEGORY),
    ]
