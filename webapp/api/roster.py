"""POST /api/v1/roster: learners, study groups, memberships and teachers' assignments."""

from flask import g, request

from webapp.api.responses import json_response
from webapp.api.spec import operation
from webapp.extensions import db
from webapp.models.core.enums import ApiScope
from webapp.models.ingest.schemas import BatchResult, RosterBatch
from webapp.services.ingest import ingest_roster


@operation(
    "POST", "/roster", tag="roster", body=RosterBatch, response=BatchResult, scope=ApiScope.ROSTER_WRITE
)
def post_roster():
    """Send a batch of roster changes.

    Learners and study groups are created or updated by the platform's own ids (`id`); a
    membership names a learner and a group (created earlier in the same batch, or before),
    with the day the learner joined and, once known, the day they left. A teacher's
    assignment names a teacher's staff account by email (admins create staff accounts).
    """
    result = ingest_roster(db.session, g.api_client, request.get_data(cache=False), request.remote_addr)
    db.session.commit()
    return json_response(result)
