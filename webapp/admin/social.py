"""Social: study groups and members, connections, activities and feeds."""

from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

from webapp.admin.base import SecureModelView
from webapp.admin.people import Pick
from webapp.i18n import N_
from webapp.models import ActivityFeed, GroupMember, SocialActivity, StudyGroup, UserConnection
from webapp.models.core.enums import GroupRole, Role

CATEGORY = _l("Social")


class StudyGroupView(SecureModelView):
    thing = N_("study group")
    people_fields = {"owner": Pick(learners=False, staff=(Role.TEACHER,))}
    column_list = ("name", "owner", "is_active", "created_at")
    column_searchable_list = ("name", "description")
    column_filters = ("is_active", "created_at")
    column_default_sort = ("name", False)
    form_excluded_columns = ("members", "created_at", "updated_at")


class GroupMemberView(SecureModelView):
    """Learners in groups (operators and admins), and teachers' assignments to groups (admins)."""

    thing = N_("group membership")
    people_fields = {"user": Pick(learners=True, staff=(Role.TEACHER,))}
    column_list = ("group", "user", "role", "joined_at")
    column_searchable_list = ("user.email", "user.display_name", "group.name")
    column_filters = ("role", "group.name", "joined_at")
    column_default_sort = ("joined_at", True)

    def validate_model(self, form: Any, model: GroupMember, is_created: bool) -> None:
        role = GroupRole(model.role)
        wanted = Role.TEACHER if role == GroupRole.TEACHER else Role.LEARNER
        if model.user is not None and model.user.role != wanted:
            if wanted == Role.TEACHER:
                raise ValidationError(gettext("A teacher of a group must be a teacher account."))
            raise ValidationError(gettext("A member of a group must be a learner account."))


class UserConnectionView(SecureModelView):
    thing = N_("connection")
    column_list = ("follower", "followee", "kind", "status", "created_at")
    column_searchable_list = ("follower.email", "follower.display_name")
    column_filters = ("kind", "status", "created_at")
    column_default_sort = ("created_at", True)


class SocialActivityView(SecureModelView):
    thing = N_("activity")
    simple_list_pager = True
    column_list = ("created_at", "actor", "verb", "object_type", "summary")
    column_searchable_list = ("summary", "actor.email")
    column_filters = ("verb", "object_type", "created_at")
    column_default_sort = ("id", True)


class ActivityFeedView(SecureModelView):
    thing = N_("feed item")
    simple_list_pager = True
    column_list = ("recipient", "activity", "is_read", "created_at", "read_at")
    column_searchable_list = ("recipient.email",)
    column_filters = ("is_read", "created_at")
    column_default_sort = ("id", True)


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        StudyGroupView(StudyGroup, name=_l("Study groups"), category=CATEGORY),
        GroupMemberView(GroupMember, name=_l("Group members"), category=CATEGORY),
        UserConnectionView(UserConnection, name=_l("Connections"), category=CATEGORY),
        SocialActivityView(SocialActivity, name=_l("Activities"), category=CATEGORY),
        ActivityFeedView(ActivityFeed, name=_l("Activity feeds"), category=CATEGORY),
    ]
