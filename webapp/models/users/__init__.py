"""Learners and staff."""

from webapp.models.users.models import User, UserProfile

__all__ = ["User", "UserProfile"]
