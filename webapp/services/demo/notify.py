"""Notifications the platform sent: rendered from the templates, sent, read (or not)."""

from jinja2.sandbox import SandboxedEnvironment

from webapp.services.demo.context import Context, LearnerInfo
from webapp.services.demo.writer import DAY

NOTIFICATION_COLUMNS = ("id", "recipient_id", "template_id", "channel", "category", "subject", "body")
NOTIFICATION_COLUMNS += ("status", "failure_reason", "created_at", "scheduled_at", "sent_at", "read_at")
# Delivery state: the locale used and one attempt for what was sent or failed.
NOTIFICATION_COLUMNS += ("idempotency_key", "locale", "body_html", "unsubscribe_url", "expires_at")
NOTIFICATION_COLUMNS += ("attempts", "claimed_by", "lease_until", "message_id")
CHANNEL_OF = {"weekly_summary": "email", "comeback": "push", "streak_reminder": "push"}
CATEGORY_OF = {"streak_reminder": "streak", "duel_challenge": "duel", "duel_result": "duel"}
CATEGORY_OF |= {"comeback": "reminder", "weekly_summary": "reminder", "new_follower": "social"}


class Notifier:
    """Renders templates once compiled and appends notification rows."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.rows = ctx.writer.table("notifications", NOTIFICATION_COLUMNS)
        env = SandboxedEnvironment(autoescape=False)
        self.compiled = {
            key: (template_id, env.from_string(subject), env.from_string(body))
            for key, (template_id, subject, body) in ctx.templates.items()
        }
        self.period_end = ctx.t0 + ctx.size.days * DAY

    def send(self, to: LearnerInfo, key: str, at: int, read_at: int | None, **values: object) -> None:
        """Record one message to a learner; unread unless read_at is given."""
        channel = CHANNEL_OF.get(key, "in_app")
        template_id, subject, body = self.compiled[(key, channel, "en")]
        values["learner_name"] = values["first_name"] = to.name.split()[0]
        ts = self.ctx.ts
        row_id = self.ctx.writer.next_id("notifications")
        status, failure, sent = self._status(row_id, at, channel)
        read = ts(read_at) if read_at and status == "sent" and read_at < self.period_end else None
        status = "read" if read else status
        self.rows.append(
            (
                row_id,
                to.id,
                template_id,
                channel,
                CATEGORY_OF[key],
                subject.render(values),
                body.render(values),
                status,
                failure,
                ts(at),
                ts(at),
                sent,
                read,
                None,
                "en",
                None,
                None,
                None,
                0 if status == "queued" else 1,
                None,
                None,
                None,
            )
        )

    def _status(self, row_id: int, at: int, channel: str) -> tuple[str, str | None, str | None]:
        if at >= self.period_end:
            return "queued", None, None
        if channel == "email" and row_id % 47 == 0:
            return "failed", "mailbox unavailable", None
        return "sent", None, self.ctx.ts(at + 5)


def write_reminders(ctx: Context, notifier: Notifier) -> None:
    """Streak reminders, come-back nudges and weekly summaries, from each learner's active days."""
    for learner in ctx.learners:
        rng = ctx.rng("reminders", learner.id)
        active = set(learner.active_days)
        evening = ctx.t0 + 19 * 3600 + 1800 - learner.offset
        run = 0
        for day in range(learner.join_day, ctx.size.days):
            at = evening + day * DAY
            if run >= 2 and rng.random() < 0.3:
                read = at + rng.randrange(300, 7200) if day in active else None
                notifier.send(learner, "streak_reminder", at, read, streak_days=run)
            away = day - max((d for d in learner.active_days if d < day), default=-99)
            if day not in active and away == 4:
                back = any(d in active for d in (day + 1, day + 2))
                subject = learner.group.subject
                notifier.send(
                    learner, "comeback", at, at + DAY if back else None, days_away=away, subject=subject
                )
            if ctx.day(day).weekday() == 0:
                _weekly(ctx, notifier, learner, day, rng, run)  # run: the streak up to yesterday
            run = run + 1 if day in active else 0


def _weekly(ctx: Context, notifier: Notifier, learner: LearnerInfo, day: int, rng, run: int) -> None:
    week = [learner.day_stats[d] for d in learner.active_days if day - 7 <= d < day]
    if not week:
        return
    at = ctx.t0 + day * DAY + 8 * 3600 - learner.offset
    read = at + rng.randrange(3600, 2 * DAY) if rng.random() < 0.4 else None
    minutes = sum(seconds for _, seconds in week) // 60
    notifier.send(learner, "weekly_summary", at, read, minutes=minutes, sessions=sum(n for n, _ in week),
                  streak_days=run)  # fmt: skip


def write_follow_notices(
    ctx: Context, notifier: Notifier, followers: dict[int, list[tuple[int, int]]]
) -> None:
    """Tell learners who started following them."""
    by_id = {learner.id: learner for learner in ctx.learners}
    for followee, items in followers.items():
        for follower, since in items:
            active = set(by_id[followee].active_days)
            day = (since - ctx.t0) // DAY
            read = since + 4 * 3600 if day in active or day + 1 in active else None
            notifier.send(by_id[followee], "new_follower", since, read, follower_name=by_id[follower].name)
