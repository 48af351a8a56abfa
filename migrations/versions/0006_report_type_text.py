"""Saved views name their report in plain text; retention cohorts say the day they cover;
at-risk evaluations are recorded per day; quiz attempts are indexed by submission time.

- report_definitions.report_type: the checked enum becomes text (a report's key), so that adding
  a report page needs no migration; keys follow the page paths ("at_risk" -> "at-risk").
- retention_cohorts.as_of: the last day the figures cover (the unfinished week is marked on the
  page, and a refresh of a past range never rewrites newer cohorts with older figures).
- risk_evaluations: one row per day the at-risk rules were evaluated for.
- ix_quiz_attempts_submitted_at: quiz figures count submitted attempts on the day submitted.

Revision ID: 0006_report_type_text
Revises: 0005_notification_delivery
Create Date: 2026-12-01 15:04:26.309703

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_report_type_text'
down_revision = '0005_notification_delivery'
branch_labels = None
depends_on = None

OLD_TYPES = ('overview', 'engagement', 'attention', 'leaderboard', 'at_risk', 'learner')
RENAMED = (('at_risk', 'at-risk'), ('learner', 'learners'))


def _rename(pairs):
    table = sa.table('report_definitions', sa.column('report_type', sa.String))
    for old, new in pairs:
        op.execute(table.update().where(table.c.report_type == old).values(report_type=new))


def upgrade():
    op.create_table('risk_evaluations',
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('learners_flagged', sa.Integer(), server_default='0', nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('as_of', name=op.f('pk_risk_evaluations'))
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_submitted_at', ['submitted_at'], unique=False)

    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_report_definitions_report_type'), type_='check')
        batch_op.alter_column('report_type',
               existing_type=sa.VARCHAR(length=24),
               type_=sa.String(length=40),
               existing_nullable=False)
    _rename(RENAMED)

    with op.batch_alter_table('retention_cohorts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('as_of', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('retention_cohorts', schema=None) as batch_op:
        batch_op.drop_column('as_of')

    # Views of reports the enum never knew cannot be kept under its check.
    _rename((new, old) for old, new in RENAMED)
    table = sa.table('report_definitions', sa.column('report_type', sa.String))
    op.execute(table.delete().where(table.c.report_type.not_in(OLD_TYPES)))
    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.alter_column('report_type',
               existing_type=sa.String(length=40),
               type_=sa.VARCHAR(length=24),
               existing_nullable=False)
        batch_op.create_check_constraint(
            'report_type', sa.column('report_type').in_(OLD_TYPES)
        )

    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_submitted_at')

    op.drop_table('risk_evaluations')
