"""Which locales each notification template has, and which languages learners would miss.

Notifications pick a template by the learner's locale chain (`notify.locale_chain`:
`hi-IN`, then `hi`, then `en`), per key and channel, among active templates. The
template editor shows, for a row's key and channel, the locales that exist and warns
(it never refuses) when learners with some locale would be served another language,
or nothing at all: e.g. learners with `hi-IN` and only an `en` template.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.models import NotificationTemplate, User
from webapp.models.core.enums import Role
from webapp.services.notify import canonical_locale, locale_chain


@dataclass(frozen=True)
class Gap:
    """Learners of one language that a key and channel serves in another language (or not at all)."""

    language: str  # the learners' language, e.g. "hi"
    learners: int
    served: str | None  # the locale they get instead, None when nothing


def key_locales(session: Session) -> dict[tuple[str, str], list[str]]:
    """Return the locales of the active templates, per (key, channel value), sorted."""
    t = NotificationTemplate
    found: dict[tuple[str, str], set[str]] = {}
    for key, channel, locale in session.execute(select(t.key, t.channel, t.locale).where(t.is_active)):
        found.setdefault((key, str(getattr(channel, "value", channel))), set()).add(canonical_locale(locale))
    return {k: sorted(v) for k, v in found.items()}


def learner_locales(session: Session) -> Counter:
    """Return how many active learners have each locale (canonical form)."""
    rows = session.execute(
        select(User.locale, func.count())
        .where(User.role == Role.LEARNER, User.is_active)
        .group_by(User.locale)
    )
    counts: Counter = Counter()
    for locale, n in rows:
        counts[canonical_locale(locale)] += n
    return counts


def gaps(present: list[str], learners: Counter) -> list[Gap]:
    """Return, per learners' language, those served in another language or not at all.

    A learner is served by the first locale of their chain that exists; a learner of
    `hi-IN` served by `hi` is fine, one served by `en` (or by nothing) is a gap.
    """
    have = set(present)
    missing: dict[tuple[str, str | None], int] = {}
    for locale, count in learners.items():
        language = locale.split("-")[0]
        served = next((c for c in locale_chain(locale) if c in have), None)
        if served is None or served.split("-")[0] != language:
            missing[(language, served)] = missing.get((language, served), 0) + count
    return [Gap(lang, n, served) for (lang, served), n in sorted(missing.items(), key=lambda i: i[0][0])]
