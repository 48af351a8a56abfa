"""Flask-Admin 2.2.1 with WTForms 3.3: select fields yield Choice, not raw tuples.

Flask-Admin's select fields build their options with `_iter_choices_wtforms_compat`,
which returns plain tuples; WTForms 3.3 deprecates those (a DeprecationWarning on
every form render, an error in 4.0). `Choice` is a NamedTuple, so returning it keeps
every caller that unpacks tuples working. Remove when Flask-Admin yields Choice itself.
"""

from typing import Any

import flask_admin._compat
import flask_admin.contrib.sqla.fields
import flask_admin.form.fields
from wtforms.fields.choices import Choice


def _choice(value: Any, label: Any, selected: bool) -> Choice:
    return Choice(value, label, selected, {})


def apply() -> None:
    """Point Flask-Admin's select fields at the Choice-returning helper (idempotent)."""
    for module in (flask_admin._compat, flask_admin.form.fields, flask_admin.contrib.sqla.fields):
        module._iter_choices_wtforms_compat = _choice
