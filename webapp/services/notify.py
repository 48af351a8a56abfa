"""Triggers: notification rows rendered from the operators' templates, in the learner's locale.

- streak at risk (template key `streak_reminder`): from 19:00 learner-local time, with a
  running streak and no activity yet today; expires at local midnight.
  Key `streak_at_risk:<learner>:<local day>`.
- badge earned (`badge_awarded`): the engine update awarded a badge (a milestone's badge
  is told by the milestone's message). Key `badge:<learner>:<badge>`.
- milestone reached (`streak_milestone`): the engine update saw the longest streak reach
  a milestone's days. Key `milestone:<learner>:<days>`.
- duel received (`duel_challenge`): a pending duel waits for its opponent; expires with
  the duel. Key `duel_received:<duel>`.
- weekly summary (`weekly_summary`): Monday from 08:00 learner-local time, after a week
  with activity; expires at local midnight. Key `weekly_summary:<learner>:<monday>`.

One row per channel that has an active template for the key and that the learner's
preference for the template's category allows (no preference row: allowed). Locale:
the learner's (`hi-IN`), then its language (`hi`), then English (`en`); a template that
is missing or fails to render in one falls back to the next. Locales compare in one
spelling (`canonical_locale`: `hi_in` and `hi-IN` are the same), so an operator's
`hi_IN` template serves a learner whose locale is `hi-IN`. Rendering goes through
services/templates.py (Jinja's sandbox) with the learner's variables. The key makes a
trigger that fires twice create nothing new; quiet hours and the daily cap are
applied at delivery (services/delivery).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.models import Badge, Notification, NotificationTemplate, User
from webapp.models.core.enums import Channel, NotificationStatus
from webapp.models.core.mixins import utcnow
from webapp.services import templates
from webapp.services.delivery.policy import preferences, wall_clock
from webapp.services.points import dialect_insert

log = logging.getLogger(__name__)
DEFAULT_LOCALE = "en"


@dataclass(frozen=True)
class Event:
    """One thing to tell one learner."""

    user_id: int
    key: str  # the template key
    idempotency_key: str
    values: dict[str, Any]
    expires_at: datetime | None = None


def canonical_locale(locale: str | None) -> str:
    """Return a locale in one spelling: `hi_in` -> `hi-IN`, `EN` -> `en`, `zh_hant_tw` -> `zh-Hant-TW`."""
    parts = [p for p in (locale or "").strip().replace("_", "-").split("-") if p]
    if not parts:
        return DEFAULT_LOCALE
    rest = [p.upper() if len(p) == 2 else p.title() if len(p) == 4 else p.lower() for p in parts[1:]]
    return "-".join([parts[0].lower(), *rest])


def locale_chain(locale: str | None) -> list[str]:
    """Return the locales to try, best first: the learner's, its language, English."""
    wanted = canonical_locale(locale)
    chain = [wanted, wanted.split("-")[0], DEFAULT_LOCALE]
    return list(dict.fromkeys(c for c in chain if c))


def app_url() -> str:
    """Return the learner app's link for templates (LEARNER_APP_URL), outside an app the default."""
    from flask import current_app, has_app_context

    return current_app.config.get("LEARNER_APP_URL") if has_app_context() else templates.DEFAULT_APP_URL


def _templates(session: Session, keys: Iterable[str]) -> dict[str, dict[tuple, NotificationTemplate]]:
    query = select(NotificationTemplate).where(
        NotificationTemplate.key.in_(set(keys)), NotificationTemplate.is_active
    )
    found: dict[str, dict[tuple, NotificationTemplate]] = {}
    for t in session.scalars(query):
        found.setdefault(t.key, {})[(t.channel, canonical_locale(t.locale))] = t
    return found


def _render(chain: list[str], channel: Channel, found: dict, values: dict) -> tuple | None:
    """Return (template, locale, subject, body) of the first locale that renders, or None."""
    for locale in chain:
        template = found.get((channel, locale))
        if template is None:
            continue
        try:
            subject = templates.render(template.subject, values) if template.subject else None
            return template, locale, subject, templates.render(template.body, values)
        except templates.TemplateProblem as exc:
            log.warning("template %s/%s/%s cannot render: %s", template.key, channel, locale, exc)
    return None


def create(session: Session, events: list[Event], now: datetime | None = None) -> dict[str, int]:
    """Create the notification rows of events (one per allowed channel); return counts."""
    now = now or utcnow()
    counts = {"notifications": 0, "no_template": 0}
    if not events:
        return counts
    found = _templates(session, {e.key for e in events})
    users = {u.id: u for u in session.scalars(select(User).where(User.id.in_({e.user_id for e in events})))}
    prefs = preferences(session, users)
    rows = []
    for event in events:
        user = users[event.user_id]
        context = {**templates.learner_context(session, user, app_url()), **event.values}
        own = [
            _row(event, user, channel, found.get(event.key, {}), prefs, context, now) for channel in Channel
        ]
        rows += [row for row in own if row is not None]
        counts["no_template"] += event.key not in found
    counts["notifications"] = insert_new(session, rows)
    return counts


def _row(event, user, channel, found, prefs, context, now) -> dict | None:
    rendered = _render(locale_chain(user.locale), channel, found, context)
    if rendered is None:
        return None
    template, locale, subject, body = rendered
    pref = prefs.get((user.id, channel, template.category))
    if pref is not None and not pref.enabled:
        return None
    return {
        "recipient_id": user.id, "template_id": template.id, "channel": channel,
        "category": template.category,
        "subject": (subject or "")[:200] or None, "body": body, "status": NotificationStatus.QUEUED,
        "created_at": now, "scheduled_at": now, "idempotency_key": event.idempotency_key,
        "locale": locale, "expires_at": event.expires_at, "attempts": 0,
    }  # fmt: skip


def insert_new(session: Session, rows: list[dict]) -> int:
    """Insert notification rows whose (idempotency key, channel) is new; return how many were."""
    if not rows:
        return 0
    stmt = dialect_insert(session, Notification.__table__)
    stmt = stmt.on_conflict_do_nothing(index_elements=["idempotency_key", "channel"])
    return len(session.execute(stmt.returning(Notification.__table__.c.id), rows).all())


def _known(session: Session, keys: list[str]) -> set[str]:
    """Return which idempotency keys already have notifications."""
    found: set[str] = set()
    for i in range(0, len(keys), 1000):
        query = select(Notification.idempotency_key).where(
            Notification.idempotency_key.in_(keys[i : i + 1000])
        )
        found.update(session.scalars(query.distinct()))
    return found


def fresh(session: Session, events: list[Event]) -> list[Event]:
    """Drop the events whose key was notified before (saves rendering them again)."""
    known = _known(session, [e.idempotency_key for e in events])
    return [e for e in events if e.idempotency_key not in known]


def notify_awards(session: Session, awards) -> int:
    """Notify the badges and streak milestones the engine update awarded; return rows created."""
    names = {}
    if awards.badges:
        ids = {b for _, b in awards.badges}
        names = dict(session.execute(select(Badge.id, Badge.name).where(Badge.id.in_(ids))).tuples().all())
    events = [Event(u, "badge_awarded", f"badge:{u}:{b}", {"badge": names[b], "badge_name": names[b]})
              for u, b in awards.badges]  # fmt: skip
    events += [Event(u, "streak_milestone", f"milestone:{u}:{d}", {"streak_days": d, "days": d})
               for u, d in awards.milestones]  # fmt: skip
    return create(session, fresh(session, events))["notifications"]


def local_midnight_after(now: datetime, zone) -> datetime:
    """Return the UTC instant of the learner's next local midnight."""
    return wall_clock(now.astimezone(zone).date() + timedelta(days=1), 0, zone)


def run_triggers(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Create the streak-at-risk, duel-received and weekly-summary notifications that are due."""
    from webapp.services import notify_rules as rules

    now = now or utcnow()
    counts: dict[str, int] = {}
    for name, finder in (("streak_at_risk", rules.streaks_at_risk), ("duel_received", rules.duels_received),
                         ("weekly_summary", rules.weekly_summaries)):  # fmt: skip
        events = fresh(session, finder(session, now))
        counts[name] = create(session, events, now)["notifications"]
    return counts
