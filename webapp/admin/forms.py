"""Form pieces shared by the admin views: the CSRF form base and the enum converter."""

import re
from datetime import UTC, datetime
from enum import Enum

from flask_admin.contrib.sqla import filters as sqla_filters
from flask_admin.contrib.sqla.filters import FilterConverter
from flask_admin.contrib.sqla.form import AdminModelConverter
from flask_admin.contrib.sqla.validators import Unique
from flask_admin.form import BaseForm, DateTimeField
from flask_admin.model import filters
from flask_admin.model.form import converts
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from webapp.admin.labels import prettify
from webapp.admin.people import PeopleLookup, PeopleSelectField
from webapp.i18n import lazy_tr, tr

# C0 controls other than tab, newline and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class SecureForm(BaseForm):
    """Flask-Admin's form base with Flask-WTF's CSRF token (the one CSRFProtect checks).

    Flask-Admin's own SecureForm uses WTForms' SessionCSRF, whose token CSRFProtect
    would reject; this form uses the same signed token as every other form here.
    """

    class Meta(FlaskForm.Meta):
        pass

    def validate(self, extra_validators=None) -> bool:
        """Validate, and refuse control characters (NUL and the like) in any text field:
        PostgreSQL cannot store NUL and no name, slug or message needs one."""
        bad = [f for f in self if isinstance(f.data, str) and CONTROL_CHARACTERS.search(f.data)]
        if not bad:
            valid = super().validate(extra_validators)
            for field in self:
                # A translated message is a lazy string until shown; Flask-Admin shows only str errors.
                if isinstance(field.errors, list):
                    field.errors = [str(e) if isinstance(e, LazyString) else e for e in field.errors]
            return valid
        # Checked first: the validators that query the database (unique slugs) must not see them.
        for field in self:
            field.errors = [gettext("Contains a control character; remove it.")] if field in bad else []
        return False


class Option(SelectChoice):
    """A WTForms 3.3 choice (tuples are deprecated) that Flask-Admin's Select2Field can read."""

    @property
    def name(self) -> str:
        return self.label


class EnumValueConverter(AdminModelConverter):
    """Offer and store enum values ("bronze"), not member names ("BRONZE").

    A view may narrow the values of a column with `enum_choices = {"role": {...}}`.
    """

    @converts("sqlalchemy.sql.sqltypes.Enum")
    def convert_enum(self, column, field_args, **extra):
        field = super().convert_enum(column, field_args, **extra)
        allowed = getattr(self.view, "enum_choices", {}).get(column.name)
        field.kwargs["choices"] = [
            Option(value, str(value).replace("_", " ").capitalize())
            for value, _label in field.kwargs["choices"]
            if allowed is None or value in allowed
        ]
        field.kwargs["coerce"] = lambda v: v.value if isinstance(v, Enum) else ("" if v is None else str(v))
        return field


class UTCDateTimeField(DateTimeField):
    """A date-time entered in UTC: stored aware, as the UTCDateTime columns require."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data is not None and self.data.tzinfo is None:
            self.data = self.data.replace(tzinfo=UTC)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.astimezone(UTC).strftime(self.format[0]) if self.data else ""


class ModelConverter(EnumValueConverter):
    """Our column types (enum values, aware UTC date-times) and human uniqueness messages."""

    def convert(self, model, mapper, name, prop, field_args, hidden_pk):
        field = super().convert(model, mapper, name, prop, field_args, hidden_pk)
        validators = getattr(field, "kwargs", {}).get("validators") or []
        for validator in validators:
            if isinstance(validator, Unique):
                thing = lazy_tr(getattr(self.view, "thing", "record"))
                what = LazyString(lambda n=name: tr(prettify(n)).lower())
                validator.message = _l(
                    "A %(thing)s with this %(what)s already exists.", thing=thing, what=what
                )
        return field

    def _model_select_field(self, prop, multiple, remote_model, **kwargs):
        loader = getattr(self.view, "_form_ajax_refs", {}).get(prop.key)
        if isinstance(loader, PeopleLookup) and not multiple:
            return PeopleSelectField(loader, **kwargs)
        return super()._model_select_field(prop, multiple, remote_model, **kwargs)

    @converts("webapp.models.core.types.UTCDateTime")
    def convert_utc_datetime(self, field_args, **extra):
        field_args.setdefault("description", _l("UTC, as YYYY-MM-DD HH:MM:SS"))
        return UTCDateTimeField(**field_args)


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC)


def _aware_filter(base: type) -> type:
    class Aware(base):
        def clean(self, value):
            cleaned = super().clean(value)
            if isinstance(cleaned, list):
                return [_aware(v) for v in cleaned]
            return _aware(cleaned)

    Aware.__name__ = base.__name__
    return Aware


def _enum_member(enum_class: type[Enum], value: object) -> Enum:
    """Return the member with this value (or name); ValueError, which filters treat as invalid, if none."""
    if isinstance(value, enum_class):
        return value
    try:
        return enum_class(value)
    except ValueError:
        if isinstance(value, str) and value in enum_class.__members__:
            return enum_class[value]
        raise ValueError(f"not a valid choice: {value!r}") from None


def _enum_by_value(base: type) -> type:
    """An enum filter that reads the values it offers ("bronze"), and refuses others as invalid."""

    class ByValue(base):
        def clean(self, value):
            if self.enum_class is None:
                return super().clean(value)
            if isinstance(self, sqla_filters.FilterInList):
                return [
                    _enum_member(self.enum_class, v) for v in sqla_filters.FilterInList.clean(self, value)
                ]
            return _enum_member(self.enum_class, value)

    ByValue.__name__ = base.__name__
    return ByValue


class UTCFilterConverter(FilterConverter):
    """Date-time filters on UTCDateTime columns read as UTC; enum filters by value."""

    enum = tuple(
        _enum_by_value(f) if f is not sqla_filters.EnumFilterEmpty else f for f in FilterConverter.enum
    )

    utc_datetime_filters = tuple(
        _aware_filter(f) if f is not sqla_filters.FilterEmpty else f for f in FilterConverter.datetime_filters
    )

    @filters.convert("utcdatetime")
    def conv_utc_datetime(self, column, name, **kwargs):
        return [f(column, name, **kwargs) for f in self.utc_datetime_filters]
