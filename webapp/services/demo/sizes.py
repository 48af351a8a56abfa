"""How much demo data each size makes."""

from dataclasses import dataclass


@dataclass(frozen=True)
class SizeSpec:
    """The knobs of one demo size."""

    name: str
    learners: int
    days: int
    group_size: int
    # Learners generated (and flushed) per chunk; a commit follows each chunk.
    chunk: int


SIZES: dict[str, SizeSpec] = {
    # Hidden: for the test suite only.
    "tiny": SizeSpec("tiny", learners=20, days=14, group_size=8, chunk=50),
    "small": SizeSpec("small", learners=200, days=90, group_size=30, chunk=200),
    "medium": SizeSpec("medium", learners=2_000, days=90, group_size=35, chunk=500),
    "large": SizeSpec("large", learners=20_000, days=90, group_size=40, chunk=1_000),
}

PUBLIC_SIZES = ("small", "medium", "large")
