"""Connections between learners, study groups and activity feeds."""

from webapp.models.social.activities import ActivityFeed, SocialActivity
from webapp.models.social.connections import UserConnection
from webapp.models.social.study_groups import GroupMember, StudyGroup

__all__ = ["ActivityFeed", "GroupMember", "SocialActivity", "StudyGroup", "UserConnection"]
