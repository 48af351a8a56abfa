"""API clients: tokens made, shown once, stored as a SHA-256; rotated, revoked, and checked per request.

A token is `sd_` and 43 random URL-safe characters (256 bits): a fast hash is enough to
store it (nobody can guess such a token), and lets a request find its client by one
indexed lookup. Only the hash and the first 12 characters (to tell tokens apart) are kept.
"""

import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from webapp.models import ApiClient
from webapp.models.core.mixins import utcnow
from webapp.models.ingest.schemas import ApiClientFields

TOKEN_PREFIX = "sd_"  # noqa: S105 - the marker every token starts with, not a secret
SHOWN_PREFIX = 12
# Writing "last used" on every request would make every batch of a client wait on one row.
LAST_USED_EVERY = timedelta(minutes=1)


class ClientError(ValueError):
    """An API client operation that cannot be done."""


@dataclass(frozen=True)
class ClientRef:
    """What a request needs of its client, read once per request."""

    id: int
    name: str
    scopes: frozenset[str]
    allowed_networks: tuple[str, ...]
    rate_limit_per_minute: int
    last_used_at: datetime | None = None

    def use_is_stale(self, now: datetime) -> bool:
        """Whether its recorded last use is old enough to be written again."""
        return self.last_used_at is None or self.last_used_at < now - LAST_USED_EVERY


def new_token() -> str:
    """Return a fresh random token."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """Return the stored form of a token."""
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def create_client(
    session: Session, fields: ApiClientFields, created_by_id: int | None
) -> tuple[ApiClient, str]:
    """Add a client with a new token; return it and the token (shown once, never stored)."""
    if session.scalar(select(ApiClient.id).where(ApiClient.name == fields.name)) is not None:
        raise ClientError("another API client has this name")
    token = new_token()
    client = ApiClient(
        **fields.model_dump(mode="json"),
        token_prefix=token[:SHOWN_PREFIX],
        token_hash=token_hash(token),
        created_by_id=created_by_id,
    )
    session.add(client)
    session.flush()
    return client, token


def rotate_token(session: Session, client: ApiClient) -> str:
    """Give a client a new token (the old one stops working at once); return the new token."""
    if client.revoked_at is not None:
        raise ClientError("a revoked client cannot get a new token")
    token = new_token()
    client.token_prefix, client.token_hash, client.rotated_at = (
        token[:SHOWN_PREFIX],
        token_hash(token),
        utcnow(),
    )
    return token


def revoke(session: Session, client: ApiClient) -> None:
    """Stop a client for good: its token is refused from the next request on."""
    client.is_active = False
    client.revoked_at = client.revoked_at or utcnow()


def authenticate(session: Session, token: str) -> ClientRef | None:
    """Return the active client holding this token, or None."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    row = session.scalars(select(ApiClient).where(ApiClient.token_hash == token_hash(token))).first()
    if row is None or not row.is_active or row.revoked_at is not None:
        return None
    return ClientRef(row.id, row.name, frozenset(row.scopes or ()), tuple(row.allowed_networks or ()),
                     row.rate_limit_per_minute, row.last_used_at)  # fmt: skip


def allowed_from(client: ClientRef, address: str | None) -> bool:
    """Whether the client may call from this address (any, when it has no allow-list)."""
    if not client.allowed_networks:
        return True
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(net, strict=False) for net in client.allowed_networks)


def note_use(session: Session, client_id: int, address: str | None, now: datetime | None = None) -> None:
    """Record when and from where the client last called (at most once a minute)."""
    now = now or utcnow()
    t = ApiClient.__table__
    stale = or_(t.c.last_used_at.is_(None), t.c.last_used_at < now - LAST_USED_EVERY)
    session.execute(
        update(t)
        .where(t.c.id == client_id, stale)
        .values(last_used_at=now, last_used_ip=(address or "")[:64])
    )
