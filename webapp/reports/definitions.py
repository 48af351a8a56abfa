"""What every figure means, in one place: the one-line definitions shown beside the figures.

Pages, the README and the tests read these texts; a figure names the terms it uses
(`define("active", "stickiness")`). Each text is a whole sentence with named fields, never
assembled from pieces, so that it can be translated as it stands. The at-risk rules keep
their own words beside their code (`webapp.services.analytics.risk.RULES`).

The texts here are the English msgids (the README and the tests read them as they are);
reading one through its dictionary (`EMPTY["no_activity"]`), `define()`, `phrase()` or
`plural()` gives it in the request's language (webapp/i18n.py). Fields keep their names in
every language; numbers in them are formatted for the locale.
"""

from datetime import date

from webapp.i18n import N_, Nn_, Texts, day_text, flexible, number, tr, trn

DEFINITIONS: Texts = Texts(
    {
        "active": N_(
            "Active learner: started a learning session or submitted a quiz that day, on the learner's "
            "own local calendar."
        ),
        "actives": N_(
            "Daily active: learners active that day; weekly and monthly active: learners active on at "
            "least one of the 7 or 30 days up to that day."
        ),
        "average_active": N_(
            "Average daily active: daily active learners summed over the days, divided by the days."
        ),
        "stickiness": N_(
            "Stickiness: daily active learners as a share of monthly active learners (DAU / MAU)."
        ),
        "sessions": N_(
            "Sessions: learning sessions started that day; minutes: their length, counted on the day "
            "they started."
        ),
        "heatmap": N_(
            "Sessions by the local hour and weekday they started, in each learner's own time zone."
        ),
        "retention": N_(
            "Retention: of the learners first active in a week (the cohort), the share active in each "
            "later week; a cohort is followed for 12 weeks, weeks run Monday to Sunday."
        ),
        "retention_marks": N_(
            "A framed cell is a week not over yet; percentages of cohorts under 5 learners are greyed."
        ),
        "focus_score": N_(
            "Focus score: 0 to 100 per session, sent by the learning app: the share of the session spent "
            "focused, less a penalty for each distraction; an average weighs every scored session equally."
        ),
        "attention_span": N_(
            "Attention span: a stretch of focused work inside a session, ended by an interruption; "
            "its length counts the focused minutes."
        ),
        "interruptions": N_(
            "Interruptions per session: interruptions that ended attention spans, per session started."
        ),
        "quiz_score": N_(
            "Quiz score: the percentage of the maximum score, of attempts counted on the local day they "
            "were submitted; an attempt never submitted counts nowhere."
        ),
        "mastery": N_(
            "Mastery: 0 to 1 per skill, a moving average of submitted quiz scores in which harder and "
            "more recent quizzes count most."
        ),
        "streak_days": N_(
            "A streak day: a completed session or a submitted quiz that local day; a freeze day kept the "
            "streak without one (it does not lengthen it)."
        ),
        "at_risk": N_(
            "At risk: a learner for whom at least one of the documented rules fired; the rules are "
            "evaluated for each day once it is over for every learner."
        ),
        "points": N_(
            "Net points: points earned minus points spent, per ledger reason, on learners' local days."
        ),
        "board_period": N_(
            "Board periods follow the UTC calendar (weeks from Monday 00:00 UTC, months from the 1st), "
            "unlike the other reports, which use each learner's local days."
        ),
        "movement": N_("Movement: places gained or lost against the learner's rank in the previous period."),
        "path_progress": N_(
            "Progress: modules completed out of the modules in the path, as the learner's app last "
            "reported them."
        ),
        "partial": N_(
            "A dotted end of a line is a day not over yet for every learner: its figures are so far."
        ),
    }
)

# Phrases of the pages with named fields (plural forms as pairs: one, many).
PHRASES: dict[str, str | tuple[str, str]] = {
    "days": Nn_("{n} day", "{n} days"),
    "sessions": Nn_("{n} session", "{n} sessions"),
    "learners": Nn_("{n} learner", "{n} learners"),
    "flags": Nn_("{n} flag", "{n} flags"),
    "minutes": N_("{n} min"),
    "up": N_("up {pct}% on the previous {days}"),
    "down": N_("down {pct}% on the previous {days}"),
    "up_points": N_("up {diff} points on the previous {days}"),
    "down_points": N_("down {diff} points on the previous {days}"),
    "same": N_("no change on the previous {days}"),
    "no_previous": N_("no figure for the previous {days}"),
    "actives_on": N_("on {day}: {daily} daily, {weekly} weekly, {monthly} monthly active"),
    "see_report": N_("Open {report} for this range"),
    "sample": N_("averaged over {sample}"),
    # The interval comes from the refresh job's schedule (webapp.jobs.schedule).
    "data_as_of": Nn_(
        "Figures are updated every minute; the last update was at {time} UTC.",
        "Figures are updated every {n} minutes; the last update was at {time} UTC.",
    ),
    "no_refresh": Nn_(
        "No figures yet: they are updated every minute, and the first update has not run yet.",
        "No figures yet: they are updated every {n} minutes, and the first update has not run yet.",
    ),
    "as_of_day": N_("as of {day}"),
    "learner_with_groups": N_("{name} ({groups})"),
    "learner_with_id": N_("{name} (#{id})"),
    "cohort_label": N_("{week} ({size})"),
    "retained_of": N_("{kept} of {size}"),
    "retained_so_far": N_("{kept} of {size}, week not over"),
}

# What a page says when a figure has nothing to show (never a command: teachers read these).
EMPTY: Texts = Texts(
    {
        "no_activity": N_("No activity yet in this range."),
        "no_groups": N_("You do not teach any study group yet, so there is nothing to show."),
        "no_flags": N_("No learner is flagged as of this day by any of the rules."),
        "not_evaluated": N_("The at-risk rules have not been evaluated for a day of this range yet."),
        "none_in_range": N_("No learner was flagged on any evaluated day of this range."),
        "nobody_active": N_("No learner was active that day."),
        "day_to_come": N_("That day has not come yet, so nobody has been active on it."),
        "no_focus": N_("No focus scores were recorded in this range."),
        "no_spans": N_("No attention spans were recorded in this range."),
        "no_cohort": N_("No retention cohort starts in this range: widen it to earlier weeks."),
        "no_boards": N_(
            "There is no active leaderboard you can open yet (operators create them in the admin)."
        ),
        "no_entries": N_("Nobody shown here earned points on this board in this period yet."),
        "no_snapshots": N_("None of this period's top 10 has a snapshot in the chosen date range."),
        "no_points": N_("No points were earned or spent in this range."),
        "learner_not_evaluated": N_(
            "The at-risk rules have not been evaluated for a day up to the end of this range yet."
        ),
        "learner_not_flagged": N_("Not at risk as of {day}: none of the documented rules fired."),
        "no_badges": N_("No badges yet."),
        "no_streak_days": N_("No streak day or used freeze in the year up to the end of the range."),
        "no_sessions": N_("No learning sessions in this date range."),
        "no_mastery": N_("No skill mastery yet: the learner has not submitted a quiz on a skill."),
        "no_quizzes": N_("No quiz submitted in this date range."),
        "no_profile": N_("No engagement profile yet: it is computed with the learner's streaks and points."),
        "no_paths": N_("Not enrolled in any learning path (the learner's app reports enrolments)."),
    }
)

# What the filter bar says about the range asked for (a replaced range says what it shows instead).
RANGE: Texts = Texts(
    {
        "bad_dates": N_("Dates must be given as YYYY-MM-DD, both from and to; showing the last {days} days."),
        "out_of_window": N_("Dates must lie between {first} and {last}; showing the last {days} days."),
        "reversed": N_("The start date is after the end date; showing the last {days} days."),
        "too_long": N_("A range may span at most {max} days; showing the last {days} days."),
        "bad_preset": N_("The range must be 7, 30 or 90 days; showing the last {days} days."),
        "bad_group": N_("The group in the address is not a group number; showing the default group."),
        "future": N_(
            "The range {start} to {end} has not begun yet, so it has no figures; showing the last "
            "{days} days."
        ),
        "ends_in_future": N_(
            "The range asked for ends on {end}, which has not come yet; showing {start} to {latest}."
        ),
        "before_data": N_(
            "This range ends before {day}, the first day with any activity here, so it has no figures."
        ),
    }
)

# Saved views: what the pages say after each action.
SAVED: Texts = Texts(
    {
        "refused": N_("That report cannot be saved."),
        "no_name": N_("Give the view a name to save it."),
        "no_new_name": N_("Give the view a name."),
        "saved": N_("Saved the view \u201c{name}\u201d."),
        "renamed": N_("Renamed the view to \u201c{name}\u201d."),
        "name_taken": N_("You already have a view named \u201c{name}\u201d."),
        "deleted": N_("Deleted the view \u201c{name}\u201d."),
        "shared": N_("Anyone who may see this report can now open \u201c{name}\u201d with its link."),
        "unshared": N_("The link to \u201c{name}\u201d no longer opens it."),
        "opened": N_("You opened \u201c{name}\u201d, a view shared by {owner}."),
    }
)


def define(*terms: str) -> tuple[str, ...]:
    """Return the definitions of these terms, one line each, in the request's language."""
    return tuple(DEFINITIONS[term] for term in terms)


def plural(key: str, n: int, **fields: object) -> str:
    """Return a counted phrase ("1 day", "2 days"), the number grouped for the locale."""
    one, many = PHRASES[key]
    return trn(one, many, n).format(n=number(n), **fields)


def phrase(key: str, **fields: object) -> str:
    """Return a phrase in the request's language with its fields filled in (numbers formatted)."""
    text = PHRASES[key]
    assert isinstance(text, str), key  # noqa: S101 - a plural phrase goes through plural()
    shown = {
        k: flexible(v) if isinstance(v, int | float) and not isinstance(v, bool) else v
        for k, v in fields.items()
    }
    return tr(text).format(**shown)


def as_of(day: date | None) -> str:
    """Return "as of <day>" (empty without a day)."""
    return phrase("as_of_day", day=day_text(day)) if day else ""


# A CSV's column names in words, for `?lang=<language>` (without it the header is these keys).
CSV_HEADERS: dict[str, str] = {
    "as_of": N_("as of"),
    "attempts": N_("attempts"),
    "avg_focus_score": N_("average focus score"),
    "avg_span_minutes": N_("average span (minutes)"),
    "awarded_on": N_("awarded on"),
    "awarded_via": N_("awarded how"),
    "badge": N_("badge"),
    "badges": N_("badges"),
    "change": N_("change"),
    "cohort_size": N_("cohort size"),
    "cohort_week": N_("cohort week"),
    "completed_on": N_("completed on"),
    "content_type": N_("content type"),
    "correct": N_("correct"),
    "current_module": N_("current module"),
    "daily_active": N_("daily active"),
    "day": N_("day"),
    "detail": N_("detail"),
    "enrolled_on": N_("enrolled on"),
    "figure": N_("figure"),
    "focus_band": N_("focus score band"),
    "hour": N_("hour"),
    "interruptions": N_("interruptions"),
    "interruptions_per_session": N_("interruptions per session"),
    "last_active_on": N_("last active on"),
    "learner": N_("learner"),
    "learner_id": N_("learner id"),
    "learners": N_("learners"),
    "learners_at_risk": N_("learners at risk"),
    "mastery": N_("mastery"),
    "minutes": N_("minutes"),
    "modules": N_("modules"),
    "modules_completed": N_("modules completed"),
    "monthly_active": N_("monthly active"),
    "movement": N_("movement"),
    "net_points": N_("net points"),
    "path": N_("path"),
    "percent": N_("percent"),
    "period_start": N_("period start"),
    "points": N_("points"),
    "previous_rank": N_("previous rank"),
    "previous_value": N_("previous value"),
    "progress_pct": N_("progress (%)"),
    "questions": N_("questions"),
    "quizzes_submitted": N_("quizzes submitted"),
    "rank": N_("rank"),
    "reason": N_("reason"),
    "retained_learners": N_("retained learners"),
    "retained_pct": N_("retained (%)"),
    "rule": N_("rule"),
    "rule_text": N_("rule in words"),
    "rule_title": N_("rule title"),
    "sample": N_("sample"),
    "sessions": N_("sessions"),
    "sessions_with_focus": N_("sessions with a focus score"),
    "skill": N_("skill"),
    "span_band": N_("span length"),
    "spans": N_("spans"),
    "state": N_("state"),
    "status": N_("status"),
    "stickiness_pct": N_("stickiness (%)"),
    "subject": N_("subject"),
    "submitted_at_local": N_("submitted (local time)"),
    "tier": N_("tier"),
    "title": N_("title"),
    "transactions": N_("transactions"),
    "value": N_("value"),
    "weekday": N_("weekday"),
    "weekly_active": N_("weekly active"),
    "weeks_later": N_("weeks later"),
}


def csv_header(keys: list[str] | tuple[str, ...]) -> list[str]:
    """A CSV's column names in the request's language (a key without words stays a key)."""
    return [tr(CSV_HEADERS[key]) if key in CSV_HEADERS else key for key in keys]
