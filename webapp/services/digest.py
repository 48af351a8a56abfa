"""The teachers' weekly digest: due when Monday 07:00 comes in the teacher's time zone.

For each of the teacher's groups it holds the week's figures (Monday to Sunday before
the digest, the learners' local days) against the week before, from the same daily
rollups the dashboards read, and the learners newly at risk: flagged by the latest
evaluation up to the digest's Monday, and by none up to the Monday before, with the
rules that fired. A teacher who unsubscribed has a NotificationPreference (email,
digest) switched off; one digest per teacher and week (key `digest:<teacher>:<monday>`).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from webapp.i18n import DEFAULT_LOCALE, N_, parse
from webapp.models import (
    DailyMetric,
    GroupMember,
    LearnerRiskFlag,
    Notification,
    NotificationPreference,
    User,
)
from webapp.models.analytics.metrics import group_scope
from webapp.models.core.enums import Channel, GroupRole, NotificationCategory, NotificationStatus, Role
from webapp.models.core.mixins import utcnow
from webapp.services.analytics.risk import RULES
from webapp.services.notify import insert_new
from webapp.services.timezones import learner_zone

DIGEST_HOUR = 7
LISTED = 20  # newly at-risk learners listed by name; the page has them all
# key -> (label, definition shown beside the figure)
# English msgids, translated where the digest is rendered (webapp/digest/mail.py, the teacher's locale).
KPIS: dict[str, tuple[str, str]] = {
    "active_learners": (N_("Active learners"), N_("Learners of the group with a session or a quiz on at "
                        "least one day of the week (their own local days).")),
    "sessions": (N_("Learning sessions"), N_("Sessions started during the week.")),
    "learning_minutes": (N_("Learning minutes"), N_("Minutes of those sessions, rounded.")),
    "quiz_attempts": (N_("Quiz attempts"), N_("Quizzes taken during the week.")),
    "avg_quiz_score": (N_("Average quiz score"), N_("Mean score of those quizzes, in percent.")),
    "points_earned": (N_("Points earned"), N_("Points the group's learners earned during the week.")),
    "badges_awarded": (N_("Badges earned"), N_("Badges the group's learners earned during the week.")),
}  # fmt: skip
DECIMALS = {"avg_quiz_score": 1}  # digits after the point a figure is shown with (else 0)


@dataclass
class GroupDigest:
    """One group's part of a digest."""

    group_id: int
    name: str
    figures: dict[str, tuple] = field(default_factory=dict)  # key -> (this week, week before)
    newly_at_risk: list[dict] = field(default_factory=list)
    at_risk_as_of: date | None = None


def digest_monday(now: datetime, tz: str | None) -> date | None:
    """Return the teacher's local Monday when its 07:00 has come (else None)."""
    local = now.astimezone(learner_zone(tz))
    return local.date() if local.weekday() == 0 and local.time() >= time(DIGEST_HOUR) else None


def digest_locale(user: User) -> str:
    """The locale of a staff member's digest and unsubscribe page: their own if we offer its
    language ("hi-IN" -> "hi", "en-IN" -> "en_IN"), else English."""
    return parse(user.locale) or DEFAULT_LOCALE


def digest_key(teacher_id: int, monday: date) -> str:
    """Return the idempotency key of a teacher's digest for a week."""
    return f"digest:{teacher_id}:{monday}"


def is_subscribed(session: Session, user_id: int) -> bool:
    """Whether the staff member gets the weekly digest (yes unless they unsubscribed)."""
    enabled = session.scalar(select(NotificationPreference.is_enabled).where(*_digest_pref(user_id)))
    return enabled is None or bool(enabled)


def _digest_pref(user_id: int) -> tuple:
    p = NotificationPreference
    return p.user_id == user_id, p.channel == Channel.EMAIL, p.category == NotificationCategory.DIGEST


def set_subscribed(session: Session, user_id: int, subscribed: bool) -> bool:
    """Subscribe or unsubscribe a staff member; return whether anything changed."""
    p = NotificationPreference
    row = session.scalars(select(p).where(*_digest_pref(user_id))).first()
    if row is None:
        if subscribed:
            return False
        session.add(p(user_id=user_id, channel=Channel.EMAIL, category=NotificationCategory.DIGEST,
                      is_enabled=False))  # fmt: skip
        return True
    changed = row.is_enabled != subscribed
    row.is_enabled = subscribed
    return changed


def due_teachers(session: Session, now: datetime | None = None) -> list[tuple[User, date]]:
    """Return (teacher, Monday) for each subscribed teacher whose digest for this week is due."""
    now = now or utcnow()
    teachers = session.scalars(
        select(User).where(User.role == Role.TEACHER, User.is_active).order_by(User.id)
    )
    due = [(t, m) for t in teachers if (m := digest_monday(now, t.timezone)) is not None]
    keys = {digest_key(t.id, m) for t, m in due}
    sent = set(
        session.scalars(select(Notification.idempotency_key).where(Notification.idempotency_key.in_(keys)))
    )
    return [(t, m) for t, m in due if digest_key(t.id, m) not in sent and is_subscribed(session, t.id)]


def week_figures(session: Session, group_id: int, monday: date) -> dict[str, tuple]:
    """Return each KPI as (the week before monday, the week before that), from the daily rollups."""
    dm = DailyMetric
    rows = session.execute(
        select(dm.day, dm.weekly_active_learners, dm.sessions, dm.learning_minutes, dm.quiz_attempts,
               dm.avg_quiz_score, dm.points_earned, dm.badges_awarded)
        .where(dm.scope == group_scope(group_id), dm.day >= monday - timedelta(days=14), dm.day < monday)
    ).all()  # fmt: skip
    weeks = []
    for k in (0, 1):  # the week just ended, then the one before
        first, sunday = monday - timedelta(days=7 * (k + 1)), monday - timedelta(days=7 * k + 1)
        weeks.append(_week([r for r in rows if first <= r.day <= sunday], sunday))
    return {key: (weeks[0][key], weeks[1][key]) for key in KPIS}


def _week(rows: list, sunday: date) -> dict:
    attempts = sum(r.quiz_attempts for r in rows)
    scored = sum((r.avg_quiz_score or 0) * r.quiz_attempts for r in rows)
    return {
        "active_learners": next((r.weekly_active_learners for r in rows if r.day == sunday), 0),
        "sessions": sum(r.sessions for r in rows),
        "learning_minutes": round(sum(float(r.learning_minutes) for r in rows)),
        "quiz_attempts": attempts,
        "avg_quiz_score": round(scored / attempts, 1) if attempts else None,
        "points_earned": sum(r.points_earned for r in rows),
        "badges_awarded": sum(r.badges_awarded for r in rows),
    }


def newly_at_risk(session: Session, group_id: int, monday: date) -> tuple[date | None, list[dict]]:
    """Return the evaluation day and the group's learners flagged then but not a week before."""
    f = LearnerRiskFlag
    now_as_of = session.scalar(select(func.max(f.as_of)).where(f.as_of <= monday))
    if now_as_of is None:
        return None, []
    before_as_of = session.scalar(select(func.max(f.as_of)).where(f.as_of <= monday - timedelta(days=7)))
    members = select(GroupMember.user_id).where(
        GroupMember.group_id == group_id, GroupMember.role == GroupRole.MEMBER
    )
    before = set()
    if before_as_of is not None:
        before = set(
            session.scalars(select(f.user_id).where(f.as_of == before_as_of, f.user_id.in_(members)))
        )
    query = (
        select(f.user_id, User.display_name, f.rule, f.detail).join(User, User.id == f.user_id)
        .where(f.as_of == now_as_of, f.user_id.in_(members)).order_by(User.display_name, f.user_id, f.rule)
    )  # fmt: skip
    learners: dict[int, dict] = {}
    for user_id, name, rule, detail in session.execute(query):
        if user_id not in before:
            entry = learners.setdefault(user_id, {"user_id": user_id, "name": name, "rules": []})
            title, explanation = RULES.get(rule, (rule, ""))
            entry["rules"].append(
                {"rule": rule, "title": title, "explanation": explanation, "detail": detail}
            )
    return now_as_of, list(learners.values())


def group_digest(session: Session, group_id: int, name: str, monday: date) -> GroupDigest:
    """Return one group's figures and newly at-risk learners for the digest of monday."""
    as_of, learners = newly_at_risk(session, group_id, monday)
    return GroupDigest(group_id, name, week_figures(session, group_id, monday), learners, as_of)


def queue_digest(
    session: Session, teacher_id: int, monday: date, subject: str, text: str, html: str,
    unsubscribe_url: str, now: datetime | None = None, locale: str = "en",
) -> int:  # fmt: skip
    """Queue a teacher's digest email (once per week); return 1 if it is new."""
    now = now or utcnow()
    row = {
        "recipient_id": teacher_id, "channel": Channel.EMAIL, "category": NotificationCategory.DIGEST,
        "subject": subject[:200], "body": text, "body_html": html, "unsubscribe_url": unsubscribe_url,
        "status": NotificationStatus.QUEUED, "created_at": now, "scheduled_at": now, "locale": locale,
        "idempotency_key": digest_key(teacher_id, monday), "expires_at": now + timedelta(days=2),
        "attempts": 0,
    }  # fmt: skip
    return insert_new(session, [row])
