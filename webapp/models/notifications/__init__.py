"""Notifications sent to learners, their preferences, and the templates."""

from webapp.models.notifications.models import Notification, NotificationPreference
from webapp.models.notifications.templates import NotificationTemplate

__all__ = ["Notification", "NotificationPreference", "NotificationTemplate"]
