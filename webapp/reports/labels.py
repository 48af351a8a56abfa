"""Words of the data that the pages show as categories: content types, badge tiers, path states...

The rows (and so the CSV) keep the stored values; the pages show `label(value)`, the value's
words in the request's language. A value without an entry here is shown as it is.
"""

import re
from datetime import date
from functools import cache

from webapp.i18n import N_, day_text, number, tr
from webapp.services.analytics.risk import DETAILS

VALUE_LABELS: dict[str, str] = {
    # content types (focus by content type)
    "video": N_("video"),
    "reading": N_("reading"),
    "quiz": N_("quiz"),
    "practice": N_("practice"),
    "game": N_("game"),
    "live_class": N_("live class"),
    # badge tiers, and how a badge was awarded
    "bronze": N_("bronze"),
    "silver": N_("silver"),
    "gold": N_("gold"),
    "platinum": N_("platinum"),
    "rule": N_("by its rule"),
    "manual": N_("by hand"),
    "admin": N_("by hand"),
    # learning path states (shown with spaces)
    "enrolled": N_("enrolled"),
    "in progress": N_("in progress"),
    "completed": N_("completed"),
    "dropped": N_("dropped"),
    # points ledger reasons (shown with spaces)
    "session completed": N_("session completed"),
    "quiz passed": N_("quiz passed"),
    "streak milestone": N_("streak milestone"),
    "badge awarded": N_("badge awarded"),
    "duel won": N_("duel won"),
    "duel draw": N_("duel draw"),
    "daily goal": N_("daily goal"),
    "freeze purchase": N_("freeze purchase"),
    "adjustment": N_("adjustment"),
    "reversal": N_("reversal"),
    "app reward": N_("app reward"),
    # leaderboard movement of a learner not on the board in the previous period
    "new": N_("new"),
    # attention span lengths (webapp.services.analytics.buckets)
    "<1 min": N_("<1 min"),
    "1-2 min": N_("1-2 min"),
    "2-5 min": N_("2-5 min"),
    "5-10 min": N_("5-10 min"),
    "10-20 min": N_("10-20 min"),
    "20+ min": N_("20+ min"),
}


def label(value: object) -> object:
    """The words of a stored value in the request's language (anything else as it is)."""
    if isinstance(value, str) and value in VALUE_LABELS:
        return tr(VALUE_LABELS[value])
    return value


def labelled(rows: list, *columns: int) -> list[tuple]:
    """Rows with these columns' values shown as words (for a chart's traces, never its CSV)."""
    return [tuple(label(v) if i in columns else v for i, v in enumerate(row)) for row in rows]


FIELD = re.compile(r"\{(\w+)(?::[^}]*)?\}")
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
GROUPED = re.compile(r"^\d{1,3}(,\d{3})+$")


@cache
def _pattern(template: str) -> re.Pattern:
    """A regular expression reading the fields back out of a text made from template."""
    out, at = [], 0
    for match in FIELD.finditer(template):
        out += [re.escape(template[at : match.start()]), f"(?P<{match.group(1)}>.+?)"]
        at = match.end()
    return re.compile("^" + "".join([*out, re.escape(template[at:])]) + "$")


def _field(text: str) -> str:
    if ISO_DAY.match(text):
        return day_text(date.fromisoformat(text))
    if GROUPED.match(text):
        return number(int(text.replace(",", "")))
    return text


def detail_text(rule: str, detail: str | None) -> str | None:
    """A risk flag's stored detail (English, from DETAILS) in the request's language.

    The detail is stored as text; its fields are read back with the rule's English template
    and written into the translated one (a detail of another shape is shown as it is).
    """
    template = DETAILS.get(rule)
    found = _pattern(template).match(detail or "") if template else None
    if found is None:
        return detail
    values = {name: _field(value) for name, value in found.groupdict().items()}
    return FIELD.sub(lambda m: values[m.group(1)], tr(template))
