"""Roster files: a CSV of learners and their groups, checked in a dry run, then applied whole.

Each row is a learner, and optionally the group they belong to (created if new) with the
day they joined and, if so, left. Rows become the roster items of the ingest API and go
through the same service, so a file and an API batch follow one set of rules. A dry run
writes in a transaction that is rolled back and reports, row by row, what would be
created, changed, left unchanged or refused (with the reason); applying the same file
commits it in one transaction. Importing a file again changes nothing. Cells are stored
exactly as given (a name starting with "=" is text; exports neutralise such cells).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from webapp.i18n import N_
from webapp.models.core.mixins import utcnow
from webapp.services.ingest import ROSTER_ITEM, write_roster
from webapp.services.ingest.items import reason_of

MAX_ROWS = 50_000
# (column, required, what it holds): the page documents the file from this list (translated there).
COLUMNS = (
    (
        "learner_id",
        True,
        N_("The platform's id of the learner (letters, digits and - _ . : @ /, no spaces)."),
    ),
    ("name", True, N_("The learner's full name.")),
    ("email", False, N_("The learner's email, if any; one email belongs to one account.")),
    ("timezone", False, N_("An IANA time zone, e.g. Asia/Kolkata (default UTC).")),
    ("locale", False, N_("Language of the learner's app, e.g. en, hi (default en).")),
    ("grade", False, N_("School grade, 1 to 12.")),
    ("school", False, N_("The learner's school.")),
    ("active", False, N_("yes or no (default yes).")),
    ("group_id", False, N_("The platform's id of the learner's study group (leave empty for none).")),
    ("group_name", False, N_("The group's name (required with group_id; names are unique).")),
    ("joined_on", False, N_("The day the learner joined the group, YYYY-MM-DD (required with group_id).")),
    ("left_on", False, N_("The day the learner left the group, YYYY-MM-DD, if they did.")),
)
NAMES = tuple(name for name, _, _ in COLUMNS)
SAMPLE = [
    ("L-1001", "Asha Iyer", "asha.iyer@example.org", "Asia/Kolkata", "en", "7", "Govt. School No. 1", "yes",
     "G-7A", "Class 7A Maths", "2026-06-01", ""),
    ("L-1002", "Ravi Kumar", "", "Asia/Kolkata", "hi", "7", "Govt. School No. 1", "yes",
     "G-7A", "Class 7A Maths", "2026-06-01", "2026-09-30"),
]  # fmt: skip
# Item field -> the column it came from (for reasons a person can find in the file).
ITEM_FIELDS = {
    "learner": {"id": "learner_id", "name": "name", "email": "email", "timezone": "timezone",
                "locale": "locale", "grade": "grade", "school": "school", "active": "active"},
    "study_group": {"id": "group_id", "name": "group_name"},
    "membership": {"id": "learner_id", "learner": "learner_id", "group": "group_id", "joined_on": "joined_on",
                   "left_on": "left_on"},
}  # fmt: skip


class RosterFileError(ValueError):
    """The file cannot be read as a roster (one line says why)."""


@dataclass
class RowOutcome:
    """What a row does (or would do): create, change, unchanged, or refuse, with the reasons."""

    number: int
    learner_id: str
    action: str = "unchanged"
    reasons: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The outcome of every row, and the counts per action."""

    rows: list[RowOutcome]
    applied: bool

    def count(self, action: str) -> int:
        """How many rows have this action."""
        return sum(1 for row in self.rows if row.action == action)


def sample_csv() -> str:
    """Return a small example file with every column."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(NAMES)
    writer.writerows(SAMPLE)
    return out.getvalue()


def read_rows(data: bytes) -> list[dict[str, str]]:
    """Parse the file: UTF-8 CSV with a header of known columns; raise RosterFileError if it is not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError("the file is not UTF-8 text: save it as CSV UTF-8") from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    unknown = [h for h in header if h not in NAMES]
    missing = [name for name, required, _ in COLUMNS if required and name not in header]
    if unknown or missing:
        raise RosterFileError(
            f"unknown columns: {', '.join(unknown) or '-'}; missing: {', '.join(missing) or '-'}"
        )
    reader.fieldnames = header
    rows = []
    for row in reader:
        if len(rows) >= MAX_ROWS:
            raise RosterFileError(f"more than {MAX_ROWS:,} rows: split the file")
        if None in row:
            raise RosterFileError(f"row {reader.line_num} has more cells than the header")
        rows.append({k: (v or "").strip() for k, v in row.items()})
    if not rows:
        raise RosterFileError("the file has a header but no rows")
    return rows


def run_import(session: Session, data: bytes, apply: bool, now: datetime | None = None) -> ImportReport:
    """Check (apply=False: nothing is kept) or apply a roster file; return the row-by-row report.

    A row is applied whole or not at all: when the service refuses part of a row (its group's
    name is taken, say), the rows refused are set aside and the rest written again. The caller
    commits an applied import; a dry run is rolled back here.
    """
    rows = read_rows(data)
    outcomes = [RowOutcome(number=n + 2, learner_id=row["learner_id"]) for n, row in enumerate(rows)]
    plan = _Plan(outcomes)
    for n, row in enumerate(rows):
        plan.add_row(n, row)
    now = now or utcnow()
    results = _write(session, plan, outcomes, now)
    if any(outcome.reasons for outcome in outcomes if outcome.number - 2 not in plan.refused):
        session.rollback()  # write again without the rows refused: none is half applied
        plan.refused |= {o.number - 2 for o in outcomes if o.reasons}
        for outcome in outcomes:
            if outcome.number - 2 not in plan.refused:
                outcome.action = "unchanged"
        results = _write(session, plan, outcomes, now)
    if not apply:
        session.rollback()
    for outcome in outcomes:
        if outcome.reasons:
            outcome.action = "refuse"
    return ImportReport(outcomes, applied=apply and bool(results))


def _write(session: Session, plan: "_Plan", outcomes: list[RowOutcome], now: datetime) -> int:
    items = plan.items()
    batch = write_roster(session, items, None, now)
    for index, result in batch.results.items():
        for n in plan.rows_of[index]:
            if n not in plan.refused:
                _note(outcomes[n], plan.kinds[index], result)
    return len(items)


def _note(outcome: RowOutcome, kind: str, result: dict) -> None:
    if result["status"] == "rejected":
        for error in result["errors"]:
            parts = error["pointer"].split("/")
            column = ITEM_FIELDS[kind].get(parts[3], parts[3]) if len(parts) > 3 else kind.replace("_", " ")
            outcome.reasons.append(f"{column}: {error['reason']}")
    elif result["status"] == "accepted" and outcome.action != "create":
        outcome.action = "create" if result["detail"] == "created" else "change"


class _Plan:
    """The roster items of a file, once each, and the rows each one stands for."""

    def __init__(self, outcomes: list[RowOutcome]) -> None:
        self.outcomes = outcomes
        self.all: list = []
        self.kinds: dict[int, str] = {}
        self.rows_of: dict[int, list[int]] = {}
        self.seen: dict[tuple, tuple[int, dict, int]] = {}
        self.refused: set[int] = set()

    def add_row(self, n: int, row: dict[str, str]) -> None:
        """Add a row's items; a row with any bad cell is refused whole."""
        for kind, payload in _payloads(row):
            self._add(n, kind, payload)
        if self.outcomes[n].reasons:
            self.refused.add(n)

    def items(self) -> list:
        """The items (index, item) that a row still standing needs."""
        return [(i, item) for i, item in self.all if any(n not in self.refused for n in self.rows_of[i])]

    def _add(self, n: int, kind: str, payload: dict) -> None:
        key = (kind, payload["id"])
        if key in self.seen:
            first, same, index = self.seen[key]
            if payload != same:
                self.outcomes[n].reasons.append(
                    f"{kind.replace('_', ' ')} differs from row {self.outcomes[first].number}"
                )
            elif index >= 0:
                self.rows_of[index].append(n)
            return
        try:
            item = ROSTER_ITEM.validate_python(payload)
        except ValidationError as exc:
            fields = ITEM_FIELDS[kind]
            for error in exc.errors():
                column = fields.get(str(error["loc"][-1]), kind.replace("_", " ")) if error["loc"] else kind
                self.outcomes[n].reasons.append(f"{column}: {reason_of(error)}")
            self.seen[key] = (n, payload, -1)
            return
        index = len(self.all)
        self.all.append((index, item))
        self.kinds[index], self.rows_of[index] = kind, [n]
        self.seen[key] = (n, payload, index)


def _payloads(row: dict[str, str]) -> list[tuple[str, dict]]:
    """The learner, group and membership a row describes, as API items (empty cells left out)."""
    learner = {"type": "learner", "id": row["learner_id"], "name": row["name"]}
    for column in ("email", "timezone", "locale", "grade", "school"):
        if row.get(column):
            learner[column] = row[column]
    if row.get("active"):
        learner["active"] = row["active"].lower() in {"yes", "y", "true", "1"}
    found = [("learner", learner)]
    if row.get("group_id"):
        group = {"type": "study_group", "id": row["group_id"], "name": row.get("group_name", "")}
        membership = {
            "type": "membership", "id": f"{row['learner_id']}@{row['group_id']}"[:64],
            "learner": row["learner_id"], "group": row["group_id"], "joined_on": row.get("joined_on", ""),
        }  # fmt: skip
        if row.get("left_on"):
            membership["left_on"] = row["left_on"]
        found += [("study_group", group), ("membership", membership)]
    return found
