"""POST /api/v1/activity: learner activity from the platform's apps."""

from flask import g, request

from webapp.api.responses import json_response
from webapp.api.spec import operation
from webapp.extensions import db
from webapp.models.core.enums import ApiScope
from webapp.models.ingest.schemas import ActivityBatch, BatchResult
from webapp.services.ingest import ingest_activity


@operation(
    "POST",
    "/activity",
    tag="activity",
    body=ActivityBatch,
    response=BatchResult,
    scope=ApiScope.ACTIVITY_WRITE,
)
def post_activity():
    """Send a batch of learner activity.

    Learning sessions (send one when it starts, and again with `ended_at` once it ends), the
    events, attention spans and focus metrics inside sessions, quiz attempts (started, then
    submitted), daily logins, behaviour events, points earned in the app, and learners'
    progress in learning paths. Items of a session name it by your `id` for the session.
    """
    result = ingest_activity(db.session, g.api_client, request.get_data(cache=False), request.remote_addr)
    db.session.commit()
    return json_response(result)
