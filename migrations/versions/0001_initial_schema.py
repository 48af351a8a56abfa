"""initial schema

Revision ID: 0001_initial_schema
Revises: 
Create Date: 2026-11-25 13:23:32.041637

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0001_initial_schema'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('icon', sa.String(length=64), nullable=True),
    sa.Column('tier', sa.Enum('bronze', 'silver', 'gold', 'platinum', name='tier', native_enum=False, create_constraint=True, length=24), server_default='bronze', nullable=False),
    sa.Column('criteria_metric', sa.Enum('streak_days', 'total_points', 'quizzes_passed', 'skills_mastered', 'duels_won', 'sessions_completed', name='criteria_metric', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('criteria_threshold', sa.Integer(), nullable=False),
    sa.Column('points_reward', sa.Integer(), server_default='0', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('criteria_threshold > 0', name=op.f('ck_badges_threshold_positive')),
    sa.CheckConstraint('points_reward >= 0', name=op.f('ck_badges_points_reward_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badges')),
    sa.UniqueConstraint('slug', name=op.f('uq_badges_slug'))
    )
    op.create_table('hourly_metrics',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('hour', sa.Integer(), nullable=False),
    sa.Column('sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('learning_minutes', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_score_sum', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_sessions', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('hour BETWEEN 0 AND 23', name=op.f('ck_hourly_metrics_hour_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hourly_metrics')),
    sa.UniqueConstraint('day', 'scope', 'hour', name=op.f('uq_hourly_metrics_day_scope_hour'))
    )
    with op.batch_alter_table('hourly_metrics', schema=None) as batch_op:
        batch_op.create_index('ix_hourly_metrics_scope_day', ['scope', 'day'], unique=False)

    op.create_table('learning_paths',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('grade_level', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('grade_level IS NULL OR grade_level BETWEEN 1 AND 12', name=op.f('ck_learning_paths_grade_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_paths')),
    sa.UniqueConstraint('slug', name=op.f('uq_learning_paths_slug'))
    )
    op.create_table('skills',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('subject', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('difficulty', sa.Enum('easy', 'medium', 'hard', name='difficulty', native_enum=False, create_constraint=True, length=24), server_default='medium', nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('parent_id IS NULL OR parent_id != id', name=op.f('ck_skills_not_own_parent')),
    sa.ForeignKeyConstraint(['parent_id'], ['skills.id'], name=op.f('fk_skills_parent_id_skills'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skills')),
    sa.UniqueConstraint('slug', name=op.f('uq_skills_slug'))
    )
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.create_index('ix_skills_subject', ['subject'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('display_name', sa.String(length=120), nullable=False),
    sa.Column('role', sa.Enum('learner', 'teacher', 'operator', 'admin', name='role', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('timezone', sa.String(length=64), server_default='UTC', nullable=False),
    sa.Column('locale', sa.String(length=16), server_default='en', nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=True),
    sa.Column('session_version', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint("role != 'learner' OR password_hash IS NULL", name=op.f('ck_users_learner_no_password')),
    sa.CheckConstraint('session_version >= 0', name=op.f('ck_users_session_version_non_negative')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_role'), ['role'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_email', sa.String(length=254), nullable=True),
    sa.Column('action', sa.Enum('create', 'update', 'delete', 'action', name='action', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('model', sa.String(length=64), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('changes', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_actor_id', ['actor_id'], unique=False)
        batch_op.create_index('ix_audit_entries_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_audit_entries_model_object', ['model', 'object_id'], unique=False)

    op.create_table('content_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.Enum('video', 'reading', 'quiz', 'practice', 'game', 'live_class', name='content_type', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('affinity', sa.Float(), server_default='0.5', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('affinity >= 0 AND affinity <= 1', name=op.f('ck_content_preferences_affinity_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_content_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_content_preferences')),
    sa.UniqueConstraint('user_id', 'content_type', name=op.f('uq_content_preferences_user_id_content_type'))
    )
    op.create_table('daily_logins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('first_login_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('login_count', sa.Integer(), server_default='1', nullable=False),
    sa.Column('device', sa.Enum('web', 'android', 'ios', 'tablet', 'other', name='device', native_enum=False, create_constraint=True, length=24), server_default='web', nullable=False),
    sa.CheckConstraint('last_login_at >= first_login_at', name=op.f('ck_daily_logins_login_order')),
    sa.CheckConstraint('login_count >= 1', name=op.f('ck_daily_logins_login_count_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_daily_logins_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_logins')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_daily_logins_user_id_day'))
    )
    with op.batch_alter_table('daily_logins', schema=None) as batch_op:
        batch_op.create_index('ix_daily_logins_day', ['day'], unique=False)

    op.create_table('duels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('challenger_id', sa.Integer(), nullable=False),
    sa.Column('opponent_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'active', 'completed', 'declined', 'expired', name='status', native_enum=False, create_constraint=True, length=24), server_default='pending', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('winner_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('challenger_id != opponent_id', name=op.f('ck_duels_no_self_duel')),
    sa.CheckConstraint('ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at', name=op.f('ck_duels_ends_after_start')),
    sa.CheckConstraint('winner_id IS NULL OR winner_id = challenger_id OR winner_id = opponent_id', name=op.f('ck_duels_winner_is_participant')),
    sa.ForeignKeyConstraint(['challenger_id'], ['users.id'], name=op.f('fk_duels_challenger_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opponent_id'], ['users.id'], name=op.f('fk_duels_opponent_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_duels_skill_id_skills'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['winner_id'], ['users.id'], name=op.f('fk_duels_winner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duels'))
    )
    with op.batch_alter_table('duels', schema=None) as batch_op:
        batch_op.create_index('ix_duels_challenger_id', ['challenger_id'], unique=False)
        batch_op.create_index('ix_duels_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_duels_opponent_id', ['opponent_id'], unique=False)
        batch_op.create_index('ix_duels_status', ['status'], unique=False)

    op.create_table('learner_days',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('learning_minutes', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_score_sum', sa.Float(), server_default='0', nullable=False),
    sa.Column('focus_sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('quiz_attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('quiz_percent_sum', sa.Float(), server_default='0', nullable=False),
    sa.Column('points_earned', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('sessions >= 0 AND learning_minutes >= 0', name=op.f('ck_learner_days_volumes_non_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learner_days_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learner_days')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_learner_days_user_id_day'))
    )
    with op.batch_alter_table('learner_days', schema=None) as batch_op:
        batch_op.create_index('ix_learner_days_day', ['day'], unique=False)

    op.create_table('learner_feature_snapshots',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('feature_set', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('features', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_learner_feature_snapshots_version_positive')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learner_feature_snapshots_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learner_feature_snapshots')),
    sa.UniqueConstraint('user_id', 'feature_set', 'as_of', name=op.f('uq_learner_feature_snapshots_user_id_feature_set_as_of'))
    )
    with op.batch_alter_table('learner_feature_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_learner_feature_snapshots_set_as_of', ['feature_set', 'as_of'], unique=False)

    op.create_table('learning_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('preferred_study_time', sa.Enum('morning', 'afternoon', 'evening', 'night', name='preferred_study_time', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('daily_goal_minutes', sa.Integer(), server_default='20', nullable=False),
    sa.Column('difficulty', sa.Enum('easy', 'medium', 'hard', name='difficulty', native_enum=False, create_constraint=True, length=24), server_default='medium', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('daily_goal_minutes BETWEEN 1 AND 600', name=op.f('ck_learning_preferences_daily_goal_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learning_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_learning_preferences'))
    )
    op.create_table('notification_preferences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('email', 'push', 'in_app', name='channel', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('category', sa.Enum('streak', 'badge', 'duel', 'reminder', 'social', 'system', name='category', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('quiet_hours_start', sa.Integer(), nullable=True),
    sa.Column('quiet_hours_end', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('quiet_hours_end IS NULL OR quiet_hours_end BETWEEN 0 AND 23', name=op.f('ck_notification_preferences_quiet_end_range')),
    sa.CheckConstraint('quiet_hours_start IS NULL OR quiet_hours_start BETWEEN 0 AND 23', name=op.f('ck_notification_preferences_quiet_start_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preferences')),
    sa.UniqueConstraint('user_id', 'channel', 'category', name=op.f('uq_notification_preferences_user_id_channel_category'))
    )
    op.create_table('notification_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.Enum('email', 'push', 'in_app', name='channel', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('locale', sa.String(length=16), server_default='en', nullable=False),
    sa.Column('category', sa.Enum('streak', 'badge', 'duel', 'reminder', 'social', 'system', name='category', native_enum=False, create_constraint=True, length=24), server_default='system', nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_notification_templates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_templates')),
    sa.UniqueConstraint('key', 'channel', 'locale', name=op.f('uq_notification_templates_key_channel_locale'))
    )
    op.create_table('path_modules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('path_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=160), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('content_type', sa.Enum('video', 'reading', 'quiz', 'practice', 'game', 'live_class', name='content_type', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('estimated_minutes', sa.Integer(), server_default='10', nullable=False),
    sa.CheckConstraint('estimated_minutes > 0', name=op.f('ck_path_modules_minutes_positive')),
    sa.CheckConstraint('position >= 1', name=op.f('ck_path_modules_position_positive')),
    sa.ForeignKeyConstraint(['path_id'], ['learning_paths.id'], name=op.f('fk_path_modules_path_id_learning_paths'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_path_modules_skill_id_skills'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_path_modules')),
    sa.UniqueConstraint('path_id', 'position', name=op.f('uq_path_modules_path_id_position'))
    )
    with op.batch_alter_table('path_modules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_path_modules_skill_id'), ['skill_id'], unique=False)

    op.create_table('points_transactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('session_completed', 'quiz_passed', 'streak_milestone', 'badge_awarded', 'duel_won', 'duel_draw', 'daily_goal', 'freeze_purchase', 'adjustment', 'reversal', name='reason', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('source_type', sa.String(length=32), nullable=True),
    sa.Column('source_id', sa.String(length=64), nullable=True),
    sa.Column('idempotency_key', sa.String(length=128), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount != 0', name=op.f('ck_points_transactions_amount_non_zero')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_points_transactions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_points_transactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_points_transactions')),
    sa.UniqueConstraint('idempotency_key', name=op.f('uq_points_transactions_idempotency_key'))
    )
    with op.batch_alter_table('points_transactions', schema=None) as batch_op:
        batch_op.create_index('ix_points_transactions_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_points_transactions_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('report_definitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('report_type', sa.Enum('overview', 'engagement', 'attention', 'leaderboard', 'at_risk', 'learner', name='report_type', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('filters', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('is_shared', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_report_definitions_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_definitions')),
    sa.UniqueConstraint('owner_id', 'name', name=op.f('uq_report_definitions_owner_id_name'))
    )
    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_definitions_owner_id'), ['owner_id'], unique=False)

    op.create_table('skill_masteries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.Column('mastery', sa.Float(), server_default='0', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_practiced_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_skill_masteries_attempts_non_negative')),
    sa.CheckConstraint('mastery >= 0 AND mastery <= 1', name=op.f('ck_skill_masteries_mastery_range')),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_skill_masteries_skill_id_skills'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_skill_masteries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_masteries')),
    sa.UniqueConstraint('user_id', 'skill_id', name=op.f('uq_skill_masteries_user_id_skill_id'))
    )
    with op.batch_alter_table('skill_masteries', schema=None) as batch_op:
        batch_op.create_index('ix_skill_masteries_skill_id', ['skill_id'], unique=False)

    op.create_table('social_activities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('verb', sa.String(length=32), nullable=False),
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('object_id', sa.String(length=64), nullable=True),
    sa.Column('summary', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_social_activities_actor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_activities'))
    )
    with op.batch_alter_table('social_activities', schema=None) as batch_op:
        batch_op.create_index('ix_social_activities_actor_created', ['actor_id', 'created_at'], unique=False)
        batch_op.create_index('ix_social_activities_created_at', ['created_at'], unique=False)

    op.create_table('streak_activities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('source', sa.Enum('session', 'quiz', 'manual', name='source', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_streak_activities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streak_activities')),
    sa.UniqueConstraint('user_id', 'day', name=op.f('uq_streak_activities_user_id_day'))
    )
    with op.batch_alter_table('streak_activities', schema=None) as batch_op:
        batch_op.create_index('ix_streak_activities_day', ['day'], unique=False)

    op.create_table('streak_freezes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.Enum('earned', 'bought', 'granted', name='origin', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('status', sa.Enum('equipped', 'used', 'expired', name='status', native_enum=False, create_constraint=True, length=24), server_default='equipped', nullable=False),
    sa.Column('acquired_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_on', sa.Date(), nullable=True),
    sa.CheckConstraint("(status = 'used') = (used_on IS NOT NULL)", name=op.f('ck_streak_freezes_used_iff_used_on')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_streak_freezes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streak_freezes'))
    )
    with op.batch_alter_table('streak_freezes', schema=None) as batch_op:
        batch_op.create_index('ix_streak_freezes_user_status', ['user_id', 'status'], unique=False)

    op.create_table('streak_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('badge_id', sa.Integer(), nullable=True),
    sa.Column('points', sa.Integer(), server_default='0', nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint('days > 0', name=op.f('ck_streak_milestones_days_positive')),
    sa.CheckConstraint('points >= 0', name=op.f('ck_streak_milestones_points_non_negative')),
    sa.ForeignKeyConstraint(['badge_id'], ['badges.id'], name=op.f('fk_streak_milestones_badge_id_badges'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_streak_milestones')),
    sa.UniqueConstraint('days', name=op.f('uq_streak_milestones_days'))
    )
    op.create_table('study_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_study_groups_owner_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study_groups')),
    sa.UniqueConstraint('name', name=op.f('uq_study_groups_name'))
    )
    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_groups_owner_id'), ['owner_id'], unique=False)

    op.create_table('user_badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('badge_id', sa.Integer(), nullable=False),
    sa.Column('awarded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('awarded_via', sa.String(length=64), server_default='rule', nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['users.id'], name=op.f('fk_user_badges_awarded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['badge_id'], ['badges.id'], name=op.f('fk_user_badges_badge_id_badges'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_badges_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_badges')),
    sa.UniqueConstraint('user_id', 'badge_id', name=op.f('uq_user_badges_user_id_badge_id'))
    )
    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.create_index('ix_user_badges_awarded_at', ['awarded_at'], unique=False)
        batch_op.create_index('ix_user_badges_badge_id', ['badge_id'], unique=False)

    op.create_table('user_connections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follower_id', sa.Integer(), nullable=False),
    sa.Column('followee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('follow', 'friend', name='kind', native_enum=False, create_constraint=True, length=24), server_default='follow', nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'blocked', name='status', native_enum=False, create_constraint=True, length=24), server_default='accepted', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('follower_id != followee_id', name=op.f('ck_user_connections_no_self_connection')),
    sa.ForeignKeyConstraint(['followee_id'], ['users.id'], name=op.f('fk_user_connections_followee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['follower_id'], ['users.id'], name=op.f('fk_user_connections_follower_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_connections')),
    sa.UniqueConstraint('follower_id', 'followee_id', name=op.f('uq_user_connections_follower_id_followee_id'))
    )
    with op.batch_alter_table('user_connections', schema=None) as batch_op:
        batch_op.create_index('ix_user_connections_followee_id', ['followee_id'], unique=False)

    op.create_table('user_engagement_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('avg_session_minutes', sa.Float(), server_default='0', nullable=False),
    sa.Column('preferred_hour', sa.Integer(), nullable=True),
    sa.Column('active_days_30', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sessions_30', sa.Integer(), server_default='0', nullable=False),
    sa.Column('churn_risk', sa.Float(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('active_days_30 BETWEEN 0 AND 30', name=op.f('ck_user_engagement_profiles_active_days_range')),
    sa.CheckConstraint('avg_session_minutes >= 0', name=op.f('ck_user_engagement_profiles_avg_minutes_non_negative')),
    sa.CheckConstraint('churn_risk BETWEEN 0 AND 1', name=op.f('ck_user_engagement_profiles_churn_risk_range')),
    sa.CheckConstraint('preferred_hour IS NULL OR preferred_hour BETWEEN 0 AND 23', name=op.f('ck_user_engagement_profiles_hour_range')),
    sa.CheckConstraint('sessions_30 >= 0', name=op.f('ck_user_engagement_profiles_sessions_non_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_engagement_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_engagement_profiles'))
    )
    op.create_table('user_points',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('balance', sa.Integer(), server_default='0', nullable=False),
    sa.Column('lifetime_earned', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('lifetime_earned >= 0', name=op.f('ck_user_points_lifetime_non_negative')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_points_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_points'))
    )
    op.create_table('user_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('grade_level', sa.Integer(), nullable=True),
    sa.Column('school', sa.String(length=200), nullable=True),
    sa.Column('bio', sa.Text(), nullable=True),
    sa.Column('avatar_url', sa.String(length=500), nullable=True),
    sa.Column('date_of_birth', sa.Date(), nullable=True),
    sa.Column('age_band', sa.Enum('under_10', '10_12', '13_15', '16_18', 'adult', name='age_band', native_enum=False, create_constraint=True, length=24), nullable=True),
    sa.Column('goals', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.CheckConstraint('grade_level IS NULL OR grade_level BETWEEN 1 AND 12', name=op.f('ck_user_profiles_grade_range')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_profiles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_profiles'))
    )
    op.create_table('user_streaks',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('current_length', sa.Integer(), server_default='0', nullable=False),
    sa.Column('longest_length', sa.Integer(), server_default='0', nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('last_active_on', sa.Date(), nullable=True),
    sa.Column('freezes_equipped', sa.Integer(), server_default='0', nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('current_length >= 0', name=op.f('ck_user_streaks_current_non_negative')),
    sa.CheckConstraint('freezes_equipped BETWEEN 0 AND 2', name=op.f('ck_user_streaks_freezes_range')),
    sa.CheckConstraint('longest_length >= current_length', name=op.f('ck_user_streaks_longest_at_least_current')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_streaks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_streaks'))
    )
    op.create_table('activity_feeds',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('is_read', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['social_activities.id'], name=op.f('fk_activity_feeds_activity_id_social_activities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_activity_feeds_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_feeds')),
    sa.UniqueConstraint('recipient_id', 'activity_id', name=op.f('uq_activity_feeds_recipient_id_activity_id'))
    )
    with op.batch_alter_table('activity_feeds', schema=None) as batch_op:
        batch_op.create_index('ix_activity_feeds_activity_id', ['activity_id'], unique=False)
        batch_op.create_index('ix_activity_feeds_recipient_created', ['recipient_id', 'created_at'], unique=False)

    op.create_table('daily_metrics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('study_group_id', sa.Integer(), nullable=True),
    sa.Column('active_learners', sa.Integer(), server_default='0', nullable=False),
    sa.Column('weekly_active_learners', sa.Integer(), server_default='0', nullable=False),
    sa.Column('monthly_active_learners', sa.Integer(), server_default='0', nullable=False),
    sa.Column('new_learners', sa.Integer(), server_default='0', nullable=False),
    sa.Column('sessions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('learning_minutes', sa.Float(), server_default='0', nullable=False),
    sa.Column('avg_session_minutes', sa.Float(), nullable=True),
    sa.Column('median_session_minutes', sa.Float(), nullable=True),
    sa.Column('avg_focus_score', sa.Float(), nullable=True),
    sa.Column('focus_buckets', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('span_buckets', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('avg_span_seconds', sa.Float(), nullable=True),
    sa.Column('interruptions', sa.Integer(), server_default='0', nullable=False),
    sa.Column('quiz_attempts', sa.Integer(), server_default='0', nullable=False),
    sa.Column('avg_quiz_score', sa.Float(), nullable=True),
    sa.Column('points_earned', sa.Integer(), server_default='0', nullable=False),
    sa.Column('badges_awarded', sa.Integer(), server_default='0', nullable=False),
    sa.Column('streak_holders', sa.Integer(), server_default='0', nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('active_learners >= 0 AND weekly_active_learners >= active_learners AND monthly_active_learners >= weekly_active_learners', name=op.f('ck_daily_metrics_actives_nested')),
    sa.CheckConstraint('avg_focus_score IS NULL OR avg_focus_score BETWEEN 0 AND 100', name=op.f('ck_daily_metrics_focus_range')),
    sa.CheckConstraint('sessions >= 0 AND learning_minutes >= 0', name=op.f('ck_daily_metrics_volumes_non_negative')),
    sa.ForeignKeyConstraint(['study_group_id'], ['study_groups.id'], name=op.f('fk_daily_metrics_study_group_id_study_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_metrics')),
    sa.UniqueConstraint('day', 'scope', name=op.f('uq_daily_metrics_day_scope'))
    )
    with op.batch_alter_table('daily_metrics', schema=None) as batch_op:
        batch_op.create_index('ix_daily_metrics_scope_day', ['scope', 'day'], unique=False)
        batch_op.create_index(batch_op.f('ix_daily_metrics_study_group_id'), ['study_group_id'], unique=False)

    op.create_table('duel_participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('duel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), server_default='0', nullable=False),
    sa.Column('outcome', sa.Enum('pending', 'won', 'lost', 'draw', name='outcome', native_enum=False, create_constraint=True, length=24), server_default='pending', nullable=False),
    sa.CheckConstraint('score >= 0', name=op.f('ck_duel_participants_score_non_negative')),
    sa.ForeignKeyConstraint(['duel_id'], ['duels.id'], name=op.f('fk_duel_participants_duel_id_duels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_duel_participants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_duel_participants')),
    sa.UniqueConstraint('duel_id', 'user_id', name=op.f('uq_duel_participants_duel_id_user_id'))
    )
    with op.batch_alter_table('duel_participants', schema=None) as batch_op:
        batch_op.create_index('ix_duel_participants_user_id', ['user_id'], unique=False)

    op.create_table('group_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'teacher', name='role', native_enum=False, create_constraint=True, length=24), server_default='member', nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['study_groups.id'], name=op.f('fk_group_members_group_id_study_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_members')),
    sa.UniqueConstraint('group_id', 'user_id', name=op.f('uq_group_members_group_id_user_id'))
    )
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.create_index('ix_group_members_user_id', ['user_id'], unique=False)

    op.create_table('leaderboards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('period', sa.Enum('weekly', 'monthly', 'all_time', name='period', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('scope', sa.Enum('global', 'study_group', name='scope', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('study_group_id', sa.Integer(), nullable=True),
    sa.Column('metric', sa.Enum('points', 'learning_minutes', 'quizzes_passed', name='metric', native_enum=False, create_constraint=True, length=24), server_default='points', nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.CheckConstraint("(scope = 'global' AND study_group_id IS NULL) OR (scope = 'study_group' AND study_group_id IS NOT NULL)", name=op.f('ck_leaderboards_scope_matches_group')),
    sa.ForeignKeyConstraint(['study_group_id'], ['study_groups.id'], name=op.f('fk_leaderboards_study_group_id_study_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaderboards')),
    sa.UniqueConstraint('name', name=op.f('uq_leaderboards_name'))
    )
    with op.batch_alter_table('leaderboards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaderboards_study_group_id'), ['study_group_id'], unique=False)

    op.create_table('learning_sessions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Integer(), nullable=True),
    sa.Column('device', sa.Enum('web', 'android', 'ios', 'tablet', 'other', name='device', native_enum=False, create_constraint=True, length=24), server_default='web', nullable=False),
    sa.Column('content_type', sa.Enum('video', 'reading', 'quiz', 'practice', 'game', 'live_class', name='content_type', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('path_module_id', sa.Integer(), nullable=True),
    sa.Column('is_completed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.CheckConstraint('duration_seconds IS NULL OR duration_seconds >= 0', name=op.f('ck_learning_sessions_duration_non_negative')),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_learning_sessions_ends_after_start')),
    sa.ForeignKeyConstraint(['path_module_id'], ['path_modules.id'], name=op.f('fk_learning_sessions_path_module_id_path_modules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_learning_sessions_skill_id_skills'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_learning_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_learning_sessions'))
    )
    with op.batch_alter_table('learning_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_learning_sessions_path_module_id'), ['path_module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_learning_sessions_skill_id'), ['skill_id'], unique=False)
        batch_op.create_index('ix_learning_sessions_started_at', ['started_at'], unique=False)
        batch_op.create_index('ix_learning_sessions_user_started', ['user_id', 'started_at'], unique=False)

    op.create_table('notifications',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('template_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('email', 'push', 'in_app', name='channel', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('category', sa.Enum('streak', 'badge', 'duel', 'reminder', 'social', 'system', name='category', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'sent', 'failed', 'read', name='status', native_enum=False, create_constraint=True, length=24), server_default='queued', nullable=False),
    sa.Column('failure_reason', sa.String(length=255), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('scheduled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status != 'read' OR read_at IS NOT NULL", name=op.f('ck_notifications_read_has_read_at')),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_recipient_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['template_id'], ['notification_templates.id'], name=op.f('fk_notifications_template_id_notification_templates'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_notifications_recipient_created', ['recipient_id', 'created_at'], unique=False)
        batch_op.create_index('ix_notifications_status_scheduled', ['status', 'scheduled_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_template_id'), ['template_id'], unique=False)

    op.create_table('attention_spans',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('focus_seconds', sa.Integer(), nullable=False),
    sa.Column('interruptions', sa.Integer(), server_default='0', nullable=False),
    sa.CheckConstraint('ended_at >= started_at', name=op.f('ck_attention_spans_ends_after_start')),
    sa.CheckConstraint('focus_seconds >= 0', name=op.f('ck_attention_spans_focus_non_negative')),
    sa.CheckConstraint('interruptions >= 0', name=op.f('ck_attention_spans_interruptions_non_negative')),
    sa.ForeignKeyConstraint(['session_id'], ['learning_sessions.id'], name=op.f('fk_attention_spans_session_id_learning_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_attention_spans_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attention_spans'))
    )
    with op.batch_alter_table('attention_spans', schema=None) as batch_op:
        batch_op.create_index('ix_attention_spans_session_id', ['session_id'], unique=False)
        batch_op.create_index('ix_attention_spans_user_started', ['user_id', 'started_at'], unique=False)

    op.create_table('behavior_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('properties', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['learning_sessions.id'], name=op.f('fk_behavior_events_session_id_learning_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_behavior_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_behavior_events'))
    )
    with op.batch_alter_table('behavior_events', schema=None) as batch_op:
        batch_op.create_index('ix_behavior_events_name', ['name'], unique=False)
        batch_op.create_index('ix_behavior_events_occurred_at', ['occurred_at'], unique=False)
        batch_op.create_index('ix_behavior_events_user_occurred', ['user_id', 'occurred_at'], unique=False)

    op.create_table('focus_metrics',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('focus_score', sa.Float(), nullable=False),
    sa.Column('avg_span_seconds', sa.Float(), nullable=False),
    sa.Column('longest_span_seconds', sa.Integer(), nullable=False),
    sa.Column('distraction_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('avg_span_seconds >= 0', name=op.f('ck_focus_metrics_avg_span_non_negative')),
    sa.CheckConstraint('distraction_count >= 0', name=op.f('ck_focus_metrics_distractions_non_negative')),
    sa.CheckConstraint('focus_score BETWEEN 0 AND 100', name=op.f('ck_focus_metrics_focus_score_range')),
    sa.CheckConstraint('longest_span_seconds >= 0', name=op.f('ck_focus_metrics_longest_span_non_negative')),
    sa.ForeignKeyConstraint(['session_id'], ['learning_sessions.id'], name=op.f('fk_focus_metrics_session_id_learning_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_focus_metrics_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_focus_metrics')),
    sa.UniqueConstraint('session_id', name=op.f('uq_focus_metrics_session_id'))
    )
    with op.batch_alter_table('focus_metrics', schema=None) as batch_op:
        batch_op.create_index('ix_focus_metrics_user_id', ['user_id'], unique=False)

    op.create_table('leaderboard_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('leaderboard_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('previous_rank', sa.Integer(), nullable=True),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('previous_rank IS NULL OR previous_rank >= 1', name=op.f('ck_leaderboard_entries_previous_rank_positive')),
    sa.CheckConstraint('rank >= 1', name=op.f('ck_leaderboard_entries_rank_positive')),
    sa.ForeignKeyConstraint(['leaderboard_id'], ['leaderboards.id'], name=op.f('fk_leaderboard_entries_leaderboard_id_leaderboards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_leaderboard_entries_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaderboard_entries')),
    sa.UniqueConstraint('leaderboard_id', 'period_start', 'user_id', name=op.f('uq_leaderboard_entries_leaderboard_id_period_start_user_id'))
    )
    with op.batch_alter_table('leaderboard_entries', schema=None) as batch_op:
        batch_op.create_index('ix_leaderboard_entries_board_period_rank', ['leaderboard_id', 'period_start', 'rank'], unique=False)
        batch_op.create_index('ix_leaderboard_entries_user_id', ['user_id'], unique=False)

    op.create_table('quiz_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('path_module_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Float(), server_default='0', nullable=False),
    sa.Column('max_score', sa.Float(), server_default='100', nullable=False),
    sa.Column('correct_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('total_questions', sa.Integer(), nullable=False),
    sa.Column('time_spent_seconds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('difficulty', sa.Enum('easy', 'medium', 'hard', name='difficulty', native_enum=False, create_constraint=True, length=24), server_default='medium', nullable=False),
    sa.CheckConstraint('correct_count >= 0 AND correct_count <= total_questions', name=op.f('ck_quiz_attempts_correct_range')),
    sa.CheckConstraint('max_score > 0', name=op.f('ck_quiz_attempts_max_score_positive')),
    sa.CheckConstraint('score >= 0 AND score <= max_score', name=op.f('ck_quiz_attempts_score_range')),
    sa.CheckConstraint('submitted_at IS NULL OR submitted_at >= started_at', name=op.f('ck_quiz_attempts_submitted_after_start')),
    sa.CheckConstraint('time_spent_seconds >= 0', name=op.f('ck_quiz_attempts_time_non_negative')),
    sa.CheckConstraint('total_questions > 0', name=op.f('ck_quiz_attempts_total_positive')),
    sa.ForeignKeyConstraint(['path_module_id'], ['path_modules.id'], name=op.f('fk_quiz_attempts_path_module_id_path_modules'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['learning_sessions.id'], name=op.f('fk_quiz_attempts_session_id_learning_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['skill_id'], ['skills.id'], name=op.f('fk_quiz_attempts_skill_id_skills'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_quiz_attempts_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_quiz_attempts'))
    )
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.create_index('ix_quiz_attempts_skill_id', ['skill_id'], unique=False)
        batch_op.create_index('ix_quiz_attempts_started_at', ['started_at'], unique=False)
        batch_op.create_index('ix_quiz_attempts_user_started', ['user_id', 'started_at'], unique=False)

    op.create_table('session_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('session_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('event_type', sa.Enum('start', 'pause', 'resume', 'video_play', 'video_pause', 'video_seek', 'quiz_answer', 'hint', 'tab_hidden', 'tab_visible', 'idle', 'end', name='event_type', native_enum=False, create_constraint=True, length=24), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['session_id'], ['learning_sessions.id'], name=op.f('fk_session_events_session_id_learning_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_session_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_events'))
    )
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.create_index('ix_session_events_occurred_at', ['occurred_at'], unique=False)
        batch_op.create_index('ix_session_events_session_id', ['session_id'], unique=False)
        batch_op.create_index('ix_session_events_user_occurred', ['user_id', 'occurred_at'], unique=False)

    op.create_table('assessment_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('quiz_attempt_id', sa.Integer(), nullable=True),
    sa.Column('assessment_name', sa.String(length=160), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('graded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('graded_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_assessment_results_percent_range')),
    sa.ForeignKeyConstraint(['graded_by_id'], ['users.id'], name=op.f('fk_assessment_results_graded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['quiz_attempt_id'], ['quiz_attempts.id'], name=op.f('fk_assessment_results_quiz_attempt_id_quiz_attempts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_assessment_results_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_results')),
    sa.UniqueConstraint('quiz_attempt_id', name=op.f('uq_assessment_results_quiz_attempt_id'))
    )
    with op.batch_alter_table('assessment_results', schema=None) as batch_op:
        batch_op.create_index('ix_assessment_results_user_graded', ['user_id', 'graded_at'], unique=False)




def downgrade():

    with op.batch_alter_table('assessment_results', schema=None) as batch_op:
        batch_op.drop_index('ix_assessment_results_user_graded')

    op.drop_table('assessment_results')
    with op.batch_alter_table('session_events', schema=None) as batch_op:
        batch_op.drop_index('ix_session_events_user_occurred')
        batch_op.drop_index('ix_session_events_session_id')
        batch_op.drop_index('ix_session_events_occurred_at')

    op.drop_table('session_events')
    with op.batch_alter_table('quiz_attempts', schema=None) as batch_op:
        batch_op.drop_index('ix_quiz_attempts_user_started')
        batch_op.drop_index('ix_quiz_attempts_started_at')
        batch_op.drop_index('ix_quiz_attempts_skill_id')

    op.drop_table('quiz_attempts')
    with op.batch_alter_table('leaderboard_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_leaderboard_entries_user_id')
        batch_op.drop_index('ix_leaderboard_entries_board_period_rank')

    op.drop_table('leaderboard_entries')
    with op.batch_alter_table('focus_metrics', schema=None) as batch_op:
        batch_op.drop_index('ix_focus_metrics_user_id')

    op.drop_table('focus_metrics')
    with op.batch_alter_table('behavior_events', schema=None) as batch_op:
        batch_op.drop_index('ix_behavior_events_user_occurred')
        batch_op.drop_index('ix_behavior_events_occurred_at')
        batch_op.drop_index('ix_behavior_events_name')

    op.drop_table('behavior_events')
    with op.batch_alter_table('attention_spans', schema=None) as batch_op:
        batch_op.drop_index('ix_attention_spans_user_started')
        batch_op.drop_index('ix_attention_spans_session_id')

    op.drop_table('attention_spans')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notifications_template_id'))
        batch_op.drop_index('ix_notifications_status_scheduled')
        batch_op.drop_index('ix_notifications_recipient_created')
        batch_op.drop_index('ix_notifications_created_at')

    op.drop_table('notifications')
    with op.batch_alter_table('learning_sessions', schema=None) as batch_op:
        batch_op.drop_index('ix_learning_sessions_user_started')
        batch_op.drop_index('ix_learning_sessions_started_at')
        batch_op.drop_index(batch_op.f('ix_learning_sessions_skill_id'))
        batch_op.drop_index(batch_op.f('ix_learning_sessions_path_module_id'))

    op.drop_table('learning_sessions')
    with op.batch_alter_table('leaderboards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaderboards_study_group_id'))

    op.drop_table('leaderboards')
    with op.batch_alter_table('group_members', schema=None) as batch_op:
        batch_op.drop_index('ix_group_members_user_id')

    op.drop_table('group_members')
    with op.batch_alter_table('duel_participants', schema=None) as batch_op:
        batch_op.drop_index('ix_duel_participants_user_id')

    op.drop_table('duel_participants')
    with op.batch_alter_table('daily_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_daily_metrics_study_group_id'))
        batch_op.drop_index('ix_daily_metrics_scope_day')

    op.drop_table('daily_metrics')
    with op.batch_alter_table('activity_feeds', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_feeds_recipient_created')
        batch_op.drop_index('ix_activity_feeds_activity_id')

    op.drop_table('activity_feeds')
    op.drop_table('user_streaks')
    op.drop_table('user_profiles')
    op.drop_table('user_points')
    op.drop_table('user_engagement_profiles')
    with op.batch_alter_table('user_connections', schema=None) as batch_op:
        batch_op.drop_index('ix_user_connections_followee_id')

    op.drop_table('user_connections')
    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.drop_index('ix_user_badges_badge_id')
        batch_op.drop_index('ix_user_badges_awarded_at')

    op.drop_table('user_badges')
    with op.batch_alter_table('study_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_study_groups_owner_id'))

    op.drop_table('study_groups')
    op.drop_table('streak_milestones')
    with op.batch_alter_table('streak_freezes', schema=None) as batch_op:
        batch_op.drop_index('ix_streak_freezes_user_status')

    op.drop_table('streak_freezes')
    with op.batch_alter_table('streak_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_streak_activities_day')

    op.drop_table('streak_activities')
    with op.batch_alter_table('social_activities', schema=None) as batch_op:
        batch_op.drop_index('ix_social_activities_created_at')
        batch_op.drop_index('ix_social_activities_actor_created')

    op.drop_table('social_activities')
    with op.batch_alter_table('skill_masteries', schema=None) as batch_op:
        batch_op.drop_index('ix_skill_masteries_skill_id')

    op.drop_table('skill_masteries')
    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_definitions_owner_id'))

    op.drop_table('report_definitions')
    with op.batch_alter_table('points_transactions', schema=None) as batch_op:
        batch_op.drop_index('ix_points_transactions_user_created')
        batch_op.drop_index('ix_points_transactions_created_at')

    op.drop_table('points_transactions')
    with op.batch_alter_table('path_modules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_path_modules_skill_id'))

    op.drop_table('path_modules')
    op.drop_table('notification_templates')
    op.drop_table('notification_preferences')
    op.drop_table('learning_preferences')
    with op.batch_alter_table('learner_feature_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_learner_feature_snapshots_set_as_of')

    op.drop_table('learner_feature_snapshots')
    with op.batch_alter_table('learner_days', schema=None) as batch_op:
        batch_op.drop_index('ix_learner_days_day')

    op.drop_table('learner_days')
    with op.batch_alter_table('duels', schema=None) as batch_op:
        batch_op.drop_index('ix_duels_status')
        batch_op.drop_index('ix_duels_opponent_id')
        batch_op.drop_index('ix_duels_created_at')
        batch_op.drop_index('ix_duels_challenger_id')

    op.drop_table('duels')
    with op.batch_alter_table('daily_logins', schema=None) as batch_op:
        batch_op.drop_index('ix_daily_logins_day')

    op.drop_table('daily_logins')
    op.drop_table('content_preferences')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_model_object')
        batch_op.drop_index('ix_audit_entries_created_at')
        batch_op.drop_index('ix_audit_entries_actor_id')

    op.drop_table('audit_entries')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_role'))

    op.drop_table('users')
    with op.batch_alter_table('skills', schema=None) as batch_op:
        batch_op.drop_index('ix_skills_subject')

    op.drop_table('skills')
    op.drop_table('learning_paths')
    with op.batch_alter_table('hourly_metrics', schema=None) as batch_op:
        batch_op.drop_index('ix_hourly_metrics_scope_day')

    op.drop_table('hourly_metrics')
    op.drop_table('badges')

