"""Learning: skills, paths and modules, quizzes and results, preferences, mastery."""

from flask_babel import lazy_gettext as _l
from wtforms.validators import InputRequired, Length, Regexp

from webapp.admin.base import SecureModelView
from webapp.admin.people import Pick
from webapp.i18n import N_
from webapp.models import (
    AssessmentResult,
    ContentPreference,
    LearningPath,
    LearningPreference,
    PathModule,
    QuizAttempt,
    Skill,
    SkillMastery,
)
from webapp.models.core.enums import Role

CATEGORY = _l("Learning")
SLUG = {"validators": [InputRequired(), Length(max=64), Regexp(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")]}


class SkillView(SecureModelView):
    thing = N_("skill")
    column_list = ("name", "slug", "subject", "difficulty", "parent", "is_active")
    column_searchable_list = ("name", "slug", "subject")
    column_filters = ("subject", "difficulty", "is_active")
    column_default_sort = ("name", False)
    form_excluded_columns = ("children", "created_at", "updated_at")
    form_args = {"slug": SLUG}


class SkillMasteryView(SecureModelView):
    """Mastery per learner and skill (derived by the mastery service: read-only)."""

    column_list = ("user", "skill", "mastery", "attempts", "last_practiced_at")
    column_searchable_list = ("user.email", "user.display_name", "skill.name")
    column_filters = ("skill.name", "mastery", "last_practiced_at")
    column_default_sort = ("id", True)


class LearningPathView(SecureModelView):
    thing = N_("learning path")
    column_list = ("name", "slug", "subject", "grade_level", "is_active")
    column_searchable_list = ("name", "slug", "subject")
    column_filters = ("subject", "grade_level", "is_active")
    column_default_sort = ("name", False)
    form_excluded_columns = ("modules", "created_at", "updated_at")
    form_args = {"slug": SLUG}


class PathModuleView(SecureModelView):
    thing = N_("path module")
    column_list = ("path", "position", "title", "skill", "content_type", "estimated_minutes")
    column_searchable_list = ("title", "path.name")
    column_filters = ("path.name", "content_type")
    column_default_sort = [("path_id", False), ("position", False)]


class QuizAttemptView(SecureModelView):
    thing = N_("quiz attempt")
    simple_list_pager = True
    column_list = ("user", "skill", "started_at", "score", "max_score", "correct_count", "total_questions")
    column_searchable_list = ("user.email", "user.display_name")
    column_filters = ("started_at", "difficulty", "skill.name")
    column_default_sort = ("id", True)
    form_excluded_columns = ("result",)


class AssessmentResultView(SecureModelView):
    thing = N_("assessment result")
    people_fields = {"graded_by": Pick(learners=False, staff=(Role.TEACHER,))}
    column_list = ("user", "assessment_name", "percent", "passed", "graded_at", "graded_by")
    column_searchable_list = ("assessment_name", "user.email", "user.display_name")
    column_filters = ("passed", "graded_at", "percent")
    column_default_sort = ("graded_at", True)


class LearningPreferenceView(SecureModelView):
    thing = N_("learning preference")
    column_list = ("user", "preferred_study_time", "daily_goal_minutes", "difficulty", "updated_at")
    column_searchable_list = ("user.email",)
    column_filters = ("preferred_study_time", "difficulty")
    column_default_sort = ("updated_at", True)


class ContentPreferenceView(SecureModelView):
    thing = N_("content preference")
    column_list = ("user", "content_type", "affinity", "updated_at")
    column_searchable_list = ("user.email",)
    column_filters = ("content_type",)
    column_default_sort = ("updated_at", True)


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        SkillView(Skill, name=_l("Skills"), category=CATEGORY),
        SkillMasteryView(SkillMastery, name=_l("Skill mastery"), category=CATEGORY),
        LearningPathView(LearningPath, name=_l("Learning paths"), category=CATEGORY),
        PathModuleView(PathModule, name=_l("Path modules"), category=CATEGORY),
        QuizAttemptView(QuizAttempt, name=_l("Quiz attempts"), category=CATEGORY),
        AssessmentResultView(AssessmentResult, name=_l("Assessment results"), category=CATEGORY),
        LearningPreferenceView(LearningPreference, name=_l("Learning preferences"), category=CATEGORY),
        ContentPreferenceView(ContentPreference, name=_l("Content preferences"), category=CATEGORY),
    ]
