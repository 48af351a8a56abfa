"""Believable demo data: raw activity generated in bulk, gamification derived by the rules engine."""

from webapp.services.demo.database import delete_all_rows, existing_emails, learner_count
from webapp.services.demo.people import STAFF
from webapp.services.demo.seed import SeedReport, derive_state, seed_demo
from webapp.services.demo.sizes import PUBLIC_SIZES, SIZES

__all__ = [
    "PUBLIC_SIZES",
    "SIZES",
    "STAFF",
    "SeedReport",
    "delete_all_rows",
    "derive_state",
    "existing_emails",
    "learner_count",
    "seed_demo",
]
