"""Render and queue the teachers' weekly digest emails (HTML and plain text).

Figures and at-risk learners come from services/digest.py; the groups are those the
access rules let the teacher see (webapp/auth/access.py); links are absolute, from
APP_BASE_URL, to the pages the teacher can open. Delivery sends them like every
other email (services/delivery).

Language: the teacher's own locale (`User.locale`, the one they chose in the navbar),
rendered under Flask-Babel's `force_locale`: "hi-IN" or "hi" -> Hindi, "en-IN" ->
English with Indian digit grouping, anything else (or a language we do not offer) ->
English (`digest_locale`). Numbers and dates follow that locale (1,23,456 in hi), and a
risk flag's stored detail is read back into it (`reports.labels.detail_text`).
"""

from datetime import date, datetime, timedelta

from flask import current_app, render_template, url_for
from flask_babel import force_locale, format_date, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.auth.access import visible_group_ids
from webapp.digest import unsubscribe_token
from webapp.i18n import number, tr
from webapp.models import StudyGroup, User
from webapp.models.core.mixins import utcnow
from webapp.reports.labels import detail_text
from webapp.services import digest
from webapp.services.digest import digest_locale


class DigestError(RuntimeError):
    """The digest cannot be built as configured."""


def queue_due_digests(session: Session, now: datetime | None = None) -> dict[str, int]:
    """Queue the digest of every teacher whose Monday 07:00 has come; return counts."""
    base = current_app.config.get("APP_BASE_URL")
    if not base:
        raise DigestError("APP_BASE_URL is not set: the digest's links need the app's address")
    counts = {"candidates": 0, "digests_queued": 0, "without_groups": 0}
    for teacher, monday in digest.due_teachers(session, now):
        counts["candidates"] += 1
        groups = _groups(session, teacher)
        if not groups:
            counts["without_groups"] += 1
            continue
        sections = [digest.group_digest(session, gid, name, monday) for gid, name in groups]
        locale = digest_locale(teacher)
        with current_app.test_request_context("/", base_url=base):
            subject, text, html, unsubscribe = render_digest(teacher, monday, sections)
        counts["digests_queued"] += digest.queue_digest(session, teacher.id, monday, subject, text, html,
                                                        unsubscribe, now or utcnow(), locale)  # fmt: skip
    return counts


def _groups(session: Session, teacher: User) -> list[tuple[int, str]]:
    ids = visible_group_ids(session, teacher) or set()
    query = select(StudyGroup.id, StudyGroup.name).where(StudyGroup.id.in_(ids), StudyGroup.is_active)
    return [tuple(row) for row in session.execute(query.order_by(StudyGroup.name))]


def figure_rows(section: digest.GroupDigest) -> list[dict]:
    """One group's figures as the digest shows them, in the current locale."""
    rows = []
    for key, (label, definition) in digest.KPIS.items():
        now, before = section.figures[key]
        digits = digest.DECIMALS.get(key, 0)
        change = None
        if now is not None and before:  # no change against nothing (or zero)
            percent = int((now - before) / before * 100)
            change = ("+" if percent >= 0 else "-") + number(abs(percent)) + "%"
        rows.append({
            "label": tr(label), "definition": tr(definition), "now": now, "before": before,
            "now_text": number(now, digits) if now is not None else "-",
            "before_text": number(before, digits) if before is not None else "-",
            "change": change, "up": now is not None and before is not None and now >= before,
        })  # fmt: skip
    return rows


def render_digest(teacher: User, monday: date, sections: list) -> tuple[str, str, str, str]:
    """Return (subject, text, HTML, unsubscribe link) of a digest, inside a request context."""
    with force_locale(digest_locale(teacher)):
        return _render_digest(teacher, monday, sections)


def _render_digest(teacher: User, monday: date, sections: list) -> tuple[str, str, str, str]:
    first, last = monday - timedelta(days=7), monday - timedelta(days=1)
    week = {"from": first.isoformat(), "to": last.isoformat()}
    links = {
        s.group_id: {
            "overview": url_for("reports.page", key="overview", group=s.group_id, _external=True, **week),
            "at_risk": url_for("reports.page", key="at-risk", group=s.group_id, _external=True),
            "learners": {
                uid: url_for("reports.page", key="learners", context=uid, _external=True)
                for uid in (learner["user_id"] for learner in s.newly_at_risk)
            },
        }
        for s in sections
    }
    unsubscribe = url_for("digest.unsubscribe_page", token=unsubscribe_token(teacher.id), _external=True)
    context = {"teacher": teacher, "monday": monday, "first": first, "last": last, "sections": sections,
               "links": links, "listed": digest.LISTED, "unsubscribe": unsubscribe,
               "figures": {s.group_id: figure_rows(s) for s in sections},
               "first_text": format_date(first, "EEEE d MMMM"),
               "last_text": format_date(last, "EEEE d MMMM y"),
               "rule": lambda text: tr(text) if text else "",
               "detail": lambda r: detail_text(r["rule"], r["detail"]) or ""}  # fmt: skip
    subject = gettext(
        "Your groups' week: %(first)s to %(last)s",
        first=format_date(first, "d MMM"),
        last=format_date(last, "d MMM y"),
    )
    text = render_template("mail/digest.txt", **context)
    html = render_template("mail/digest.html", **context)
    return subject, text, html, unsubscribe
