"""Skills, mastery, learning paths, quizzes and preferences."""

from webapp.models.learning.assessments import AssessmentResult, QuizAttempt
from webapp.models.learning.paths import LearningPath, PathEnrolment, PathModule
from webapp.models.learning.preferences import ContentPreference, LearningPreference
from webapp.models.learning.skills import Skill, SkillMastery

__all__ = [
    "AssessmentResult",
    "ContentPreference",
    "LearningPath",
    "LearningPreference",
    "PathEnrolment",
    "PathModule",
    "QuizAttempt",
    "Skill",
    "SkillMastery",
]
