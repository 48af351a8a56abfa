"""Loading the signed-in user from the session cookie, and ending sessions.

A staff session ends:
- on logout, deactivation or a password change (the session version bumps);
- after SESSION_IDLE_MINUTES (30) without a request;
- PERMANENT_SESSION_LIFETIME (8 hours) after the login, however active it was.

The cookie is permanent only so that it survives closing the tab within those
bounds; the two times are kept in the signed session and checked on every
request, before any view sees the user.
"""

import time
from datetime import timedelta

from flask import Flask, current_app, flash, session
from flask_login import logout_user

from webapp.extensions import db, login_manager
from webapp.i18n import tr
from webapp.models import User

LOGIN_AT = "_login_at"
SEEN_AT = "_seen_at"


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """Return the staff user named by a session identity "id:version", if still valid."""
    user_id, _, version = identity.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    if not (user.is_active and user.is_staff and user.password_hash):
        return None
    return user


def end_sessions(user: User) -> None:
    """Invalidate every existing session of user (logout, deactivation, password change)."""
    user.session_version += 1


def start_session() -> None:
    """Stamp a new login's session with its start, for the idle and absolute limits."""
    session[LOGIN_AT] = session[SEEN_AT] = time.time()


def _expired_because() -> str | None:
    idle = timedelta(minutes=current_app.config.get("SESSION_IDLE_MINUTES", 30)).total_seconds()
    lifetime = current_app.config["PERMANENT_SESSION_LIFETIME"]
    lifetime = lifetime.total_seconds() if isinstance(lifetime, timedelta) else float(lifetime)
    now = time.time()
    login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
    if not isinstance(login_at, int | float) or not isinstance(seen_at, int | float):
        return tr("Please log in again.")  # a session from before these limits existed
    if now - seen_at > idle:
        return tr("You were logged out after {n} minutes without activity. Please log in again.").format(
            n=int(idle // 60)
        )
    if now - login_at > lifetime:
        return tr("You were logged out {n} hours after logging in. Please log in again.").format(
            n=int(lifetime // 3600)
        )
    return None


def check_session_age() -> None:
    """End a signed-in session that was idle or lived too long; otherwise note this request."""
    if "_user_id" not in session:
        return
    reason = _expired_because()
    if reason is None:
        session[SEEN_AT] = time.time()
        return
    logout_user()
    session.clear()
    flash(reason, "info")


def init_session_limits(app: Flask) -> None:
    """Check the age of signed-in sessions before every request."""
    app.before_request(check_session_age)
