"""Every model with its seed module, factory and schemas: the tables the model tests walk."""

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tests import factories as f
from webapp.models.analytics import schemas as analytics
from webapp.models.audit import schemas as audit
from webapp.models.engagement import schemas as engagement
from webapp.models.gamification import schemas as gamification
from webapp.models.ingest import schemas as ingest
from webapp.models.jobs import schemas as jobs
from webapp.models.learning import schemas as learning
from webapp.models.notifications import schemas as notifications
from webapp.models.social import schemas as social
from webapp.models.users import schemas as users


@dataclass(frozen=True)
class Case:
    name: str
    module: str
    factory: Any
    schemas: Any

    @property
    def read(self) -> type[BaseModel]:
        return getattr(self.schemas, f"{self.name}Read")

    @property
    def create(self) -> type[BaseModel]:
        return getattr(self.schemas, f"{self.name}Create")


M = "webapp.models."
CASES = [
    Case("User", M + "users.models", f.make_learner, users),
    Case("UserProfile", M + "users.models", f.make_profile, users),
    Case("LoginFailure", M + "users.login_failures", f.make_login_failure, users),
    Case("DailyLogin", M + "engagement.daily_login", f.make_daily_login, engagement),
    Case("LearningSession", M + "engagement.learning_session", f.make_session, engagement),
    Case("SessionEvent", M + "engagement.learning_session", f.make_event, engagement),
    Case("AttentionSpan", M + "engagement.attention_span", f.make_attention_span, engagement),
    Case("FocusMetrics", M + "engagement.attention_span", f.make_focus_metrics, engagement),
    Case("BehaviorEvent", M + "engagement.behavior", f.make_behavior_event, engagement),
    Case("UserEngagementProfile", M + "engagement.behavior", f.make_engagement_profile, engagement),
    Case("UserStreak", M + "gamification.streaks", f.make_streak, gamification),
    Case("StreakActivity", M + "gamification.streaks", f.make_streak_activity, gamification),
    Case("StreakFreeze", M + "gamification.streaks", f.make_streak_freeze, gamification),
    Case("Badge", M + "gamification.badges", f.make_badge, gamification),
    Case("UserBadge", M + "gamification.badges", f.make_user_badge, gamification),
    Case("StreakMilestone", M + "gamification.badges", f.make_streak_milestone, gamification),
    Case("UserPoints", M + "gamification.points", f.make_user_points, gamification),
    Case("PointsTransaction", M + "gamification.points", f.make_points_transaction, gamification),
    Case("Leaderboard", M + "gamification.leaderboards", f.make_leaderboard, gamification),
    Case("LeaderboardEntry", M + "gamification.leaderboards", f.make_leaderboard_entry, gamification),
    Case("Duel", M + "gamification.duels", f.make_duel, gamification),
    Case("DuelParticipant", M + "gamification.duels", f.make_duel_participant, gamification),
    Case("Skill", M + "learning.skills", f.make_skill, learning),
    Case("SkillMastery", M + "learning.skills", f.make_mastery, learning),
    Case("LearningPath", M + "learning.paths", f.make_path, learning),
    Case("PathModule", M + "learning.paths", f.make_path_module, learning),
    Case("PathEnrolment", M + "learning.paths", f.make_path_enrolment, learning),
    Case("QuizAttempt", M + "learning.assessments", f.make_quiz_attempt, learning),
    Case("AssessmentResult", M + "learning.assessments", f.make_assessment_result, learning),
    Case("LearningPreference", M + "learning.preferences", f.make_learning_preference, learning),
    Case("ContentPreference", M + "learning.preferences", f.make_content_preference, learning),
    Case("UserConnection", M + "social.connections", f.make_connection, social),
    Case("StudyGroup", M + "social.study_groups", f.make_group, social),
    Case("GroupMember", M + "social.study_groups", f.make_member, social),
    Case("SocialActivity", M + "social.activities", f.make_social_activity, social),
    Case("ActivityFeed", M + "social.activities", f.make_feed_item, social),
    Case("Notification", M + "notifications.models", f.make_notification, notifications),
    Case("NotificationPreference", M + "notifications.models", f.make_notification_preference, notifications),
    Case("NotificationTemplate", M + "notifications.templates", f.make_template, notifications),
    Case("DailyMetric", M + "analytics.metrics", f.make_daily_metric, analytics),
    Case("HourlyMetric", M + "analytics.metrics", f.make_hourly_metric, analytics),
    Case("LearnerDay", M + "analytics.metrics", f.make_learner_day, analytics),
    Case("ContentTypeMetric", M + "analytics.breakdowns", f.make_content_type_metric, analytics),
    Case("PointsReasonMetric", M + "analytics.breakdowns", f.make_points_reason_metric, analytics),
    Case("RetentionCohort", M + "analytics.breakdowns", f.make_retention_cohort, analytics),
    Case("ChangeMark", M + "analytics.marks", f.make_change_mark, analytics),
    Case("LearnerRiskFlag", M + "analytics.risk", f.make_risk_flag, analytics),
    Case("RiskEvaluation", M + "analytics.risk", f.make_risk_evaluation, analytics),
    Case("LearnerFeatureSnapshot", M + "analytics.ml_features", f.make_feature_snapshot, analytics),
    Case("ReportDefinition", M + "analytics.reports", f.make_report, analytics),
    Case("AuditEntry", M + "audit.log", f.make_audit_entry, audit),
    Case("JobRun", M + "jobs.runs", f.make_job_run, jobs),
    Case("ApiClient", M + "ingest.clients", f.make_api_client, ingest),
    Case("IngestReceipt", M + "ingest.receipts", f.make_ingest_receipt, ingest),
]

IDS = [case.name for case in CASES]
