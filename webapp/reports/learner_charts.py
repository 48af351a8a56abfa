"""Chart specs of one learner's page, built from the rows of `learner_queries` (pure functions)."""

from datetime import date, timedelta

from webapp.reports.charts import Chart, bar, heatmap, line
from webapp.reports.learner_queries import CALENDAR_DAYS

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
STATE_VALUE = {"none": 0, "freeze": 1, "active": 2}
STATE_TEXT = {"none": "no streak activity", "freeze": "freeze used (streak kept)", "active": "active"}
# Three discrete colours over z = 0, 1, 2: grey, ice blue, green (as contribution graphs do).
CALENDAR_COLOURS = [
    [0.0, "#ebedf0"], [0.33, "#ebedf0"], [0.34, "#9ecae1"],
    [0.66, "#9ecae1"], [0.67, "#2ca02c"], [1.0, "#2ca02c"],
]  # fmt: skip


def calendar_rows(days: dict[date, str], end: date, length: int = CALENDAR_DAYS) -> list[tuple[date, str]]:
    """Return (day, "active" | "freeze" | "none") for each day of the year to end; [] if none is active."""
    if not days:
        return []
    first = end - timedelta(days=length - 1)
    return [(first + timedelta(days=k), days.get(first + timedelta(days=k), "none")) for k in range(length)]


def calendar_chart(rows: list[tuple[date, str]]) -> Chart:
    """A contribution-graph heatmap: one column per week (from Monday), one row per weekday."""
    x: list[str] = []
    z: list[list] = [[] for _ in WEEKDAYS]
    text: list[list] = [[] for _ in WEEKDAYS]
    if rows:
        monday = rows[0][0] - timedelta(days=rows[0][0].weekday())
        weeks = (rows[-1][0] - monday).days // 7 + 1
        x = [(monday + timedelta(weeks=w)).isoformat() for w in range(weeks)]
        z = [[None] * weeks for _ in WEEKDAYS]
        text = [[""] * weeks for _ in WEEKDAYS]
        for day, state in rows:
            week, weekday = (day - monday).days // 7, day.weekday()
            z[weekday][week] = STATE_VALUE[state]
            text[weekday][week] = f"{day.isoformat()} ({WEEKDAYS[weekday]}): {STATE_TEXT[state]}"
    trace = heatmap(
        x, list(WEEKDAYS), z, "Streak days", "%{text}", text=text, colorscale=CALENDAR_COLOURS,
        zmin=0, zmax=2, showscale=False, xgap=2, ygap=2,
    )  # fmt: skip
    return Chart(
        id="calendar", title="Streak calendar (a year of days)", header=["day", "state"], rows=rows,
        traces=[trace], x_title="Week starting", y_title="Weekday", height=220,
        layout={"yaxis": {"autorange": "reversed"}},
        empty_message="No streak day or used freeze in the year up to the end of the range.",
    )  # fmt: skip


def mastery_chart(masteries: list[dict]) -> Chart:
    """Mastery of each skill, 0 to 1, as horizontal bars (weakest first)."""
    rows = [(m["skill"], m["subject"], m["mastery"], m["attempts"]) for m in masteries]
    trace = bar(rows, 2, 0, "Mastery", "%{y}<br>mastery %{x:.2f}", orientation="h")
    return Chart(
        id="mastery", title="Skill mastery", header=["skill", "subject", "mastery", "attempts"], rows=rows,
        traces=[trace], x_title="Mastery (0 = none, 1 = full)", y_title="Skill",
        layout={"xaxis": {"range": [0, 1]}}, height=max(220, 60 + 28 * len(rows)),
        empty_message="No skill mastery yet: the learner has not practised any skill.",
    )  # fmt: skip


def quiz_chart(quizzes: list[dict]) -> Chart:
    """Each quiz attempt's score (percent) over time, in the learner's local time."""
    rows = [(q["started_at"], q["skill"], q["percent"], q["correct"], q["questions"]) for q in quizzes]
    trace = line(rows, 0, 2, "Quiz score", "%{x}<br>%{customdata}: %{y}%", customdata=[r[1] for r in rows])
    return Chart(
        id="quizzes", title="Quiz history", rows=rows,
        header=["started_at_local", "skill", "percent", "correct", "questions"], traces=[trace],
        x_title="Started (learner's local time)", y_title="Score (%)",
        layout={"yaxis": {"range": [0, 105]}},
        empty_message="No quiz attempts in this date range.",
    )  # fmt: skip


def focus_chart(days: list[dict]) -> Chart:
    """Average focus score per local day (line) with learning minutes (bars, second axis)."""
    rows = [(d["day"], d["avg_focus"], d["sessions"], d["minutes"]) for d in days]
    traces = [
        line(rows, 0, 1, "Average focus", "%{x}<br>average focus %{y}", connectgaps=True),
        bar(rows, 0, 3, "Minutes", "%{x}<br>%{y} minutes learnt", yaxis="y2", opacity=0.35),
    ]
    return Chart(
        id="focus", title="Focus trend", header=["day", "avg_focus_score", "sessions", "minutes"], rows=rows,
        traces=traces, x_title="Day (learner's local day)", y_title="Focus score (0-100)",
        layout={"yaxis": {"range": [0, 100]}, "yaxis2": {
            "title": {"text": "Minutes"}, "overlaying": "y", "side": "right", "rangemode": "tozero",
            "tickformat": ".0f", "automargin": True}},
        empty_message="No learning sessions in this date range (or the rollups are not refreshed yet).",
    )  # fmt: skip
