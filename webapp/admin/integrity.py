"""Database errors turned into sentences a person can act on (never database text)."""

import re

from babel.lists import format_list
from flask_babel import get_locale, gettext
from sqlalchemy.exc import DataError, IntegrityError, SQLAlchemyError

from webapp.admin.labels import prettify
from webapp.i18n import tr
from webapp.models import metadata

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: ([\w.,\s]+)")
_SQLITE_CHECK = re.compile(r"CHECK constraint failed: (\w+)")


def _label(name: str) -> str:
    """A column's name in the sentence, in the current language ("slug", "स्लग")."""
    return tr(prettify(name)).lower()


def _unique_columns(constraint_name: str | None, message: str) -> list[str]:
    match = _SQLITE_UNIQUE.search(message)
    if match:
        return [part.strip().split(".")[-1] for part in match.group(1).split(",")]
    for table in metadata.tables.values():
        for constraint in table.constraints:
            if constraint.name == constraint_name:
                return [c.name for c in constraint.columns]
        for index in table.indexes:
            if index.name == constraint_name:
                return [c.name for c in index.columns]
    return []


def _check_rule(constraint_name: str | None, message: str) -> str | None:
    match = _SQLITE_CHECK.search(message)
    name = match.group(1) if match else constraint_name
    if not name:
        return None
    for table in metadata.tables.values():
        prefix = f"ck_{table.name}_"
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def human_message(exc: SQLAlchemyError, thing: str) -> str:
    """Return a readable reason why saving `thing` (e.g. "badge") failed, in the current language."""
    thing = tr(thing)
    orig = getattr(exc, "orig", None)
    message = str(orig or "")
    diag = getattr(orig, "diag", None)
    constraint = getattr(diag, "constraint_name", None)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if isinstance(exc, IntegrityError):
        if sqlstate == "23505" or "UNIQUE constraint failed" in message:
            columns = _unique_columns(constraint, message)
            names = [_label(c) for c in columns if not c.endswith("_id")]
            if not names:
                return gettext("A %(thing)s with these values already exists.", thing=thing)
            what = format_list(names, locale=get_locale() or "en")
            return gettext("A %(thing)s with this %(what)s already exists.", thing=thing, what=what)
        if sqlstate == "23503" or "FOREIGN KEY constraint failed" in message:
            return gettext(
                "This %(thing)s is linked to other records: remove or change those first "
                "(or a chosen related record no longer exists).",
                thing=thing,
            )
        if sqlstate == "23502" or "NOT NULL constraint failed" in message:
            return gettext("A required field is empty.")
        if sqlstate == "23514" or "CHECK constraint failed" in message:
            rule = _check_rule(constraint, message)
            if rule:
                return gettext("A value breaks the rule “%(rule)s”.", rule=rule.replace("_", " "))
            return gettext("A value is out of range.")
        return gettext("The %(thing)s conflicts with existing data.", thing=thing)
    if isinstance(exc, DataError):
        return gettext("A value is too long or of the wrong kind for its field.")
    return gettext("The %(thing)s could not be saved. The error has been logged.", thing=thing)
