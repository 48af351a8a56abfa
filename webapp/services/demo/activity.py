"""A learner's days: whether they study, when, what; their logins and clickstream."""

from itertools import accumulate

from webapp.services.demo import calendar
from webapp.services.demo.context import Context, LearnerInfo
from webapp.services.demo.learner_rows import (
    CONTENT_TYPES,
    SLOTS,
    STUDY_TIME_CUM,
    joined_at,
    write_freeze,
    write_identity,
)
from webapp.services.demo.people import new_learner
from webapp.services.demo.sessions import Learner, Planned, SessionWriter
from webapp.services.demo.writer import DAY

# persona: chance of studying on a school day, on a weekend, sessions per active day
PERSONAS = {
    "regular": (0.8, 0.55, 1.5),
    "occasional": (0.3, 0.25, 1.2),
    "churning": (0.7, 0.45, 1.3),
}
DEVICES = ("android", "web", "tablet", "ios", "other")
DEVICE_CUM = (60, 85, 93, 98, 100)
LOGIN_COLUMNS = ("id", "user_id", "day", "first_login_at", "last_login_at", "login_count", "device")
BEHAVIOR_COLUMNS = ("id", "user_id", "session_id", "name", "properties", "occurred_at")
BEHAVIOR_COLUMNS += ("api_client_id", "external_id", "local_day", "local_hour")
PAGES = ("home", "path", "leaderboard", "profile", "badges", "friends")


class LearnerGenerator:
    """Generates learners one by one, appending their rows to the writer."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.sessions = SessionWriter(ctx)
        self.logins = ctx.writer.table("daily_logins", LOGIN_COLUMNS)
        self.behavior = ctx.writer.table("behavior_events", BEHAVIOR_COLUMNS)
        self.day_off = [calendar.is_day_off(ctx.day(d)) for d in range(ctx.size.days)]
        self.weekend = [ctx.day(d).weekday() >= 5 for d in range(ctx.size.days)]

    def generate(self, index: int) -> LearnerInfo:
        """Make one learner and all their raw activity."""
        info, rng = new_learner(self.ctx, index)
        info.offset = calendar.utc_offset(info.timezone, self.ctx.end)
        device = rng.choices(DEVICES, cum_weights=DEVICE_CUM)[0]
        distractibility = rng.lognormvariate(0.3 if info.persona == "churning" else 0.0, 0.3)
        learner = Learner(info, rng, device, distractibility, min(0.8, max(0.1, rng.gauss(0.4, 0.12))))
        learner.joined = joined_at(self.ctx, learner)
        slot = SLOTS[rng.choices(range(4), cum_weights=STUDY_TIME_CUM)[0]]
        affinities = [rng.betavariate(2, 2) for _ in CONTENT_TYPES]
        self._days(learner, slot, list(accumulate(affinities)))
        write_identity(self.ctx, learner, slot, affinities)
        write_freeze(self.ctx, learner)
        info.skills = sorted(learner.abilities)
        return info

    def _days(self, learner: Learner, slot: str, content_cum: list[float]) -> None:
        info, rng, days = learner.info, learner.rng, self.ctx.size.days
        school, weekend, per_day = PERSONAS[info.persona]
        churn = rng.randint(info.join_day + 5, days + 20) if info.persona == "churning" else days
        for day in range(info.join_day, days):
            p = weekend if self.weekend[day] else school
            p *= 0.6 if self.day_off[day] else 1.0
            p *= 1.15 if day - info.join_day < 7 else 1.0
            p *= 0.04 if day >= churn else 1.0
            if rng.random() < p:
                count = 1 + int(rng.expovariate(1 / (per_day - 0.6)))
                self._active_day(learner, day, min(count, 4), slot, content_cum)
            elif rng.random() < 0.05 and day < churn:
                self._login_only(learner, day)

    def _local_midnight(self, learner: Learner, day: int) -> int:
        offset = calendar.utc_offset(learner.info.timezone, self.ctx.day(day))
        return self.ctx.t0 + day * DAY - offset

    def _active_day(
        self, learner: Learner, day: int, count: int, slot: str, content_cum: list[float]
    ) -> None:
        rng, midnight = learner.rng, self._local_midnight(learner, day)
        cum = calendar.WEEKEND_CUM if self.weekend[day] or self.day_off[day] else calendar.WEEKDAY_CUM
        hours = []
        for _ in range(count):
            hour = rng.choice(calendar.SLOT_HOURS[slot]) if rng.random() < 0.45 else None
            hours.append(hour if hour is not None else rng.choices(calendar.HOURS, cum_weights=cum)[0])
        starts = sorted(midnight + hour * 3600 + rng.randrange(3600) for hour in hours)
        ended, done = 0, []
        for start in starts:
            start = max(start, ended + rng.randrange(120, 1800))
            if start >= midnight + DAY - 600:
                break
            plan = self._plan(learner, start, (start - midnight) // 3600, content_cum)
            session_id, ended = self.sessions.write(learner, plan)
            done.append((start, plan, session_id))
        if done:
            learner.info.active_days.append(day)
            learner.info.day_stats[day] = [len(done), sum(plan.cut for _, plan, _ in done)]
            learner.last_seen = max(learner.last_seen, ended)
            self._login(learner, day, done[0][0], done[-1][0], len(done))
            self._clicks(learner, done)

    def _plan(self, learner: Learner, start: int, hour: int, content_cum: list[float]) -> Planned:
        rng, modules = learner.rng, learner.info.group.path_modules
        current = min(learner.position, len(modules) - 1)
        module = modules[current] if rng.random() < 0.75 else modules[rng.randint(0, current)]
        if rng.random() < 0.7:
            content = module.content_type
        else:
            content = rng.choices(CONTENT_TYPES, cum_weights=content_cum)[0]
        seconds = max(120, int(module.minutes * 60 * rng.lognormvariate(0, 0.35)))
        quit_chance = 0.07 + (0.1 if learner.info.persona == "churning" else 0) + (0.08 if hour >= 22 else 0)
        cut = int(seconds * rng.uniform(0.15, 0.7)) if rng.random() < quit_chance else seconds
        if cut == seconds and module is modules[current] and rng.random() < 0.5:
            learner.position += 1
        device = learner.device if rng.random() < 0.85 else rng.choice(DEVICES)
        return Planned(start, hour, module, content, device, seconds, cut)

    def _login(self, learner: Learner, day: int, first: int, last: int, sessions: int) -> None:
        rng, ts = learner.rng, self.ctx.ts
        first -= rng.randrange(30, 600)
        row_id = self.ctx.writer.next_id("daily_logins")
        count = sessions + (1 if rng.random() < 0.3 else 0)
        day_text = self.ctx.day(day).isoformat()
        self.logins.append((row_id, learner.info.id, day_text, ts(first), ts(max(first, last - 20)), count))
        self.logins[-1] += (learner.device,)
        self._event(learner, None, "app_open", f'{{"device": "{learner.device}"}}', first + 1)

    def _login_only(self, learner: Learner, day: int) -> None:
        rng = learner.rng
        hour = rng.choices(calendar.HOURS, cum_weights=calendar.WEEKEND_CUM)[0]
        at = self._local_midnight(learner, day) + hour * 3600 + rng.randrange(3600)
        self._login(learner, day, at + 600, at + 600, 1)
        self._event(learner, None, "page_view", '{"page": "home"}', at + 30)
        learner.last_seen = max(learner.last_seen, at + 90)

    def _clicks(self, learner: Learner, done: list[tuple[int, Planned, int]]) -> None:
        """Clickstream around the day's sessions: opening content, browsing pages."""
        rng = learner.rng
        for start, plan, session_id in done:
            props = f'{{"module_id": {plan.module.id}, "content_type": "{plan.content}"}}'
            self._event(learner, session_id, "content_open", props, start - 2)
            if rng.random() < 0.35:
                page = rng.choice(PAGES)
                self._event(learner, None, "page_view", f'{{"page": "{page}"}}', start - 30)
            if rng.random() < 0.1:
                self._event(learner, None, "search", f'{{"query_length": {rng.randint(3, 20)}}}', start - 60)

    def _event(self, learner: Learner, session_id: int | None, name: str, props: str, at: int) -> None:
        row_id = self.ctx.writer.next_id("behavior_events")
        local = self.ctx.local(at, learner.info.timezone)
        self.behavior.append(
            (row_id, learner.info.id, session_id, name, props, self.ctx.ts(at), None, None, *local)
        )
