"""One learner's page: why at risk, points and streak, badges, streak calendar, focus, mastery,
quizzes, engagement profile.

Only a learner the signed-in user may see is shown (teachers: learners of their groups);
anything else, including an id that is not a learner's, is a 404. Every section is a figure
of this report, in the order registered here: adding one is a query and a spec; the
template lays out whatever is registered.
"""

from datetime import date, timedelta

from flask import abort
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from webapp.i18n import N_, day_text, lazy_tr, number, tr, weekday_names
from webapp.reports.charts import Chart, Column, bar, heatmap, line, table
from webapp.reports.definitions import EMPTY, as_of, define, phrase, plural
from webapp.reports.filters import ReportFilter
from webapp.reports.labels import detail_text
from webapp.reports.queries import learner as q
from webapp.reports.queries import paths
from webapp.reports.queries.common import Context, Row, ratio
from webapp.reports.registry import Report, register
from webapp.services.analytics.risk import RULES

MAX_ID = 2_147_483_647
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # the CSV's; the chart's are localised
STATE_VALUE = {"none": 0, "freeze": 1, "active": 2}
STATE_TEXT = {
    "none": N_("no streak activity"),
    "freeze": N_("freeze used (streak kept)"),
    "active": N_("active"),
}
# Three discrete colours over z = 0, 1, 2: grey, ice blue, green (as contribution graphs do).
CALENDAR_COLOURS = [
    [0.0, "#ebedf0"],
    [0.33, "#ebedf0"],
    [0.34, "#9ecae1"],
    [0.66, "#9ecae1"],
    [0.67, "#2ca02c"],
    [1.0, "#2ca02c"],
]


def load(session: Session, flt: ReportFilter, raw: str | None, args: MultiDict) -> Context:
    """The learner of the URL; 404 when there is none or the user may not see them."""
    if raw is None or not raw.isdigit() or int(raw) > MAX_ID:
        abort(404)
    person = q.learner(session, int(raw))
    if person is None or not flt.scope.may_see_learner(session, person["id"]):
        abort(404)
    return {"learner": person, "cache_key": f"learner:{person['id']}", "url_context": person["id"]}


REPORT = register(
    Report(
        "learners",
        lazy_tr("Learner"),
        "reports/learner.html",
        load=load,
        url_context="required",
        saveable=False,
        group_filter=False,
    )
)


def facts(chart_id: str, title: str, items: list[tuple[str, str, object, str]], **kw) -> Chart:
    """A list of labelled figures: items of (key, label, value, value in words)."""
    rows = [(k, v) for k, _, v, _ in items]
    shown = [(label, text) for _, label, _, text in items]
    return Chart(id=chart_id, title=title, header=["figure", "value"], rows=rows, kind="facts",
                 extra={"items": shown}, **kw)  # fmt: skip


@REPORT.figure("risk", q.risk_reasons)
def risk_section(data: dict, flt: ReportFilter, ctx: Context) -> Chart:
    """Why the learner is at risk as of the range's end: each rule that fired, its detail and its words."""
    day = data.get("as_of") if data else None
    rows = [(rule, tr(RULES.get(rule, (rule, ""))[0]), value, detail_text(rule, detail),
             tr(RULES.get(rule, ("", ""))[1]))
            for rule, value, detail in (data or {}).get("rows", [])]  # fmt: skip
    columns = (Column("rule", tr("Rule"), hidden=True), Column("title", tr("Rule that fired")),
               Column("value", tr("Value"), hidden=True), Column("detail", tr("Why")),
               Column("rule_text", tr("The rule")))  # fmt: skip
    empty = EMPTY["learner_not_evaluated"]
    if day:
        empty = EMPTY["learner_not_flagged"].format(day=day_text(day))
    return table("risk", tr("At risk?"), columns, rows, note=as_of(day), empty_message=empty, width="full",
                 definition=define("at_risk"), extra={"alert": bool(rows)})  # fmt: skip


# (key, label, how its value reads) of the points and streak figures.
SUMMARY = (
    ("balance", lazy_tr("Points balance"), "number"),
    ("lifetime_earned", lazy_tr("Points earned in all"), "number"),
    ("current_streak", lazy_tr("Current streak"), "days"),
    ("longest_streak", lazy_tr("Longest streak"), "days"),
    ("freezes_equipped", lazy_tr("Freezes equipped"), "number"),
)  # fmt: skip


@REPORT.figure("summary", q.summary)
def summary_facts(data: dict, flt: ReportFilter, ctx: Context) -> Chart:
    """Points balance and lifetime points; current and longest streak; freezes equipped."""
    d = data or {}

    def words(key: str, how: str) -> str:
        return plural(how, d.get(key, 0)) if how == "days" else number(d.get(key, 0))

    items = [(key, label, d.get(key), words(key, how)) for key, label, how in SUMMARY]
    return facts("summary", tr("Points and streak"), items, definition=define("streak_days"))


@REPORT.figure("badges", q.badges)
def badge_table(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """The learner's badges, newest first."""
    columns = (Column("badge", tr("Badge")), Column("tier", tr("Tier"), kind="label"),
               Column("awarded_on", tr("Awarded")),
               Column("awarded_via", tr("How"), kind="label"))  # fmt: skip
    return table(
        "badges",
        tr("Badges ({n})").format(n=number(len(rows))),
        columns,
        rows,
        empty_message=EMPTY["no_badges"],
    )


def calendar_rows(days: list[Row], end: date) -> list[Row]:
    """Return (day, "active" | "freeze" | "none") for each day of the year to end; [] if none is kept."""
    if not days:
        return []
    kept, first = dict(days), end - timedelta(days=q.CALENDAR_DAYS - 1)
    return [
        (first + timedelta(days=k), kept.get(first + timedelta(days=k), "none"))
        for k in range(q.CALENDAR_DAYS)
    ]


def _calendar_trace(rows: list[Row]) -> dict:
    monday = rows[0][0] - timedelta(days=rows[0][0].weekday()) if rows else None
    weeks = (rows[-1][0] - monday).days // 7 + 1 if rows else 0
    names, states = weekday_names(), {key: tr(text) for key, text in STATE_TEXT.items()}
    z, text = [[None] * weeks for _ in WEEKDAYS], [[""] * weeks for _ in WEEKDAYS]
    for day, state in rows:
        week, weekday = (day - monday).days // 7, day.weekday()
        z[weekday][week] = STATE_VALUE[state]
        text[weekday][week] = f"{day_text(day)} ({names[weekday]}): {states[state]}"
    x = [(monday + timedelta(weeks=w)).isoformat() for w in range(weeks)] if rows else []
    return heatmap(x, list(names), z, tr("Streak days"), "%{text}", text=text, colorscale=CALENDAR_COLOURS,
                   zmin=0, zmax=2, showscale=False, xgap=2, ygap=2)  # fmt: skip


@REPORT.figure("calendar", q.streak_days)
def calendar_chart(days: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """A contribution-graph heatmap of the year to the range's end: a column per week, a row per weekday."""
    rows = calendar_rows(days, flt.end)
    return Chart(
        id="calendar", title=tr("Streak calendar (a year of days)"), header=["day", "state"], rows=rows,
        traces=[_calendar_trace(rows)], x_title=tr("Week starting"), y_title=tr("Weekday"),
        height=220, width="full",
        layout={"yaxis": {"autorange": "reversed"}}, definition=define("streak_days"),
        empty_message=EMPTY["no_streak_days"],
    )  # fmt: skip


@REPORT.figure("paths", paths.learning_paths)
def paths_table(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """The learning paths the learner is enrolled in: status, progress, the module they are on."""
    shown = [
        (name, subject, status.value.replace("_", " "), done, total, paths.progress(done, total),
         current or "-", enrolled.date(), last.date() if last else None, done_at.date() if done_at else None)
        for name, subject, status, done, total, current, enrolled, last, done_at in rows
    ]  # fmt: skip
    columns = (Column("path", tr("Path")), Column("subject", tr("Subject")),
               Column("status", tr("Status"), kind="label"),
               Column("modules_completed", tr("Modules done"), kind="number"),
               Column("modules", tr("Modules"), kind="number"),
               Column("progress_pct", tr("Progress (%)"), kind="percent"),
               Column("current_module", tr("Now on")), Column("enrolled_on", tr("Enrolled")),
               Column("last_active_on", tr("Last active")),
               Column("completed_on", tr("Completed")))  # fmt: skip
    return table("paths", tr("Learning paths"), columns, shown, width="full",
                 definition=define("path_progress"),
                 empty_message=EMPTY["no_paths"])  # fmt: skip


@REPORT.figure("focus", q.focus_trend)
def focus_chart(days: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Average focus score per local day (line, with the sessions it averages) and minutes (bars)."""
    rows = [(d, _round(ratio(s, n), 1), n, sessions, round(m, 1)) for d, s, n, sessions, m in days]
    traces = [
        line(rows, 0, 1, tr("Average focus"), tr("%{x}<br>average focus %{y} over %{customdata:,} sessions"),
             customdata=[r[2] for r in rows], connectgaps=True),
        bar(rows, 0, 4, tr("Minutes"), tr("%{x}<br>%{y:,} minutes learnt"), yaxis="y2", opacity=0.35),
    ]  # fmt: skip
    minutes_axis = {"title": {"text": tr("Minutes")}, "overlaying": "y", "side": "right",
                    "rangemode": "tozero",
                    "tickformat": ".0f", "automargin": True}  # fmt: skip
    return Chart(
        id="focus", title=tr("Focus trend"), rows=rows, traces=traces,
        header=["day", "avg_focus_score", "sessions_with_focus", "sessions", "minutes"],
        x_title=tr("Day (learner's local day)"), y_title=tr("Focus score (0-100)"),
        definition=define("focus_score"),
        layout={"yaxis": {"range": [0, 100]}, "yaxis2": minutes_axis},
        empty_message=EMPTY["no_sessions"],
    )  # fmt: skip


@REPORT.figure("mastery", q.masteries)
def mastery_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Mastery of each skill, 0 to 1, as horizontal bars (weakest first)."""
    rows = [(skill, subject, round(m, 4), n) for skill, subject, m, n in rows]
    trace = bar(rows, 2, 0, tr("Mastery"), tr("%{y}<br>mastery %{x:.2f} after %{customdata:,} attempts"),
                orientation="h", customdata=[r[3] for r in rows])  # fmt: skip
    return Chart(
        id="mastery", title=tr("Skill mastery"), header=["skill", "subject", "mastery", "attempts"],
        rows=rows, traces=[trace], x_title=tr("Mastery (0 = none, 1 = full)"), y_title=tr("Skill"),
        definition=define("mastery"),
        layout={"xaxis": {"range": [0, 1]}}, height=max(220, 60 + 28 * len(rows)),
        empty_message=EMPTY["no_mastery"],
    )  # fmt: skip


@REPORT.figure("quizzes", q.quiz_history)
def quiz_chart(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """Each submitted quiz attempt's score (percent), at the learner's local time of submission."""
    rows = [(at, skill, round(pct, 1), ok, n) for at, skill, pct, ok, n in rows]
    trace = line(
        rows, 0, 2, tr("Quiz score"), tr("%{x}<br>%{customdata}: %{y}%"), customdata=[r[1] for r in rows]
    )
    return Chart(
        id="quizzes", title=tr("Quiz history"), rows=rows, traces=[trace],
        header=["submitted_at_local", "skill", "percent", "correct", "questions"],
        x_title=tr("Submitted (learner's local time)"), y_title=tr("Score (%)"),
        definition=define("quiz_score"),
        layout={"yaxis": {"range": [0, 105]}}, empty_message=EMPTY["no_quizzes"],
    )  # fmt: skip


@REPORT.figure("quiz-list", q.quiz_history)
def quiz_table(rows: list[Row], flt: ReportFilter, ctx: Context) -> Chart:
    """The latest 20 quiz attempts submitted in the range, newest first."""
    latest = [
        (f"{at:%Y-%m-%d %H:%M}", skill, round(pct, 1), f"{ok}/{n}")
        for at, skill, pct, ok, n in rows[::-1][:20]
    ]
    columns = (Column("submitted_at_local", tr("Submitted (local)")), Column("skill", tr("Skill")),
               Column("percent", tr("Score (%)"), kind="number", digits=1),
               Column("correct", tr("Correct")))  # fmt: skip
    return table("quiz-list", tr("Latest quizzes submitted in the range"), columns, latest,
                 empty_message=EMPTY["no_quizzes"])  # fmt: skip


@REPORT.figure("profile", q.engagement_profile)
def profile_facts(p: dict | None, flt: ReportFilter, ctx: Context) -> Chart:
    """The engagement profile the engine derives: recent activity, habits and churn risk."""
    if not p:
        return facts("profile", tr("Engagement profile"), [], empty_message=EMPTY["no_profile"])
    hour, minutes = p["preferred_hour"], number(p["avg_session_minutes"], 1)
    days, sessions = p["active_days_30"], p["sessions_30"]
    return facts("profile", tr("Engagement profile"), [
        ("active_days_30", tr("Active days in the last 30"), days, plural("days", days)),
        ("sessions_30", tr("Sessions in the last 30 days"), sessions, plural("sessions", sessions)),
        ("avg_session_minutes", tr("Average session"), p["avg_session_minutes"],
         phrase("minutes", n=minutes)),
        ("preferred_hour", tr("Preferred hour (local)"), hour, "-" if hour is None else f"{hour:02d}:00"),
        ("churn_risk", tr("Churn risk"), p["churn_risk"], f"{100 * p['churn_risk']:.0f}%"),
    ])  # fmt: skip


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)
