"""Loading the signed-in user from the session cookie."""

from webapp.extensions import db, login_manager
from webapp.models import User


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
