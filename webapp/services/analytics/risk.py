"""At-risk learners: documented rules over the learner's own days, evaluated as of a day D.

Each rule that fires for a learner is stored as one LearnerRiskFlag with the figure it
compared, so that pages can say why a learner is listed; each evaluated day is stored as a
RiskEvaluation, so that "nobody flagged" (zero) and "not evaluated" differ. Rules read only
data up to D: learner_days for activity, minutes, focus and quizzes (submitted attempts, on
the day submitted), the derived streak days for streaks (see streak_runs), and the quiz
attempts submitted up to D for mastery.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

from collections.abc import Iterable
from datetime import date, timedelta
from itertools import accumulate

from sqlalchemy import Connection, bindparam, func, null, select, text
from sqlalchemy.orm import Session

from webapp.i18n import N_
from webapp.models.analytics.risk import RiskEvaluation
from webapp.services.analytics import streak_runs
from webapp.services.analytics.features import mastery_on_days
from webapp.services.analytics.sql import Dialect, as_date

# rule -> (title, the rule in words); pages show these, translated (webapp.i18n.tr).
RULES: dict[str, tuple[str, str]] = {
    "went_quiet": (
        N_("Went quiet"),
        N_("No activity in the last 7 days after being regular (active on 8 or more of the 28 days before)."),
    ),
    "minutes_down": (
        N_("Minutes down"),
        N_(
            "Learning minutes in the last 7 days are 30% or more below their weekly average over the "
            "previous 4 weeks (which was at least 30 minutes a week)."
        ),
    ),
    "focus_down": (
        N_("Focus down"),
        N_(
            "Average focus score in the last 7 days is 30% or more below their average over the "
            "previous 4 weeks."
        ),
    ),
    "streak_broken": (
        N_("Streak broken"),
        N_(
            "A streak of 7 or more active days was lost within the last 7 days: a day was missed with no "
            "freeze left (freeze days keep a streak but do not count; the current day is never missed)."
        ),
    ),
    "low_mastery": (
        N_("Low mastery, falling quiz scores"),
        N_(
            "Average skill mastery as of the day below 0.4, and the average score of quizzes submitted "
            "in the last 14 days below that of the 28 days before."
        ),
    ),
}
# The detail stored with each flag: one format string per rule.
# Stored in English; pages show them in the reader's language (webapp.reports.labels.detail_text).
DETAILS = {
    "went_quiet": N_("{days} active days in the 4 weeks before; idle {idle} days"),  # 8+ days: never "1 day"
    "minutes_down": N_("{recent:,.0f} min vs {weekly:,.0f} min/week ({change:+.0f}%)"),
    "focus_down": N_("focus {recent:.0f} vs {before:.0f} ({change:+.0f}%)"),
    "streak_broken": N_("{length}-day streak lost on {lost}"),
    "low_mastery": N_("mastery {mastery:.2f}; quiz {recent:.0f}% vs {before:.0f}%"),
}

REGULAR_DAYS = 8
DROP = 0.7  # "down 30% or more": recent <= 70% of before
MIN_WEEKLY_MINUTES = 30
STREAK_DAYS = 7
LOW_MASTERY = 0.4
# The furthest back any rule looks from its as-of day (low mastery: 14 + 28 days).
LOOKBACK_DAYS = 42
# The report presets' lengths (webapp.reports.filters.PRESETS; a test keeps them equal): the
# district's learners per rule over each, ending on the newest evaluated day, are stored with it.
RULE_WINDOWS = (7, 30, 90)


def _fsum(d: Dialect, expr: str) -> str:
    """SUM of a float column in day order, so that a figure does not depend on the rows' order.

    PostgreSQL adds the rows in the order they come (the table's physical order, which updates
    change), so the last bit of a sum could differ from the batched path's day-order sum;
    SQLite's GROUP BY already adds a learner's rows in day order (by index, stable sorter).
    """
    return f"SUM({expr} ORDER BY day)" if d.pg else f"SUM({expr})"


def _windows(d: Dialect) -> str:
    """Per-learner sums over the last 7 days (r_) and the 28 days before them (p_)."""
    recent = f"day > {d.add_days(':as_of', -7)}"
    before = f"day <= {d.add_days(':as_of', -7)}"
    return f"""
        SELECT user_id,
          SUM(CASE WHEN {recent} AND is_active THEN 1 ELSE 0 END) AS r_days,
          SUM(CASE WHEN {before} AND is_active THEN 1 ELSE 0 END) AS p_days,
          {_fsum(d, f"CASE WHEN {recent} THEN learning_minutes ELSE 0 END")} AS r_min,
          {_fsum(d, f"CASE WHEN {before} THEN learning_minutes ELSE 0 END")} AS p_min,
          {_fsum(d, f"CASE WHEN {recent} THEN focus_score_sum ELSE 0 END")} AS r_fs,
          SUM(CASE WHEN {recent} THEN focus_sessions ELSE 0 END) AS r_fn,
          {_fsum(d, f"CASE WHEN {before} THEN focus_score_sum ELSE 0 END")} AS p_fs,
          SUM(CASE WHEN {before} THEN focus_sessions ELSE 0 END) AS p_fn,
          MAX(CASE WHEN is_active THEN day END) AS last_day
        FROM learner_days
        WHERE day > {d.add_days(":as_of", -35)} AND day <= :as_of
        GROUP BY user_id"""


def _activity_flags(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    out = []
    for r in conn.execute(text(_windows(d)), {"as_of": d.day(as_of)}):
        uid, r_days, p_days, r_min, p_min, r_fs, r_fn, p_fs, p_fn, last = r
        if r_days == 0 and p_days >= REGULAR_DAYS:
            idle = (as_of - as_date(last)).days if last else None
            out.append(_flag(uid, "went_quiet", idle, days=p_days, idle=idle))
        weekly = float(p_min) / 4
        if weekly >= MIN_WEEKLY_MINUTES and float(r_min) <= DROP * weekly:
            change = 100 * (float(r_min) - weekly) / weekly
            out.append(_flag(uid, "minutes_down", change, recent=float(r_min), weekly=weekly, change=change))
        if r_fn and p_fn:
            recent, before = float(r_fs) / r_fn, float(p_fs) / p_fn
            if before > 0 and recent <= DROP * before:
                change = 100 * (recent - before) / before
                out.append(_flag(uid, "focus_down", change, recent=recent, before=before, change=change))
    return out


def _streak_flags(conn: Connection, d: Dialect, days: list[date]) -> dict[date, list[dict]]:
    """Streaks lost within the 7 days up to each as-of day: one reading of the runs for all days.

    A run with last day L was lost on L + 1; as of D that is within the last 7 days when
    D - 6 <= L + 1 <= D - 1 (D itself is never missed), i.e. for D from L + 2 to L + 7.
    """
    out: dict[date, list[dict]] = {day: [] for day in days}
    if not days:
        return out
    first = min(days) - timedelta(days=7)
    for uid, _start, last, length in streak_runs.runs(conn, d, max(days), first):
        if length < STREAK_DAYS:
            continue
        lost = last + timedelta(days=1)
        for k in range(2, 8):
            as_of = last + timedelta(days=k)
            if as_of in out:
                out[as_of].append(_flag(uid, "streak_broken", length, length=length, lost=lost.isoformat()))
    return out


def _falling_quizzes(conn: Connection, d: Dialect, as_of: date) -> dict[int, tuple[float, float]]:
    """Learners whose quiz average of the last 14 days is below that of the 28 days before."""
    recent = f"day > {d.add_days(':as_of', -14)}"
    sql = f"""
        SELECT user_id, r_sum / r_n, p_sum / p_n FROM (
          SELECT user_id,
            {_fsum(d, f"CASE WHEN {recent} THEN quiz_percent_sum ELSE 0 END")} AS r_sum,
            SUM(CASE WHEN {recent} THEN quiz_attempts ELSE 0 END) AS r_n,
            {_fsum(d, f"CASE WHEN NOT ({recent}) THEN quiz_percent_sum ELSE 0 END")} AS p_sum,
            SUM(CASE WHEN NOT ({recent}) THEN quiz_attempts ELSE 0 END) AS p_n
          FROM learner_days
          WHERE quiz_attempts > 0 AND day > {d.add_days(":as_of", -LOOKBACK_DAYS)} AND day <= :as_of
          GROUP BY user_id) q
        WHERE r_n > 0 AND p_n > 0"""
    return {
        uid: (float(r), float(p))
        for uid, r, p in conn.execute(text(sql), {"as_of": d.day(as_of)})
        if float(r) < float(p)
    }


class _Learner:
    """One learner's learner-days in day order, as columns (day numbers, flags, figures).

    The whole-number columns also carry running totals, so a window's count is a difference;
    the float columns are summed over the window's rows in day order, as the per-day SQL adds
    them, so that both paths compare the same figures.
    """

    __slots__ = (
        "active",
        "at",
        "day",
        "fn",
        "fs",
        "minutes",
        "n_active",
        "n_fn",
        "n_q",
        "q_at",
        "q_day",
        "q_sum",
    )

    def __init__(self) -> None:
        self.day: list[int] = []
        self.active: list[int] = []
        self.n_active = [0]
        self.minutes: list[float] = []
        self.fs: list[float] = []
        self.fn: list[int] = []
        self.n_fn = [0]
        self.q_day: list[int] = []  # the days with quiz attempts only
        self.q_sum: list[float] = []
        self.n_q = [0]
        # at[k]: how many rows fall on or before day first + k (bisect_right as a lookup)
        self.at: list[int] = []
        self.q_at: list[int] = []

    def index(self, first: int, span: int) -> None:
        """Fill at and q_at for the days first + 0 .. first + span."""
        marks, q_marks = [0] * (span + 1), [0] * (span + 1)
        for n in self.day:
            marks[n - first] += 1
        for n in self.q_day:
            q_marks[n - first] += 1
        self.at, self.q_at = list(accumulate(marks)), list(accumulate(q_marks))


def _day_rows(conn: Connection, d: Dialect, days: list[date]) -> tuple[int, list[tuple[int, _Learner]]]:
    """The learner-days that the windows of all the as-of days read, in one query, by learner
    (and the day number that their indexes start from)."""
    sql = """
        SELECT user_id, day, is_active, learning_minutes, focus_score_sum, focus_sessions,
               quiz_attempts, quiz_percent_sum
        FROM learner_days WHERE day > :lo AND day <= :hi ORDER BY user_id, day"""
    lo = min(days) - timedelta(days=LOOKBACK_DAYS)
    out: dict[int, _Learner] = {}
    params = {"lo": d.day(lo), "hi": d.day(max(days))}
    for uid, day, active, minutes, fs, fn, qn, qsum in conn.execute(text(sql), params):
        r = out.get(uid)
        if r is None:
            r = out[uid] = _Learner()
        n = as_date(day).toordinal()
        active = 1 if active else 0
        r.day.append(n)
        r.active.append(active)
        r.n_active.append(r.n_active[-1] + active)
        r.minutes.append(minutes)
        r.fs.append(fs)
        r.fn.append(fn)
        r.n_fn.append(r.n_fn[-1] + fn)
        if qn > 0:
            r.q_day.append(n)
            r.q_sum.append(qsum)
            r.n_q.append(r.n_q[-1] + qn)
    first, span = lo.toordinal(), (max(days) - lo).days
    for r in out.values():
        r.index(first, span)
    return first, sorted(out.items())


def _activity_flags_from(first: int, rows: list[tuple[int, _Learner]], as_of: date) -> list[dict]:
    """_activity_flags, from the rows read once (the same windows and comparisons)."""
    out = []
    a = as_of.toordinal() - first
    for uid, r in rows:
        at = r.at
        i0, i1, i2 = at[a - 35], at[a - 7], at[a]
        if i0 == i2:  # no row in the window: the per-day query has no group for this learner
            continue
        r_days, p_days = r.n_active[i2] - r.n_active[i1], r.n_active[i1] - r.n_active[i0]
        if r_days == 0 and p_days >= REGULAR_DAYS:
            last = next(r.day[i] for i in range(i1 - 1, i0 - 1, -1) if r.active[i])
            idle = a + first - last
            out.append(_flag(uid, "went_quiet", idle, days=p_days, idle=idle))
        r_min, p_min = sum(r.minutes[i1:i2]), sum(r.minutes[i0:i1])
        weekly = float(p_min) / 4
        if weekly >= MIN_WEEKLY_MINUTES and float(r_min) <= DROP * weekly:
            change = 100 * (float(r_min) - weekly) / weekly
            out.append(_flag(uid, "minutes_down", change, recent=float(r_min), weekly=weekly, change=change))
        r_fn, p_fn = r.n_fn[i2] - r.n_fn[i1], r.n_fn[i1] - r.n_fn[i0]
        if r_fn and p_fn:
            recent, before = float(sum(r.fs[i1:i2])) / r_fn, float(sum(r.fs[i0:i1])) / p_fn
            if before > 0 and recent <= DROP * before:
                change = 100 * (recent - before) / before
                out.append(_flag(uid, "focus_down", change, recent=recent, before=before, change=change))
    return out


def _falling_quizzes_from(
    first: int, rows: list[tuple[int, _Learner]], as_of: date
) -> dict[int, tuple[float, float]]:
    """_falling_quizzes, from the rows read once (rows: the learners with quiz attempts)."""
    out = {}
    a = as_of.toordinal() - first
    for uid, r in rows:
        at = r.q_at
        i0, i1, i2 = at[a - LOOKBACK_DAYS], at[a - 14], at[a]
        r_n, p_n = r.n_q[i2] - r.n_q[i1], r.n_q[i1] - r.n_q[i0]
        if r_n > 0 and p_n > 0:
            recent, before = float(sum(r.q_sum[i1:i2])) / r_n, float(sum(r.q_sum[i0:i1])) / p_n
            if recent < before:
                out[uid] = (recent, before)
    return out


def _mastery_flags(
    conn: Connection, d: Dialect, days: list[date], falling: dict[date, dict[int, tuple[float, float]]]
) -> dict[date, list[dict]]:
    """Low mastery with falling quiz scores, as of each day: the quizzes read once for all days."""
    mastery = mastery_on_days(conn, d, {day: list(f) for day, f in falling.items() if f})
    out: dict[date, list[dict]] = {}
    for day in days:
        out[day] = []
        for uid, (recent_avg, before_avg) in sorted(falling[day].items()):
            m = mastery.get(day, {}).get(uid)
            if m is not None and m < LOW_MASTERY:
                out[day].append(_flag(uid, "low_mastery", m, mastery=m, recent=recent_avg, before=before_avg))
    return out


def _flag(user_id: int, rule: str, value: float | None, **figures) -> dict:
    detail = DETAILS[rule].format(**figures)
    return {"user_id": user_id, "rule": rule, "value": value, "detail": detail[:200]}


def evaluate(conn: Connection, d: Dialect, as_of: date) -> list[dict]:
    """Return every rule that fires as of a day, one dict per learner and rule."""
    return evaluate_days(conn, d, [as_of])[as_of]


def evaluate_days(
    conn: Connection, d: Dialect, days: Iterable[date], batched: bool | None = None
) -> dict[date, list[dict]]:
    """Return the flags of each as-of day (the streak runs are read once for all of them).

    Batched (the default for more than one day): the learner-days that the activity and quiz
    windows of all the days read are read once, and each day's windows are summed in Python
    (see _day_rows); otherwise two queries per day. Both give the same flags (a test says so).
    """
    days = sorted(set(days))
    if batched is None:
        batched = len(days) > 1
    if batched:
        first, rows = _day_rows(conn, d, days)
        activity = {day: _activity_flags_from(first, rows, day) for day in days}
        quizzers = [(uid, r) for uid, r in rows if r.q_day]
        falling = {day: _falling_quizzes_from(first, quizzers, day) for day in days}
    else:
        activity = {day: _activity_flags(conn, d, day) for day in days}
        falling = {day: _falling_quizzes(conn, d, day) for day in days}
    streaks, mastery = _streak_flags(conn, d, days), _mastery_flags(conn, d, days, falling)
    return {day: activity[day] + streaks[day] + mastery[day] for day in days}


def write_flags(conn: Connection, d: Dialect, days: Iterable[date]) -> int:
    """Rewrite the flags and the evaluation record of each as-of day; return how many flags fired.

    The stored flags of a day are made equal to the evaluation by writing only the difference
    (see _replace_flags): a day evaluated again on the same data writes no flag.
    """
    fired = 0
    for as_of, flags in evaluate_days(conn, d, days).items():
        params = {"as_of": d.day(as_of)}
        _replace_flags(conn, d, params, flags)
        conn.execute(text("DELETE FROM risk_evaluations WHERE as_of = :as_of"), params)
        conn.execute(
            text(
                "INSERT INTO risk_evaluations (as_of, learners_flagged, computed_at)"
                " VALUES (:as_of, :n, CURRENT_TIMESTAMP)"
            ),
            {**params, "n": len({f["user_id"] for f in flags})},
        )
        fired += len(flags)
    return fired


# PostgreSQL: a day's flags in one statement, as arrays (an INSERT per flag took a fifth of a full
# refresh); SQLite: executemany, in-process and fast.
_INSERT_PG = """
    INSERT INTO learner_risk_flags (as_of, user_id, rule, value, detail, computed_at)
    SELECT :as_of, u.user_id, u.rule, u.value, u.detail, CURRENT_TIMESTAMP
    FROM unnest(CAST(:user_ids AS INTEGER[]), CAST(:rules AS VARCHAR[]), CAST(:values AS DOUBLE PRECISION[]),
                CAST(:details AS VARCHAR[])) AS u(user_id, rule, value, detail)"""
_INSERT_ROWS = """
    INSERT INTO learner_risk_flags (as_of, user_id, rule, value, detail, computed_at)
    VALUES (:as_of, :user_id, :rule, :value, :detail, CURRENT_TIMESTAMP)"""


_DELETE_FLAGS = text("DELETE FROM learner_risk_flags WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def _replace_flags(conn: Connection, d: Dialect, params: dict, flags: list[dict]) -> None:
    """Make the stored flags of one as-of day these: delete the stored ones that are gone or
    differ (value or detail), insert the new and the changed; keep the identical ones.

    Writing a flag row (its four indexes and the foreign key) costs far more than reading it:
    a backfill or a full refresh over days whose data did not change rewrote every flag before.
    """
    stored = conn.execute(
        text("SELECT id, user_id, rule, value, detail FROM learner_risk_flags WHERE as_of = :as_of"), params
    )
    by_key = {(uid, rule): (row_id, value, detail) for row_id, uid, rule, value, detail in stored}
    kept: set[int] = set()
    fresh = []
    for flag in flags:
        old = by_key.get((flag["user_id"], flag["rule"]))
        value = None if flag["value"] is None else float(flag["value"])
        if old is not None and old[1] == value and old[2] == flag["detail"]:
            kept.add(old[0])
        else:
            fresh.append(flag)
    gone = [row_id for row_id, _value, _detail in by_key.values() if row_id not in kept]
    for k in range(0, len(gone), 5000):
        conn.execute(_DELETE_FLAGS, {"ids": gone[k : k + 5000]})
    if fresh:
        _insert_flags(conn, d, params, fresh)


def _insert_flags(conn: Connection, d: Dialect, params: dict, flags: list[dict]) -> None:
    if not d.pg:
        conn.execute(text(_INSERT_ROWS), [{**f, **params} for f in flags])
        return
    columns = {
        "user_ids": [f["user_id"] for f in flags], "rules": [f["rule"] for f in flags],
        "values": [None if f["value"] is None else float(f["value"]) for f in flags],
        "details": [f["detail"] for f in flags],
    }  # fmt: skip
    conn.execute(text(_INSERT_PG), {**params, **columns})


def rule_windows(conn: Connection, d: Dialect, as_of: date) -> dict[str, dict[str, int]]:
    """The district's learners flagged by each rule on any day of the RULE_WINDOWS days ending on
    as_of: {"30": {"went_quiet": n, ...}, ...}, every rule present (0 when none).

    One reading of the longest window: each (rule, learner)'s newest flag day in it, which lies
    in a shorter window exactly when the learner was flagged by the rule on some day of it.
    """
    longest = max(RULE_WINDOWS)
    sql = """
        SELECT rule, MAX(as_of) FROM learner_risk_flags
        WHERE as_of > :lo AND as_of <= :as_of GROUP BY rule, user_id"""
    params = {"lo": d.day(as_of - timedelta(days=longest)), "as_of": d.day(as_of)}
    out = {str(n): dict.fromkeys(RULES, 0) for n in RULE_WINDOWS}
    for rule, newest in conn.execute(text(sql), params):
        age = (as_of - as_date(newest)).days
        for n in RULE_WINDOWS:
            if age < n:
                counts = out[str(n)]
                counts[rule] = counts.get(rule, 0) + 1
    return out


def write_rule_windows(conn: Connection, d: Dialect, as_of: date) -> None:
    """Store rule_windows(as_of) on the evaluation of as_of (if there is one), and only there: the
    counts of an older day would go stale when a backfill changes its flags (pages count those)."""
    table = RiskEvaluation.__table__
    older = table.update().where(table.c.as_of != as_of, table.c.rule_learners.is_not(None))
    conn.execute(older.values(rule_learners=null()))  # SQL NULL, not JSON null
    windows = rule_windows(conn, d, as_of)
    conn.execute(table.update().where(table.c.as_of == as_of).values(rule_learners=windows))


def stored_rule_windows(session: Session | Connection, as_of: date) -> dict[str, dict[str, int]] | None:
    """The rule counts stored with the evaluation of as_of (None: none stored)."""
    return session.scalar(select(RiskEvaluation.rule_learners).where(RiskEvaluation.as_of == as_of))


def evaluated_days(conn: Connection, d: Dialect, first: date, last: date) -> set[date]:
    """Return the as-of days from first to last that have an evaluation."""
    sql = "SELECT as_of FROM risk_evaluations WHERE as_of BETWEEN :lo AND :hi"
    return {as_date(day) for (day,) in conn.execute(text(sql), {"lo": d.day(first), "hi": d.day(last)})}


def latest_evaluation(session: Session, on_or_before: date) -> date | None:
    """Return the last day up to on_or_before that the rules were evaluated for, or None.

    The one answer to "which flags hold as of this day" for every page that shows risk.
    """
    return session.scalar(select(func.max(RiskEvaluation.as_of)).where(RiskEvaluation.as_of <= on_or_before))
