"""Rollups that the dashboards read, saved report views, and the feature store."""

from webapp.models.analytics.breakdowns import ContentTypeMetric, PointsReasonMetric, RetentionCohort
from webapp.models.analytics.marks import ChangeMark
from webapp.models.analytics.metrics import PLATFORM_SCOPE, DailyMetric, HourlyMetric, LearnerDay
from webapp.models.analytics.ml_features import LearnerFeatureSnapshot
from webapp.models.analytics.reports import ReportDefinition
from webapp.models.analytics.risk import LearnerRiskFlag, RiskEvaluation

__all__ = [
    "PLATFORM_SCOPE",
    "ChangeMark",
    "ContentTypeMetric",
    "DailyMetric",
    "HourlyMetric",
    "LearnerDay",
    "LearnerFeatureSnapshot",
    "LearnerRiskFlag",
    "PointsReasonMetric",
    "ReportDefinition",
    "RetentionCohort",
    "RiskEvaluation",
]
