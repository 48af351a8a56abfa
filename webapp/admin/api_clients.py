"""API clients (admins only): create one with its scopes, allow-list and rate limit; see its
last use; rotate its token or revoke it. A token is shown once, on the page that made it."""

from typing import Any

from flask import abort, flash, make_response, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from pydantic import ValidationError
from sqlalchemy import select
from wtforms import IntegerField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange

from webapp.admin.base import SecurePage
from webapp.auth.access import API_CLIENTS, Action, can
from webapp.extensions import db
from webapp.models import ApiClient
from webapp.models.core.enums import ApiScope, AuditAction
from webapp.models.ingest.schemas import ApiClientFields
from webapp.services import audit
from webapp.services.ingest.clients import ClientError, create_client, revoke, rotate_token

SCOPE_HELP = {
    ApiScope.ACTIVITY_WRITE: "send learner activity (sessions, events, quizzes, logins, points, progress)",
    ApiScope.ROSTER_WRITE: "send learners, study groups, memberships and teachers' assignments",
    ApiScope.NOTIFICATIONS_READ: "read learners' in-app notifications",
    ApiScope.NOTIFICATIONS_WRITE: "mark learners' in-app notifications read",
}


class ClientForm(FlaskForm):
    """A new client: name, scopes, allow-list (one network a line) and rate limit."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=120)])
    scopes = SelectMultipleField(
        _l("Scopes"), choices=[SelectChoice(s.value, f"{s.value}: {SCOPE_HELP[s]}") for s in ApiScope]
    )
    networks = TextAreaField(_l("Allowed networks (one address or CIDR a line; empty: anywhere)"))
    rate_limit = IntegerField(_l("Rate limit (requests a minute)"), default=600,
                              validators=[InputRequired(), NumberRange(min=1, max=1_000_000)])  # fmt: skip


class ApiClientsView(SecurePage):
    """The ingest API's clients and their tokens."""

    resource = API_CLIENTS
    extra_view_actions = {"index": Action.LIST, "rotate": Action.EDIT, "revoke_view": Action.EDIT}

    @expose("/", methods=("GET", "POST"))
    def index(self) -> Any:
        form = ClientForm()
        if form.is_submitted():
            if not can(current_user, self.resource, Action.CREATE):
                abort(403)
            if form.validate():
                return self._create(form)
        clients = db.session.scalars(
            select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.name)
        )
        return self.render("admin/api_clients.html", form=form, clients=clients.all())

    def _create(self, form: ClientForm) -> Any:
        networks = [line.strip() for line in (form.networks.data or "").splitlines() if line.strip()]
        try:
            fields = ApiClientFields(name=form.name.data, scopes=form.scopes.data, allowed_networks=networks,
                                     rate_limit_per_minute=form.rate_limit.data)  # fmt: skip
            client, token = create_client(db.session, fields, current_user.id)
        except ValidationError as exc:
            for error in exc.errors():
                target = {"scopes": form.scopes, "allowed_networks": form.networks}.get(
                    str(error["loc"][0]), form.name
                )
                target.errors = [*target.errors, error["msg"].removeprefix("Value error, ")]
            return self.render("admin/api_clients.html", form=form, clients=[])
        except ClientError as exc:
            form.name.errors = [str(exc)]
            return self.render("admin/api_clients.html", form=form, clients=[])
        self._audit(
            AuditAction.CREATE, client, f"created API client {client.name} ({', '.join(client.scopes)})"
        )
        db.session.commit()
        return self._token_page(client, token, "created")

    @expose("/<int:client_id>/rotate", methods=("POST",))
    def rotate(self, client_id: int) -> Any:
        client = self._client(client_id)
        try:
            token = rotate_token(db.session, client)
        except ClientError as exc:
            flash(str(exc), "error")
            return redirect(url_for(".index"))
        self._audit(AuditAction.UPDATE, client, f"rotated the token of API client {client.name}")
        db.session.commit()
        return self._token_page(client, token, "rotated")

    @expose("/<int:client_id>/revoke", methods=("POST",))
    def revoke_view(self, client_id: int) -> Any:
        client = self._client(client_id)
        revoke(db.session, client)
        self._audit(AuditAction.UPDATE, client, f"revoked API client {client.name}")
        db.session.commit()
        flash(gettext("Revoked %(name)s: its token is refused from now on.", name=client.name), "success")
        return redirect(url_for(".index"))

    def _token_page(self, client: ApiClient, token: str, made: str) -> Any:
        response = make_response(
            self.render("admin/api_client_token.html", client=client, token=token, made=made)
        )
        response.headers["Cache-Control"] = "no-store"  # a secret: never kept by a browser or a proxy
        return response

    def _client(self, client_id: int) -> ApiClient:
        client = db.session.get(ApiClient, client_id)
        if client is None:
            abort(404)
        return client

    def _audit(self, action: AuditAction, client: ApiClient, summary: str) -> None:
        audit.record(
            db.session, actor=current_user, action=action, model=API_CLIENTS, object_id=str(client.id),
            summary=summary, remote_addr=request.remote_addr,
        )  # fmt: skip
