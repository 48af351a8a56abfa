"""Staff account operations shared by the CLI and the admin."""

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.auth.passwords import hash_password
from webapp.auth.sessions import end_sessions
from webapp.models import User
from webapp.models.core.enums import Role

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
STAFF_ROLE_NAMES = ("teacher", "operator", "admin")


class AccountError(ValueError):
    """An account operation was refused; the message is fit to show."""


def normalise_email(email: str) -> str:
    """Return the email lower-cased and checked, or raise AccountError."""
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"not a valid email address: {email!r}") from exc


def check_password(password: str) -> None:
    """Raise AccountError unless the password is long enough (and not absurdly long)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")


def find_user(session: Session, email: str) -> User | None:
    """Return the user with this email (case-insensitive), if any."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_staff(
    session: Session, email: str, role: str, password: str, display_name: str | None = None
) -> User:
    """Add an active staff account; raise AccountError on bad input or a taken email."""
    if role not in STAFF_ROLE_NAMES:
        raise AccountError(f"role must be one of {', '.join(STAFF_ROLE_NAMES)}")
    email = normalise_email(email)
    check_password(password)
    if find_user(session, email) is not None:
        raise AccountError(f"an account with the email {email} already exists")
    user = User(
        email=email,
        display_name=(display_name or email.split("@")[0])[:120],
        role=Role(role),
        is_active=True,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Give a staff user a new password and end their sessions."""
    if not user.is_staff:
        raise AccountError("learners have no password here")
    check_password(password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def deactivate(user: User) -> None:
    """Switch an account off and end its sessions."""
    user.is_active = False
    end_sessions(user)
