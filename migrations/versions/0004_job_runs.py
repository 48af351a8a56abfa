"""Job runs: one row per run of a background job; a running row holds its job's lock.

Revision ID: 0004_job_runs
Revises: 0003_change_marks
Create Date: 2026-12-01 15:02:42.242931

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0004_job_runs'
down_revision = '0003_change_marks'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Enum('running', 'succeeded', 'failed', name='status', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('trigger', sa.Enum('schedule', 'manual', name='trigger', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=False),
    sa.Column('lock_key', sa.String(length=64), nullable=True),
    sa.Column('rows_touched', sa.Integer(), server_default='0', nullable=False),
    sa.Column('details', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('worker', sa.String(length=120), nullable=True),
    sa.Column('task_id', sa.String(length=64), nullable=True),
    sa.CheckConstraint("(status = 'running') = (finished_at IS NULL)", name=op.f('ck_job_runs_finished_iff_done')),
    sa.CheckConstraint("lock_key IS NULL OR status = 'running'", name=op.f('ck_job_runs_lock_only_while_running')),
    sa.CheckConstraint('finished_at IS NULL OR finished_at >= started_at', name=op.f('ck_job_runs_ends_after_start')),
    sa.CheckConstraint('rows_touched >= 0', name=op.f('ck_job_runs_rows_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs')),
    sa.UniqueConstraint('lock_key', name=op.f('uq_job_runs_lock_key'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index('ix_job_runs_job_started', ['job', 'started_at'], unique=False)
        batch_op.create_index('ix_job_runs_started_at', ['started_at'], unique=False)


def downgrade():
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_job_runs_started_at')
        batch_op.drop_index('ix_job_runs_job_started')

    op.drop_table('job_runs')
