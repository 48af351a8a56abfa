"""Indexes for lists at district scale: admin sorts, the at-risk table, learner names.

- session_events(event_type, occurred_at): the admin list sorted by event type.
- leaderboard_entries(period_start): the admin list's default sort (newest period first).
- learner_risk_flags(as_of, rule, user_id): a day's flags by rule and learners per rule over
  a range, read from the index.
- users(lower(display_name), id): the at-risk table in name order, its first page by an index walk.

Revision ID: 0011_scale_indexes
Revises: 0010_email_unique_ci
Create Date: 2026-12-01 19:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0011_scale_indexes'
down_revision = '0010_email_unique_ci'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_session_events_event_type_occurred", "session_events", ["event_type", "occurred_at"])
    op.create_index("ix_leaderboard_entries_period_start", "leaderboard_entries", ["period_start"])
    op.create_index(
        "ix_learner_risk_flags_as_of_rule_user", "learner_risk_flags", ["as_of", "rule", "user_id"]
    )
    op.create_index("ix_users_display_name_lower", "users", [sa.text("lower(display_name)"), "id"])


def downgrade():
    op.drop_index("ix_users_display_name_lower", table_name="users")
    op.drop_index("ix_learner_risk_flags_as_of_rule_user", table_name="learner_risk_flags")
    op.drop_index("ix_leaderboard_entries_period_start", table_name="leaderboard_entries")
    op.drop_index("ix_session_events_event_type_occurred", table_name="session_events")
