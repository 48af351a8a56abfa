"""Analytics: rollups and features (read-only, recomputed by the refresh) and saved reports."""

from flask_babel import lazy_gettext as _l

from webapp.admin.base import SecureModelView
from webapp.admin.people import Pick
from webapp.i18n import N_
from webapp.models import DailyMetric, HourlyMetric, LearnerDay, LearnerFeatureSnapshot, ReportDefinition
from webapp.models.core.enums import Role

CATEGORY = _l("Analytics")


class DailyMetricView(SecureModelView):
    column_list = (
        "day",
        "scope",
        "active_learners",
        "weekly_active_learners",
        "sessions",
        "learning_minutes",
    )
    column_filters = ("day", "scope")
    column_default_sort = ("day", True)


class HourlyMetricView(SecureModelView):
    simple_list_pager = True
    column_list = ("day", "hour", "scope", "sessions", "learning_minutes")
    column_filters = ("day", "scope", "hour")
    column_default_sort = ("id", True)


class LearnerDayView(SecureModelView):
    simple_list_pager = True
    column_list = (
        "day",
        "user_id",
        "sessions",
        "learning_minutes",
        "quiz_attempts",
        "points_earned",
        "is_active",
    )
    column_labels = {"user_id": "Learner id"}
    column_filters = ("day", "user_id", "is_active")
    column_default_sort = ("id", True)


class FeatureSnapshotView(SecureModelView):
    simple_list_pager = True
    column_list = ("as_of", "user", "feature_set", "version", "created_at")
    column_searchable_list = ("feature_set", "user.email")
    column_filters = ("as_of", "feature_set")
    column_default_sort = ("id", True)


class ReportDefinitionView(SecureModelView):
    thing = N_("saved report")
    people_fields = {"owner": Pick(learners=False, staff=(Role.TEACHER, Role.OPERATOR, Role.ADMIN))}
    column_list = ("name", "report_type", "owner", "is_shared", "updated_at")
    column_searchable_list = ("name",)
    column_filters = ("report_type", "is_shared", "updated_at")
    column_default_sort = ("updated_at", True)
    form_excluded_columns = ("created_at", "updated_at", "share_token")


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        DailyMetricView(DailyMetric, name=_l("Daily metrics"), category=CATEGORY),
        HourlyMetricView(HourlyMetric, name=_l("Hourly metrics"), category=CATEGORY),
        LearnerDayView(LearnerDay, name=_l("Learner days"), category=CATEGORY),
        FeatureSnapshotView(LearnerFeatureSnapshot, name=_l("Feature snapshots"), category=CATEGORY),
        ReportDefinitionView(ReportDefinition, name=_l("Saved reports"), category=CATEGORY),
    ]
