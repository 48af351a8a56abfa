"""Where a login may send the browser next."""

from urllib.parse import urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Return target if it is a same-site relative path, else default."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
