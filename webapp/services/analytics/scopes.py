"""Scope expansion: every row counts for the platform and for each study group of its learner.

A learner in two groups counts in both groups, once in the platform scope. A membership
that ended (`left_on`) counts for its group on local days before that day only.
"""

# ruff: noqa: S608 - SQL is composed from constants and dialect fragments; values are bound.

# Members only: a teacher's own sessions (if any) never count in their group.
MEMBERS = "SELECT user_id, group_id, left_on FROM group_members WHERE role = 'member'"


def scoped(source: str, columns: str, day: str = "x.day") -> str:
    """Return SQL yielding `scope, group_id, <columns>` for each row of source (aliased x).

    source is a FROM item with a `user_id` column; columns are expressions over x; day is the
    local day a row belongs to (for a membership that ended).
    """
    return (
        f"SELECT 'all' AS scope, CAST(NULL AS INTEGER) AS group_id, {columns} FROM {source} x "
        "UNION ALL "
        f"SELECT 'group:' || CAST(gm.group_id AS VARCHAR(12)) AS scope, gm.group_id AS group_id, {columns} "
        f"FROM {source} x JOIN ({MEMBERS}) gm ON gm.user_id = x.user_id"
        f" AND (gm.left_on IS NULL OR {day} < gm.left_on)"
    )
