"""Password hashing (scrypt through Werkzeug)."""

from werkzeug.security import check_password_hash, generate_password_hash

# A real hash of a random string: verifying against it costs the same as a
# real check, so an unknown email takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("timing-equaliser-not-a-password", method="scrypt")


def hash_password(password: str) -> str:
    """Return a salted scrypt hash of password."""
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check password against a hash; spend the same time when there is no hash."""
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)
