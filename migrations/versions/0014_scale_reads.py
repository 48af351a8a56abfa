"""Reads at district scale: attention_spans(local_day), users(role, timezone), rule counts.

- attention_spans(local_day): the refresh reads a chunk's spans by their local day. The table
  had no index on time alone (only (user_id, started_at)), so every chunk of a refresh scanned
  all of it: at 3.3 M spans, 0.14 s of a one-day refresh's 1.3 s, and one full scan per 31 days
  of a full refresh.
- users(role, timezone): every page works out the last complete day from the learners' time
  zones; a walk of this index reads one entry per zone (a DISTINCT over 20,000 learners took
  7-8 ms of every page).
- risk_evaluations.rule_learners: the district's learners per rule over each report preset
  (7, 30, 90 days) ending on the newest evaluated day, written by the refresh; the at-risk page
  counted them from every flag of the range (220 ms at 20,000 learners). Empty until the next
  refresh, which fills it (the page counts as before meanwhile).

Revision ID: 0014_scale_reads
Revises: 0013_raw_partitions
Create Date: 2026-12-01 22:15:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = "0014_scale_reads"
down_revision = "0013_raw_partitions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_attention_spans_local_day", "attention_spans", ["local_day"])
    op.create_index("ix_users_role_timezone", "users", ["role", "timezone"])
    # A nullable column, added and dropped in place on both backends.
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.add_column("risk_evaluations", sa.Column("rule_learners", json, nullable=True))


def downgrade():
    if op.get_bind().dialect.name == "sqlite":  # SQLite 3.35+, in place (see 0012_staff_locale)
        op.execute("ALTER TABLE risk_evaluations DROP COLUMN rule_learners")
    else:
        op.drop_column("risk_evaluations", "rule_learners")
    op.drop_index("ix_users_role_timezone", table_name="users")
    op.drop_index("ix_attention_spans_local_day", table_name="attention_spans")
