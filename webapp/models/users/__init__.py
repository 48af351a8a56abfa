"""Learners and staff, and the failed logins the throttle counts."""

from webapp.models.users.login_failures import LoginFailure
from webapp.models.users.models import User, UserProfile

__all__ = ["LoginFailure", "User", "UserProfile"]
