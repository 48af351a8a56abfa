"""Background jobs: one row per run of a scheduled job."""

from webapp.models.jobs.runs import JobRun

__all__ = ["JobRun"]
