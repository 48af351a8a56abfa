"""Notification delivery: email (SMTP), push (the platform's gateway) and in-app.

`deliver_due` runs on a schedule, on any number of workers at once:

1. sweep: a message left `sending` past its lease is failed as "outcome unknown";
2. claim: up to a batch of due `queued` messages become `sending`, with this run's token
   and a lease, and that is COMMITTED before anything is sent;
3. decide, in one transaction: a message past `expires_at`, turned off by a preference
   or over the learner's daily cap is `skipped` (with the reason); one inside quiet hours
   goes back to `queued` until they end; an in-app message is `sent` (it is in the inbox
   that the learner apps read through the API);
4. send each remaining email and push message outside any transaction, then record the
   outcome on the row this token claimed: `sent` (with the SMTP Message-ID or the
   gateway's id), `queued` again with back-off (1, 2, 4... minutes) when it certainly
   did not go, `failed` with the reason when it never will.

The guarantee: a notification is handed to SMTP or the gateway at most once.
- Two workers never hold the same row: the claim is a conditional UPDATE of queued rows
  (SKIP LOCKED on PostgreSQL), and its commit precedes any send.
- A retry happens only when the channel says the message certainly did not go
  (connection refused, a 4xx answer before or to DATA, a gateway 5xx/429).
- When the outcome is unknown (the connection broke after DATA was handed over, or the
  worker died mid-send and its lease expired), the message is failed and never resent:
  for a learner a lost reminder is better than two. The reason says so, and admins see it.
- Every attempt of a notification carries the same Message-ID (`<notification-ID@domain>`)
  and push the same `Idempotency-Key` (`notification-ID`), so a receiver that
  de-duplicates would drop a copy even if one were ever sent.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from webapp.models.core.enums import Channel, NotificationStatus
from webapp.models.core.mixins import utcnow
from webapp.services.delivery import policy, queue
from webapp.services.delivery.channels import MailSettings, Outgoing, PushSettings, send_email, send_push
from webapp.services.timezones import learner_zone


@dataclass(frozen=True)
class DeliverySettings:
    """Everything delivery needs from the configuration, as plain values."""

    mail: MailSettings
    push: PushSettings
    daily_cap: int = 5
    max_attempts: int = 5
    retry_base_seconds: int = 60
    lease_seconds: int = 300
    batch: int = 200

    @classmethod
    def from_config(cls, config: Any, instance_path: str | None = None) -> "DeliverySettings":
        """Read the MAIL_*, PUSH_* and NOTIFY_* settings (a relative outbox is in the instance folder)."""
        outbox = config.get("MAIL_OUTBOX_DIR")
        if outbox and instance_path and not Path(outbox).is_absolute():
            outbox = str(Path(instance_path) / outbox)
        folder = Path(outbox) if outbox else None
        mail = MailSettings(
            host=config.get("MAIL_SMTP_HOST"), port=int(config["MAIL_SMTP_PORT"]),
            username=config.get("MAIL_SMTP_USERNAME"), password=config.get("MAIL_SMTP_PASSWORD"),
            starttls=bool(config["MAIL_SMTP_STARTTLS"]), use_ssl=bool(config["MAIL_SMTP_SSL"]),
            timeout=float(config["MAIL_SMTP_TIMEOUT"]), sender=config["MAIL_FROM"], outbox=folder,
        )  # fmt: skip
        push = PushSettings(config.get("PUSH_GATEWAY_URL"), config.get("PUSH_GATEWAY_TOKEN"),
                            float(config["PUSH_TIMEOUT"]), folder)  # fmt: skip
        return cls(mail, push, int(config["NOTIFY_DAILY_CAP"]), int(config["NOTIFY_MAX_ATTEMPTS"]),
                   int(config["NOTIFY_RETRY_BASE_SECONDS"]), int(config["NOTIFY_SEND_LEASE_SECONDS"]),
                   int(config["NOTIFY_BATCH"]))  # fmt: skip


def send(item: Outgoing, settings: DeliverySettings):
    """Hand one message to its channel; return the Outcome."""
    if item.channel == Channel.EMAIL:
        return send_email(item, settings.mail)
    return send_push(item, settings.push)


def deliver_due(session: Session, settings: DeliverySettings, now: datetime | None = None) -> dict[str, int]:
    """Deliver one batch of due notifications; return counts by outcome. Commits as it goes.

    `now` fixes the clock (tests); by default each outcome is stamped when it happens.
    """
    clock = (lambda: now) if now is not None else utcnow
    now = clock()
    counts = {"lost_swept": queue.sweep_lost(session, now)}
    token = queue.new_token()
    ids = queue.claim(session, token, now, timedelta(seconds=settings.lease_seconds), settings.batch)
    session.commit()
    counts["claimed"] = len(ids)
    if not ids:
        return counts
    to_send = _decide(session, ids, settings, now, counts)
    session.commit()
    for item in to_send:
        outcome = send(item, settings)
        queue.record(session, item.id, token, outcome, clock(), settings)
        session.commit()
        key = "sent" if outcome.result == "sent" else f"send_{outcome.result}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def _decide(
    session: Session, ids: list[int], settings: DeliverySettings, now: datetime, counts: dict
) -> list:
    rows = queue.claimed_rows(session, ids)
    zones = {user.id: learner_zone(user.timezone) for _, user in rows}
    prefs = policy.preferences(session, zones)
    sent = policy.sent_today(session, zones, now, exclude=ids)
    out: list[Outgoing] = []
    for n, user in rows:
        verdict, detail = _verdict(n, prefs, zones[user.id], sent, settings, now)
        counts[verdict] = counts.get(verdict, 0) + 1
        if verdict == "send":
            sent[user.id] += (
                n.channel in policy.CAPPED_CHANNELS and n.category not in policy.UNCAPPED_CATEGORIES
            )
            out.append(queue.outgoing(n, user))
        elif verdict == "deferred":
            queue.release(n, NotificationStatus.QUEUED, at=detail)
        elif verdict == "in_app":
            queue.release(n, NotificationStatus.SENT, at=now)
            n.attempts += 1
        else:
            queue.release(n, NotificationStatus.SKIPPED, reason=detail)
    return out


def _verdict(n, prefs, zone, sent, settings: DeliverySettings, now: datetime) -> tuple[str, Any]:
    """Return (what to do, its detail) for one claimed message."""
    pref = prefs.get((n.recipient_id, n.channel, n.category), policy.Preference())
    if n.expires_at is not None and n.expires_at <= now:
        return "skipped", "expired before it could be sent"
    if not pref.enabled:
        return "skipped", f"the recipient turned off {n.category.value} messages by {n.channel.value}"
    until = policy.quiet_until(pref, now, zone)
    if until is not None:
        if n.expires_at is not None and until >= n.expires_at:
            return "skipped", "quiet hours last past its expiry"
        return "deferred", until
    if n.channel == Channel.IN_APP:
        return "in_app", None
    capped = n.channel in policy.CAPPED_CHANNELS and n.category not in policy.UNCAPPED_CATEGORIES
    if capped and sent[n.recipient_id] >= settings.daily_cap:
        return "skipped", f"daily cap of {settings.daily_cap} push and email messages reached"
    return "send", None
