"""GET /api/v1/me: which client a token belongs to (a cheap way to check a token)."""

from flask import g

from webapp.api.spec import operation
from webapp.models.ingest.schemas import ClientInfo


@operation("GET", "/me", tag="clients", response=ClientInfo)
def get_me():
    """Describe the calling client: its name, scopes and rate limit."""
    client = g.api_client
    info = ClientInfo(
        name=client.name, scopes=sorted(client.scopes), rate_limit_per_minute=client.rate_limit_per_minute
    )
    return info.model_dump(mode="json")
