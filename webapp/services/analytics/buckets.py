"""Distribution buckets of the rollups: focus score (0-100) and attention-span length."""

# (label, lower bound inclusive); the last bucket is open-ended.
FOCUS_BUCKETS = (("0-20", 0), ("20-40", 20), ("40-60", 40), ("60-80", 60), ("80-100", 80))
SPAN_BUCKETS = (
    ("<1 min", 0),
    ("1-2 min", 60),
    ("2-5 min", 120),
    ("5-10 min", 300),
    ("10-20 min", 600),
    ("20+ min", 1200),
)


def bucket_case(column: str, buckets: tuple[tuple[str, float], ...]) -> str:
    """Return a SQL CASE giving the bucket label of column."""
    whens = " ".join(f"WHEN {column} >= {lower} THEN '{label}'" for label, lower in reversed(buckets[1:]))
    return f"CASE {whens} ELSE '{buckets[0][0]}' END"


def bucket_of(value: float, buckets: tuple[tuple[str, float], ...]) -> str:
    """Return the bucket label of a value (the Python twin of bucket_case, for tests and features)."""
    label = buckets[0][0]
    for name, lower in buckets:
        if value >= lower:
            label = name
    return label


def empty_buckets(buckets: tuple[tuple[str, float], ...]) -> dict[str, int]:
    """Return every label of a bucket set with a zero count, in order."""
    return {label: 0 for label, _ in buckets}
