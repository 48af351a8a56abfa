"""The staff's language: Flask-Babel, the locale of each request, locale-aware numbers, the switch.

A request's locale is, in order: the signed-in staff member's own choice (saved on their account
from the navbar's language switch, so it holds across sessions and devices), else the best match
of the browser's Accept-Language among the languages we offer, else English. "en-IN" (from
either) is English text with Indian digit grouping (1,23,456), as Hindi has.

Texts are English msgids. Module-level texts (webapp/reports/definitions.py and the like) stay
plain English strings, marked for extraction with `N_()`, and are translated where they are
shown with `tr()`/`trn()`; so the README, the tests and the CSV keep the English. Templates use
Jinja's `_()`/`{% trans %}` (Flask-Babel installs them). The catalogues live in
webapp/translations/<lang>/LC_MESSAGES/messages.po; `make i18n` extracts and updates them,
`make install` compiles them, and `init_app` compiles any that is missing or older than its
.po, so a fresh checkout, the tests and a `.po` edit never serve stale or no translations.
"""

import logging
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from babel import Locale, dates, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, Flask, abort, g, has_request_context, redirect, request
from flask_babel import Babel, get_locale, get_translations, refresh
from flask_babel.speaklater import LazyString
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db, login_manager

log = logging.getLogger(__name__)

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
DEFAULT_LOCALE = "en"
# The languages offered, each named in itself (the switch lists them so).
LANGUAGES: dict[str, str] = {"en": "English", "hi": "हिन्दी"}
# Locales that group digits the Indian way; English text, Indian numbers for "en-IN".
INDIAN_ENGLISH = "en_IN"

bp = Blueprint("i18n", __name__)


def N_(text: str) -> str:
    """Mark a text for extraction (`make i18n`) without translating it here."""
    return text


def Nn_(one: str, many: str) -> tuple[str, str]:
    """Mark a counted text (singular, plural) for extraction; translate it later with trn()."""
    return one, many


class Texts(dict[str, str]):
    """English texts by key; `texts[key]` gives the text in the request's language.

    Iterating (`.values()`, `.items()`) gives the English msgids, as the README's tests want.
    """

    def __getitem__(self, key: str) -> str:
        return tr(super().__getitem__(key))

    def lazy(self, key: str) -> LazyString:
        """The text of key, translated each time it is shown (for values made at import time)."""
        return lazy_tr(super().__getitem__(key))


# The staff roles as the navbar names them (translated with tr(role.value)).
ROLE_NAMES = (N_("teacher"), N_("operator"), N_("admin"))


def tr(text: str) -> str:
    """Translate a text into the current locale (the English itself outside a request)."""
    return get_translations().gettext(text)


def trn(one: str, many: str, n: int) -> str:
    """Translate a counted text, picking the locale's plural form for n."""
    return get_translations().ngettext(one, many, n)


def lazy_tr(text: str) -> LazyString:
    """A text translated each time it is shown (for values made at import time)."""
    return LazyString(tr, text)


def parse(tag: str | None) -> str | None:
    """Return the locale we serve for a language tag ("hi-IN" -> "hi", "en-IN" -> "en_IN"), or None."""
    if not tag:
        return None
    parts = tag.strip().replace("_", "-").split("-")
    language = parts[0].lower()
    if language == "en":
        return INDIAN_ENGLISH if len(parts) > 1 and parts[1].upper() == "IN" else "en"
    return language if language in LANGUAGES else None


def chosen_locale(user: Any) -> str | None:
    """The locale a staff member chose (navbar, or an admin set one other than the default)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    locale = parse(getattr(user, "locale", None))
    if getattr(user, "locale_chosen_at", None) is not None or locale not in (None, DEFAULT_LOCALE):
        return locale
    return None


def browser_locale() -> str | None:
    """The best of the browser's Accept-Language that we offer (highest quality first)."""
    for tag, quality in request.accept_languages:
        locale = parse(tag) if quality > 0 else None
        if locale:
            return locale
    return None


def select_locale() -> str:
    """The locale of this request: the staff member's choice > Accept-Language > English."""
    if not has_request_context():
        return DEFAULT_LOCALE  # mails and jobs say which locale they render in (force_locale)
    try:
        chosen = chosen_locale(current_user)
    except SQLAlchemyError:  # the database is down: the 503 page still has a language
        chosen = None
    return chosen or browser_locale() or DEFAULT_LOCALE


def language() -> str:
    """The language of the current locale ("en" or "hi"): the switch's selection, <html lang>."""
    return str(get_locale() or DEFAULT_LOCALE).split("_")[0]


def number(value: float | int | None, digits: int = 0) -> str:
    """A number in the current locale with a fixed number of decimals ("1,23,456.7" in hi, en-IN)."""
    if value is None:
        return "\u2013"  # an en dash: no figure
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    whole = locale.decimal_formats[None].pattern.split(";")[0].split(".")[0]
    pattern = whole + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=locale)


def flexible(value: float | int) -> str:
    """A number with at most 2 decimals, trailing zeros dropped (as the charts' hover labels)."""
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    if isinstance(value, int) or float(value).is_integer():
        return numbers.format_decimal(int(value), locale=locale)
    return numbers.format_decimal(round(value, 2), locale=locale)


def weekday_names(width: str = "abbreviated") -> tuple[str, ...]:
    """Monday to Sunday in the current locale ("wide": Monday, "abbreviated": Mon)."""
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    names = locale.days["format"][width]
    return tuple(names[i] for i in range(7))


def day_text(day: date) -> str:
    """A day as the pages write it: ISO in English (2026-11-30), else the locale's (30 नव॰ 2026)."""
    if language() == DEFAULT_LOCALE:
        return day.isoformat()
    return dates.format_date(day, format="d MMM y", locale=get_locale())


def grouping() -> list[int]:
    """The digit grouping of the current locale, as d3-format wants it ([3] or [3, 2])."""
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    pattern = locale.decimal_formats[None]
    primary, secondary = pattern.grouping
    return [primary] if secondary == primary else [primary, secondary]


# Plotly's own words that our charts show (toolbar titles, zoom hint), by its English keys.
PLOTLY_TEXTS = (
    N_("Download plot as a png"),
    N_("Zoom in"),
    N_("Zoom out"),
    N_("Reset axes"),
    N_("Autoscale"),
    N_("Double-click to zoom back out"),
    N_("Click to enter Colorscale title"),
    N_("Click to enter X axis title"),
    N_("Click to enter Y axis title"),
)


def plotly_locale() -> dict[str, Any] | None:
    """Plotly's locale for the current locale, built from Babel's data (None for plain English).

    Registered by static/reports.js: month and weekday names on date axes, and the digit
    grouping of `,` in tick and hover formats. Plotly ships no locale data with the Python
    package, so Babel (CLDR) supplies it.
    """
    locale = get_locale() or Locale.parse(DEFAULT_LOCALE)
    if str(locale) == DEFAULT_LOCALE:
        return None
    days = locale.days["format"]
    week = [6, 0, 1, 2, 3, 4, 5]  # d3 starts on Sunday, CLDR's keys on Monday
    symbols = locale.number_symbols.get("latn", locale.number_symbols)
    return {
        "moduleType": "locale",
        "name": str(locale).replace("_", "-").lower(),
        "dictionary": {text: tr(text) for text in PLOTLY_TEXTS},
        "format": {
            "days": [days["wide"][i] for i in week],
            "shortDays": [days["abbreviated"][i] for i in week],
            "months": [locale.months["format"]["wide"][m] for m in range(1, 13)],
            "shortMonths": [locale.months["format"]["abbreviated"][m] for m in range(1, 13)],
            "periods": ["AM", "PM"],
            "decimal": symbols.get("decimal", "."),
            "thousands": symbols.get("group", ","),
            "grouping": grouping(),
            "currency": ["₹", ""],
            "date": "%d/%m/%Y",
            "time": "%H:%M:%S",
            "dateTime": "%a %e %b %X %Y",
            "year": "%Y",
            "month": "%b %Y",
            "dayMonth": "%-d %b",
            "dayMonthYear": "%-d %b %Y",
        },
    }


def compile_catalogues(directory: Path = TRANSLATIONS_DIR, force: bool = False) -> list[Path]:
    """Compile every .po under directory whose .mo is missing or older (all: force); return the written."""
    written = []
    for po in sorted(directory.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not force and mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        # Written aside and renamed: workers starting together never read a half-written file.
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        try:
            with partial.open("wb") as handle:
                write_mo(handle, catalog)
            os.replace(partial, mo)
        except OSError as exc:  # a read-only install: `make install` compiles them instead
            partial.unlink(missing_ok=True)
            log.warning("cannot compile %s: %s", po, exc)
            continue
        written.append(mo)
    return written


@bp.post("/language")
@login_required
def choose_language():
    """Save the staff member's language on their account (so every later session has it)."""
    code = request.form.get("language", "")
    if code not in LANGUAGES:
        abort(400)
    current_user.locale = code
    current_user.locale_chosen_at = datetime.now(UTC)
    db.session.commit()
    refresh()
    return redirect(_back())


def _back() -> str:
    """Where the switch was used (a path of this site only), else the front page."""
    from webapp.auth.redirects import safe_next  # (webapp.auth's views import this module)

    return safe_next(request.form.get("next"))


def init_app(app: Flask) -> None:
    """Bind Flask-Babel with our locale rules, compile stale catalogues, add the switch's route."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    for directory in str(app.config["BABEL_TRANSLATION_DIRECTORIES"]).split(";"):
        path = Path(directory)
        compile_catalogues(path if path.is_absolute() else Path(app.root_path) / path)
    Babel(app, locale_selector=select_locale)
    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        LANGUAGES=LANGUAGES, language=language, plotly_locale=plotly_locale, tr=tr, trn=trn, day_text=day_text
    )
    app.jinja_env.filters["num"] = number
    login_manager.localize_callback = tr  # "Please log in to see this page." in the visitor's language

    @app.before_request
    def _fresh_locale() -> None:
        # `g` may outlive a request (the test client reuses an app context): decide anew.
        if "_flask_babel" in g:
            refresh()
