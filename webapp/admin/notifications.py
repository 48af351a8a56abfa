"""Notifications: the template editor (sandboxed, with a live preview), messages, preferences."""

from typing import Any

from flask import abort, flash, get_template_attribute, request
from flask_admin import expose
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from wtforms.validators import InputRequired, Length, Regexp, ValidationError

from webapp.admin.base import SecureModelView, record_id
from webapp.auth.access import Action
from webapp.auth.accounts import find_user
from webapp.extensions import db
from webapp.i18n import N_
from webapp.models import Notification, NotificationPreference, NotificationTemplate, User
from webapp.models.core.enums import Role
from webapp.services import template_locales, templates
from webapp.services.notify import canonical_locale

CATEGORY = _l("Notifications")


def _template_field(label: str):
    def check(form: Any, field: Any) -> None:
        problems = templates.check_template(field.data, label)
        if problems:
            raise ValidationError("; ".join(problems))

    return check


def locale_gaps(key: str | None, channel: Any) -> tuple[list[str], list[template_locales.Gap]]:
    """Return the locales a key has on a channel and the learners' languages it misses (once a request)."""
    found = getattr(request, "template_locales", None)
    if found is None:  # on the request, not g: g may outlive a request (the test client's app context)
        found = request.template_locales = (
            template_locales.key_locales(db.session),
            template_locales.learner_locales(db.session),
        )
    present_by_key, learners = found
    present = present_by_key.get((key or "", str(getattr(channel, "value", channel) or "")), [])
    return present, template_locales.gaps(present, learners)


def gap_message(gap: template_locales.Gap) -> str:
    """One warning line about the learners of a language that a template key misses."""
    if gap.served is None:
        return ngettext(
            "%(num)d learner with the language “%(language)s” gets no message: this key has neither "
            "a “%(language)s” nor an “en” version on this channel.",
            "%(num)d learners with the language “%(language)s” get no message: this key has neither "
            "a “%(language)s” nor an “en” version on this channel.",
            gap.learners,
            language=gap.language,
        )
    return ngettext(
        "%(num)d learner with the language “%(language)s” gets this message in “%(served)s”: "
        "this key has no “%(language)s” version on this channel.",
        "%(num)d learners with the language “%(language)s” get this message in “%(served)s”: "
        "this key has no “%(language)s” version on this channel.",
        gap.learners,
        language=gap.language,
        served=gap.served,
    )


def _locales_cell(view: Any, context: Any, model: NotificationTemplate, name: str) -> Markup:
    present, gaps = locale_gaps(model.key, model.channel)
    cell = escape(", ".join(present) or "-")
    for gap in gaps:
        title = escape(gap_message(gap))
        cell += Markup(' <span class="badge badge-warning" title="{}">{}</span>').format(
            title, _l("no %(language)s", language=gap.language)
        )
    return cell


class NotificationTemplateView(SecureModelView):
    """Templates with Jinja placeholders: saved only if the sandbox check passes; a live preview beside.

    The list's "Locales of this key" column and the forms show the locales the row's key has on its
    channel, and warn (never refuse) when learners of some language would get another
    language or nothing (services/template_locales.py).
    """

    thing = N_("notification template")
    details_template = "admin/template_details.html"
    create_template = "admin/template_create.html"
    edit_template = "admin/template_edit.html"
    column_list = (
        "key", "channel", "locale", "locales", "category", "subject", "is_active", "updated_at", "updated_by",
    )  # fmt: skip
    column_export_list = (
        "key", "channel", "locale", "category", "subject", "is_active", "updated_at", "updated_by",
    )  # fmt: skip
    column_labels = {"locales": _l("Locales of this key")}
    column_descriptions = {
        "locales": _l(
            "The locales this key has on this channel; a warning names a language learners use that it lacks."
        )
    }
    column_formatters = {"locales": _locales_cell}
    column_formatters_export: dict = {}
    column_searchable_list = ("key", "subject", "body")
    column_filters = ("channel", "locale", "category", "is_active", "updated_at")
    column_default_sort = ("key", False)
    form_columns = ("key", "channel", "locale", "category", "subject", "body", "is_active")
    form_args = {
        "key": {"validators": [InputRequired(), Length(max=64), Regexp(r"^[a-z0-9_.-]+$")]},
        "locale": {
            "validators": [InputRequired(), Length(max=16), Regexp(r"^[a-z]{2,3}([-_][A-Za-z0-9]{2,8})*$")]
        },
        "subject": {"validators": [Length(max=200), _template_field("subject")]},
        "body": {
            "validators": [
                InputRequired(),
                Length(max=templates.MAX_TEMPLATE_LENGTH),
                _template_field("body"),
            ]
        },
    }
    form_widget_args = {"body": {"rows": 10}}
    extra_view_actions = {"preview_view": Action.DETAILS, "preview_fragment": Action.DETAILS}

    def validate_model(self, form: Any, model: NotificationTemplate, is_created: bool) -> None:
        model.updated_by_id = current_user.id

    def after_model_change(self, form: Any, model: NotificationTemplate, is_created: bool) -> None:
        for warning in templates.template_warnings(model.subject, "subject") + templates.template_warnings(
            model.body, "body"
        ):
            flash(gettext("Saved, but check this: %(warning)s", warning=warning), "warning")

    def render(self, template: str, **kwargs: Any) -> Any:
        form = kwargs.get("form")
        if template in (self.create_template, self.edit_template) and form is not None:
            kwargs["variables"] = templates.ALLOWED_VARIABLES
            kwargs["preview"] = _sample_preview(form.subject.data, form.body.data)
            kwargs["locales"] = self._locale_panel(form.key.data, form.channel.data, form.locale.data)
        elif template == self.details_template and kwargs.get("model") is not None:
            model = kwargs["model"]
            kwargs["locales"] = self._locale_panel(model.key, model.channel, None)
        return super().render(template, **kwargs)

    def _locale_panel(self, key: str | None, channel: Any, adding: str | None) -> dict | None:
        """The key's locales on the channel and the warnings, with the form's locale counted in."""
        if not key or not channel:
            return None
        present, _gaps = locale_gaps(key, channel)
        if adding:
            present = sorted({*present, canonical_locale(adding)})
        gaps = template_locales.gaps(present, request.template_locales[1])
        return {"key": key, "present": present, "warnings": [gap_message(gap) for gap in gaps]}

    @expose("/preview/fragment/", methods=("POST",))
    def preview_fragment(self) -> Any:
        """The editor's live preview: the posted subject and body rendered with sample data."""
        result = _sample_preview(request.form.get("subject"), request.form.get("body"))
        macro = get_template_attribute("admin/_template_editor.html", "preview_result")
        return macro(result)

    @expose("/preview/", methods=("GET", "POST"))
    def preview_view(self) -> Any:
        """Render a template (saved, or the text posted) for a chosen learner or sample data."""
        template = self.get_one(record_id()) if record_id() else None
        if record_id() and template is None:
            abort(404)
        subject = request.form.get("subject", template.subject if template else "") or ""
        body = request.form.get("body", template.body if template else "") or ""
        learner_ref = (request.values.get("learner") or "").strip()[:254]
        learner = _find_learner(learner_ref)
        if learner is not None:
            context = templates.learner_context(db.session, learner)
        else:
            context = dict(templates.SAMPLE_CONTEXT)
        result = templates.preview(subject[:200], body[: templates.MAX_TEMPLATE_LENGTH], context)
        return self.render(
            "admin/template_preview.html",
            record=template,
            subject=subject,
            body=body,
            learner=learner,
            learner_ref=learner_ref,
            result=result,
            variables=templates.ALLOWED_VARIABLES,
        )


def _sample_preview(subject: str | None, body: str | None) -> templates.Preview:
    subject, body = (subject or "")[:200], (body or "")[: templates.MAX_TEMPLATE_LENGTH]
    return templates.preview(subject, body, dict(templates.SAMPLE_CONTEXT))


def _find_learner(ref: str) -> User | None:
    if not ref or not ref.isprintable():
        return None  # control characters (NUL) are no email or id, and PostgreSQL refuses them
    if ref.isascii() and ref.isdigit() and len(ref) < 12:  # "¹".isdigit(), but int("¹") fails
        user = db.session.get(User, int(ref))
    else:
        user = find_user(db.session, ref)
    return user if user is not None and user.role == Role.LEARNER else None


class NotificationView(SecureModelView):
    thing = N_("notification")
    simple_list_pager = True
    column_list = ("created_at", "recipient", "channel", "category", "subject", "status", "sent_at")
    column_searchable_list = ("subject", "recipient.email")
    column_filters = ("status", "channel", "category", "created_at", "sent_at")
    column_default_sort = ("id", True)


class NotificationPreferenceView(SecureModelView):
    thing = N_("notification preference")
    column_list = ("user", "channel", "category", "is_enabled", "quiet_hours_start", "quiet_hours_end")
    column_searchable_list = ("user.email",)
    column_filters = ("channel", "category", "is_enabled")
    column_default_sort = ("updated_at", True)


def views() -> list[SecureModelView]:
    """The views of this domain."""
    return [
        NotificationTemplateView(NotificationTemplate, name=_l("Templates"), category=CATEGORY),
        NotificationView(Notification, name=_l("Notifications"), category=CATEGORY),
        NotificationPreferenceView(NotificationPreference, name=_l("Preferences"), category=CATEGORY),
    ]
