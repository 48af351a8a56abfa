"""What every figure means, in one place: the one-line definitions shown beside the figures.

Pages, the README and the tests read these texts; a figure names the terms it uses
(`define("active", "stickiness")`). Each text is a whole sentence with named fields, never
assembled from pieces, so that it can be translated as it stands. The at-risk rules keep
their own words beside their code (`webapp.services.analytics.risk.RULES`).
"""

from datetime import date

DEFINITIONS: dict[str, str] = {
    "active": (
        "Active learner: started a learning session or submitted a quiz that day, on the learner's "
        "own local calendar."
    ),
    "actives": (
        "Daily active: learners active that day; weekly and monthly active: learners active on at "
        "least one of the 7 or 30 days up to that day."
    ),
    "average_active": (
        "Average daily active: daily active learners summed over the days, divided by the days."
    ),
    "stickiness": "Stickiness: daily active learners as a share of monthly active learners (DAU / MAU).",
    "sessions": (
        "Sessions: learning sessions started that day; minutes: their length, counted on the day "
        "they started."
    ),
    "heatmap": "Sessions by the local hour and weekday they started, in each learner's own time zone.",
    "retention": (
        "Retention: of the learners first active in a week (the cohort), the share active in each "
        "later week; a cohort is followed for 12 weeks, weeks run Monday to Sunday."
    ),
    "retention_marks": (
        "A framed cell is a week not over yet; percentages of cohorts under 5 learners are greyed."
    ),
    "focus_score": (
        "Focus score: 0 to 100 per session, sent by the learning app: the share of the session spent "
        "focused, less a penalty for each distraction; an average weighs every scored session equally."
    ),
    "attention_span": (
        "Attention span: a stretch of focused work inside a session, ended by an interruption; "
        "its length counts the focused minutes."
    ),
    "interruptions": (
        "Interruptions per session: interruptions that ended attention spans, per session started."
    ),
    "quiz_score": (
        "Quiz score: the percentage of the maximum score, of attempts counted on the local day they "
        "were submitted; an attempt never submitted counts nowhere."
    ),
    "mastery": (
        "Mastery: 0 to 1 per skill, a moving average of submitted quiz scores in which harder and "
        "more recent quizzes count most."
    ),
    "streak_days": (
        "A streak day: a completed session or a submitted quiz that local day; a freeze day kept the "
        "streak without one (it does not lengthen it)."
    ),
    "at_risk": (
        "At risk: a learner for whom at least one of the documented rules fired; the rules are "
        "evaluated for each day once it is over for every learner."
    ),
    "points": "Net points: points earned minus points spent, per ledger reason, on learners' local days.",
    "board_period": (
        "Board periods follow the UTC calendar (weeks from Monday 00:00 UTC, months from the 1st), "
        "unlike the other reports, which use each learner's local days."
    ),
    "movement": "Movement: places gained or lost against the learner's rank in the previous period.",
    "path_progress": (
        "Progress: modules completed out of the modules in the path, as the learner's app last reported them."
    ),
    "partial": "A dotted end of a line is a day not over yet for every learner: its figures are so far.",
}

# Phrases of the pages with named fields (plural forms as pairs: one, many).
PHRASES: dict[str, str | tuple[str, str]] = {
    "days": ("{n} day", "{n} days"),
    "sessions": ("{n} session", "{n} sessions"),
    "learners": ("{n} learner", "{n} learners"),
    "flags": ("{n} flag", "{n} flags"),
    "minutes": "{n} min",
    "up": "up {pct}% on the previous {days}",
    "down": "down {pct}% on the previous {days}",
    "up_points": "up {diff} points on the previous {days}",
    "down_points": "down {diff} points on the previous {days}",
    "same": "no change on the previous {days}",
    "no_previous": "no figure for the previous {days}",
    "actives_on": "on {day}: {daily} daily, {weekly} weekly, {monthly} monthly active",
    "see_report": "Open {report} for this range",
    "sample": "averaged over {sample}",
    "data_as_of": "Data as of {time} UTC (the last refresh)",
    "no_refresh": "No data yet: the figures appear after the first refresh of the rollups.",
    "as_of_day": "as of {day}",
    "learner_with_groups": "{name} ({groups})",
    "learner_with_id": "{name} (#{id})",
    "cohort_label": "{week} ({size})",
    "retained_of": "{kept} of {size}",
    "retained_so_far": "{kept} of {size}, week not over",
}

# What a page says when a figure has nothing to show.
EMPTY: dict[str, str] = {
    "no_rollups": (
        "No figures for this range yet: the rollups are computed every few minutes after activity arrives."
    ),
    "no_groups": "You do not teach any study group yet, so there is nothing to show.",
    "no_flags": "No learner is flagged as of this day by any of the rules.",
    "not_evaluated": "The at-risk rules have not been evaluated for a day of this range yet.",
    "none_in_range": "No learner was flagged on any evaluated day of this range.",
}


def define(*terms: str) -> tuple[str, ...]:
    """Return the definitions of these terms, one line each."""
    return tuple(DEFINITIONS[term] for term in terms)


def plural(key: str, n: int) -> str:
    """Return a counted phrase ("1 day", "2 days"), the number with thousands separators."""
    one, many = PHRASES[key]
    return (one if n == 1 else many).format(n=f"{n:,}")


def phrase(key: str, **fields: object) -> str:
    """Return a phrase with its fields filled in."""
    text = PHRASES[key]
    assert isinstance(text, str), key  # noqa: S101 - a plural phrase goes through plural()
    return text.format(**fields)


def as_of(day: date | None) -> str:
    """Return "as of <day>" (empty without a day)."""
    return phrase("as_of_day", day=day.isoformat()) if day else ""
