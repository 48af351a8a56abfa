"""The channels that leave the app: email over SMTP, push through the platform's gateway.

Each send returns an Outcome that says what we *know*:
- SENT: the server accepted it (SMTP 250 after DATA, gateway 2xx);
- RETRY: it certainly did not go (refused connection, 4xx before or at DATA, gateway 5xx/429);
- FAILED: it certainly did not go and never will as it is (5xx, gateway 4xx, no address);
- UNKNOWN: the connection broke after the message was handed over and before the
  server's answer: it may have gone. Delivery never retries these (services/delivery).
"""

import email.policy
import http.client
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from enum import StrEnum
from pathlib import Path

from webapp.models.core.mixins import utcnow


class Result(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Outcome:
    """What a send achieved, why, and the id the other side knows it by."""

    result: Result
    reason: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class Outgoing:
    """One message ready to leave: plain values read before the send."""

    id: int
    channel: str
    category: str
    recipient_id: int
    address: str
    subject: str | None
    body: str
    body_html: str | None
    unsubscribe_url: str | None


@dataclass(frozen=True)
class MailSettings:
    host: str | None
    port: int
    username: str | None
    password: str | None
    starttls: bool
    use_ssl: bool
    timeout: float
    sender: str
    outbox: Path | None


def message_id(notification_id: int, sender: str) -> str:
    """Return the Message-ID of a notification: the same on every attempt, so a receiver can de-duplicate."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "shikshadisha.invalid"
    return f"<notification-{notification_id}@{domain}>"


def build_email(item: Outgoing, settings: MailSettings) -> EmailMessage:
    """Return the email of a notification: text, and HTML beside it when there is one."""
    msg = EmailMessage()
    msg["From"] = settings.sender
    msg["To"] = item.address
    msg["Subject"] = item.subject or "ShikshaDisha"
    msg["Date"] = format_datetime(utcnow())
    msg["Message-ID"] = message_id(item.id, settings.sender)
    if item.unsubscribe_url:  # RFC 8058 one-click unsubscribe
        msg["List-Unsubscribe"] = f"<{item.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(item.body)
    if item.body_html:
        msg.add_alternative(item.body_html, subtype="html")
    return msg


def send_email(item: Outgoing, settings: MailSettings) -> Outcome:
    """Send one email over SMTP (or into the outbox folder without a server)."""
    msg = build_email(item, settings)
    if not settings.host:
        return _to_outbox(msg, item, settings.outbox)
    if not item.address or "@" not in item.address:
        return Outcome(Result.FAILED, "the recipient has no email address")
    try:
        smtp = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome(Result.RETRY, f"SMTP connection: {_short(exc)}")
    with smtp:
        return _transaction(smtp, msg, item.address, settings)


def _connect(settings: MailSettings) -> smtplib.SMTP:
    if settings.use_ssl:
        smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                context=ssl.create_default_context())  # fmt: skip
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def _transaction(smtp: smtplib.SMTP, msg: EmailMessage, to: str, settings: MailSettings) -> Outcome:
    """MAIL, RCPT, DATA: only a break after DATA was handed over leaves the outcome unknown."""
    try:
        smtp.ehlo_or_helo_if_needed()
        for command, argument in (("mail", parseaddr(settings.sender)[1]), ("rcpt", to)):
            code, answer = getattr(smtp, command)(argument)
            if code >= 400:
                return _refused(code, answer, command.upper())
        payload = msg.as_bytes(policy=email.policy.SMTP)  # CRLF line ends, as SMTP requires
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome(Result.RETRY, f"SMTP before DATA: {_short(exc)}")
    try:
        code, answer = smtp.data(payload)  # raises on a refused DATA, returns the final answer
    except smtplib.SMTPResponseException as exc:  # a clear answer: it was not taken
        return _refused(exc.smtp_code, exc.smtp_error, "DATA")
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome(Result.UNKNOWN, f"SMTP connection broke during DATA: {_short(exc)}")
    if code != 250:  # a clear answer to the message itself: it was not taken
        return _refused(code, answer, "message")
    return Outcome(Result.SENT, None, msg["Message-ID"])


def _refused(code: int, answer: bytes | str, step: str) -> Outcome:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    result = Result.RETRY if 400 <= code < 500 else Result.FAILED
    return Outcome(result, f"SMTP {step} refused: {code} {text[:150]}")


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:200]


def _to_outbox(msg: EmailMessage, item: Outgoing, outbox: Path | None) -> Outcome:
    if outbox is None:
        return Outcome(Result.FAILED, "email is not configured: set MAIL_SMTP_HOST")
    outbox.mkdir(parents=True, exist_ok=True)
    (outbox / f"notification-{item.id}.eml").write_bytes(msg.as_bytes(policy=email.policy.SMTP))
    return Outcome(Result.SENT, "written to the outbox folder", msg["Message-ID"])


@dataclass(frozen=True)
class PushSettings:
    url: str | None
    token: str | None
    timeout: float
    outbox: Path | None


def push_payload(item: Outgoing) -> dict:
    """Return what the push gateway receives."""
    return {"id": f"notification-{item.id}", "user_id": item.recipient_id, "category": item.category,
            "title": item.subject or "", "body": item.body}  # fmt: skip


def send_push(item: Outgoing, settings: PushSettings) -> Outcome:
    """POST one push message to the gateway, with the notification's id as idempotency key."""
    payload = push_payload(item)
    if not settings.url:
        if settings.outbox is None:
            return Outcome(Result.FAILED, "push is not configured: set PUSH_GATEWAY_URL")
        settings.outbox.mkdir(parents=True, exist_ok=True)
        (settings.outbox / f"notification-{item.id}.push.json").write_text(json.dumps(payload))
        return Outcome(Result.SENT, "written to the outbox folder", payload["id"])
    headers = {"Content-Type": "application/json", "Idempotency-Key": payload["id"]}
    if settings.token:
        headers["Authorization"] = f"Bearer {settings.token}"
    request = urllib.request.Request(settings.url, json.dumps(payload).encode(), headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310
            return Outcome(Result.SENT, None, _gateway_id(response.read()) or payload["id"])
    except urllib.error.HTTPError as exc:
        retry = exc.code >= 500 or exc.code in (408, 425, 429)
        return Outcome(
            Result.RETRY if retry else Result.FAILED, f"push gateway answered {exc.code} {exc.reason}"
        )
    except urllib.error.URLError as exc:  # no connection: nothing was sent
        return Outcome(Result.RETRY, f"push gateway unreachable: {_short(exc.reason)}")
    except (OSError, http.client.HTTPException) as exc:  # after the request went out
        return Outcome(Result.UNKNOWN, f"push gateway connection broke after the request: {_short(exc)}")


def _gateway_id(body: bytes) -> str | None:
    try:
        value = json.loads(body or b"{}").get("id")
    except (ValueError, AttributeError):
        return None
    return str(value)[:255] if value else None
