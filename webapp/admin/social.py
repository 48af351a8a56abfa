"""Social: study groups and members, connections, activities and feeds."""

from webapp.admin.base import SecureModelView
from webapp.admin.users import USER_SEARCH
from webapp.models import ActivityFeed, GroupMember, SocialActivity, StudyGroup, UserConnection

CATEGORY = "Social"


class StudyGroupView(SecureModelView):
    thing = "study group"
    column_list = ("name", "owner", "is_active", "created_at")
    column_searchable_list = ("name", "description")
    column_filters = ("is_active", "created_at")
    column_default_sort = ("name", False)
    form_excluded_columns = ("members", "created_at", "updated_at")
    form_ajax_refs = {"owner": USER_SEARCH}


class GroupMemberView(SecureModelView):
    thing = "group membership"
    column_list = ("group", "user", "role", "joined_at")
    column_searchable_list = ("user.email", "user.display_name", "group.name")
    column_filters = ("role", "group.name", "joined_at")
    column_default_sort = ("joined_at", True)
    form_ajax_refs = {"user": USER_SEARCH}


class UserConnectionView(SecureModelView):
    thing = "connection"
    column_list = ("follower", "followee", "kind", "status", "created_at")
    column_searchable_list = ("follower.email", "follower.display_name")
    column_filters = ("kind", "status", "created_at")
    column_default_sort = ("created_at", True)
    form_ajax_refs = {"follower": USER_SEARCH, "followee": USER_SEARCH}


class SocialActivityView(SecureModelView):
    thing = "activity"
    simple_list_pager = True
    column_list = ("created_at", "actor", "verb", "object_type", "summary")
    column_searchable_list = ("summary", "actor.email")
    column_filters = ("verb", "object_type", "created_at")
    column_default_sort = ("id", True)
    form_ajax_refs = {"actor": USER_SEARCH}


class ActivityFeedView(SecureModelView):
    thing = "feed item"
    simple_list_pager = True
    column_list = ("recipient", "activity", "is_read", "created_at", "read_at")
    column_searchable_list = ("recipient.email",)
    column_filters = ("is_read", "created_at")
    column_default_sort = ("id", True)
    form_ajax_refs = {"recipient": USER_SEARCH}


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        StudyGroupView(StudyGroup, name="Study groups", category=CATEGORY),
        GroupMemberView(GroupMember, name="Group members", category=CATEGORY),
        UserConnectionView(UserConnection, name="Connections", category=CATEGORY),
        SocialActivityView(SocialActivity, name="Activities", category=CATEGORY),
        ActivityFeedView(ActivityFeed, name="Activity feeds", category=CATEGORY),
    ]
