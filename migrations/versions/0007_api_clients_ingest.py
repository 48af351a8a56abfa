"""API clients, ingest receipts, learning-path enrolments; roster ids on learners and groups.

Also: a learner may have no email (staff still must), memberships get a leave day,
and the points ledger accepts points the apps award (reason `app_reward`).

Revision ID: 0007_api_clients_ingest
Revises: 0006_report_type_text
Create Date: 2026-12-01 15:05:54.237244

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0007_api_clients_ingest'
down_revision = '0006_report_type_text'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
REASONS = ('session_completed', 'quiz_passed', 'streak_milestone', 'badge_awarded', 'duel_won', 'duel_draw',
           'daily_goal', 'freeze_purchase', 'adjustment', 'reversal')


def _reasons_check(reasons):
    return "reason IN (" + ", ".join(f"'{r}'" for r in reasons) + ")"


def upgrade():
    op.create_table('api_clients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('scopes', JSON, nullable=False),
    sa.Column('allowed_networks', JSON, nullable=False),
    sa.Column('rate_limit_per_minute', sa.Integer(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('rotated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_used_ip', sa.String(length=64), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('rate_limit_per_minute BETWEEN 1 AND 1000000', name=op.f('ck_api_clients_rate_limit_range')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_api_clients_created_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_clients')),
    sa.UniqueConstraint('name', name=op.f('uq_api_clients_name')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_clients_token_hash'))
    )
    op.create_table('ingest_receipts',
    sa.Column('api_client_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['api_client_id'], ['api_clients.id'], name=op.f('fk_ingest_receipts_api_client_id_api_clients')),
    sa.PrimaryKeyConstraint('api_client_id', 'kind', 'external_id', name=op.f('pk_ingest_receipts'))
    )
    op.create_table('path_enrolments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('enrolled', 'in_progress', 'completed', 'dropped', name='status', native_enum=False, create_constraint=True, length=24), server_default='enrolled', nullable=False),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('modules_completed', sa.Integer(), server_default='0', nullable=False),
    sa.Column('current_module_id', sa.Integer(), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.CheckConstraint('completed_at IS NULL OR completed_at >= enrolled_at', name=op.f('ck_path_enrolments_completed_after_enrolled')),
    sa.CheckConstraint('modules_completed >= 0', name=op.f('ck_path_enrolments_modules_completed_non_negative')),
    sa.ForeignKeyConstraint(['current_module_id'], ['path_modules.id'], name=op.f('fk_path_enrolments_current_module_id_path_modules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_path_enrolments_path_id_learning_paths'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_path_enrolments_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_path_enrolments')),
    sa.UniqueConstraint('user_id', 'path_id', name=op.f('uq_path_enrolments_user_id_path_id'))
    )
    with op.batch_alter_table('path_enrolments', schema=None) as batch_op:
        batch_op.create_index('ix_path_enrolments_path_id', ['path_id'], unique=False)

    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('left_on', sa.Date(), nullable=True))

    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_study_groups_external_id'), ['external_id'])

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.alter_column('email', existing_type=sa.VARCHAR(length=254), nullable=True)
        batch_op.create_unique_constraint(batch_op.f('uq_users_external_id'), ['external_id'])
        batch_op.create_check_constraint('staff_have_email', "role = 'learner' OR email IS NOT NULL")

    with op.batch_alter_table('points_transactions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_points_transactions_reason'), type_='check')
        batch_op.create_check_constraint('reason', _reasons_check(REASONS + ('app_reward',)))


def downgrade():
    # Points the apps awarded stay in the ledger (balances are its sums), as adjustments.
    op.execute("UPDATE points_transactions SET reason = 'adjustment' WHERE reason = 'app_reward'")
    with op.batch_alter_table('points_transactions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_points_transactions_reason'), type_='check')
        batch_op.create_check_constraint('reason', _reasons_check(REASONS))

    # Learners sent without an email keep their rows, with an address that cannot be delivered.
    op.execute("UPDATE users SET email = 'learner-' || id || '@no-email.invalid' WHERE email IS NULL")
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_staff_have_email'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_users_external_id'), type_='unique')
        batch_op.alter_column('email', existing_type=sa.VARCHAR(length=254), nullable=False)
        batch_op.drop_column('external_id')

    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_study_groups_external_id'), type_='unique')
        batch_op.drop_column('external_id')

    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_column('left_on')

    with op.batch_alter_table('path_enrolments', schema=None) as batch_op:
        batch_op.drop_index('ix_path_enrolments_path_id')

    op.drop_table('path_enrolments')
    op.drop_table('ingest_receipts')
    op.drop_table('api_clients')
