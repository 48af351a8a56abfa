"""Notification delivery state: claim and lease, attempts, idempotency key, locale, HTML body.

Statuses gain `sending` and `skipped`; categories gain `digest` (the teachers'
weekly email), on notifications, preferences and templates alike.

Revision ID: 0005_notification_delivery
Revises: 0004_job_runs
Create Date: 2026-12-01 15:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_notification_delivery'
down_revision = '0004_job_runs'
branch_labels = None
depends_on = None

OLD_STATUSES = ('queued', 'sent', 'failed', 'read')
NEW_STATUSES = ('queued', 'sending', 'sent', 'failed', 'skipped', 'read')
OLD_CATEGORIES = ('streak', 'badge', 'duel', 'reminder', 'social', 'system')
NEW_CATEGORIES = OLD_CATEGORIES + ('digest',)
CATEGORY_TABLES = ('notifications', 'notification_preferences', 'notification_templates')


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _swap_check(table, column, values):
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
        batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), _in(column, values))


def upgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_key', sa.String(length=160), nullable=True))
        batch_op.add_column(sa.Column('locale', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('body_html', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('message_id', sa.String(length=255), nullable=True))
        batch_op.create_unique_constraint('uq_notifications_idempotency_key_channel', ['idempotency_key', 'channel'])
        batch_op.create_check_constraint(op.f('ck_notifications_sending_has_lease'), "status != 'sending' OR lease_until IS NOT NULL")
        batch_op.create_check_constraint(op.f('ck_notifications_attempts_non_negative'), 'attempts >= 0')
    _swap_check('notifications', 'status', NEW_STATUSES)
    for table in CATEGORY_TABLES:
        _swap_check(table, 'category', NEW_CATEGORIES)


def downgrade():
    # Rows in the new states or category cannot be kept under the old constraints.
    op.execute("DELETE FROM notifications WHERE category = 'digest'")
    op.execute("DELETE FROM notification_preferences WHERE category = 'digest'")
    op.execute("DELETE FROM notification_templates WHERE category = 'digest'")
    op.execute("UPDATE notifications SET status = 'queued' WHERE status = 'sending'")
    op.execute("UPDATE notifications SET status = 'failed' WHERE status = 'skipped'")
    for table in CATEGORY_TABLES:
        _swap_check(table, 'category', OLD_CATEGORIES)
    _swap_check('notifications', 'status', OLD_STATUSES)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_notifications_attempts_non_negative'), type_='check')
        batch_op.drop_constraint(op.f('ck_notifications_sending_has_lease'), type_='check')
        batch_op.drop_constraint('uq_notifications_idempotency_key_channel', type_='unique')
        batch_op.drop_column('message_id')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('claimed_by')
        batch_op.drop_column('attempts')
        batch_op.drop_column('expires_at')
        batch_op.drop_column('unsubscribe_url')
        batch_op.drop_column('body_html')
        batch_op.drop_column('locale')
        batch_op.drop_column('idempotency_key')
