"""Raw engagement activity and the per-learner engagement profile."""

from webapp.models.engagement.attention_span import AttentionSpan, FocusMetrics
from webapp.models.engagement.behavior import BehaviorEvent, UserEngagementProfile
from webapp.models.engagement.daily_login import DailyLogin
from webapp.models.engagement.learning_session import LearningSession, SessionEvent

__all__ = [
    "AttentionSpan",
    "BehaviorEvent",
    "DailyLogin",
    "FocusMetrics",
    "LearningSession",
    "SessionEvent",
    "UserEngagementProfile",
]
