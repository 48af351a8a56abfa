"""A staff member's chosen language: users.locale_chosen_at.

`users.locale` defaults to "en", so it cannot tell a chosen English from no choice; the pages
follow the account's locale once the staff member has picked one from the navbar (this
timestamp is set), and the browser's Accept-Language before that. Existing rows have no
choice recorded.

Revision ID: 0013_staff_locale
Revises: 0010_email_unique_ci
Create Date: 2026-12-01 19:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013_staff_locale'
down_revision = '0010_email_unique_ci'
branch_labels = None
depends_on = None


# A nullable column is added in place on both backends (SQLite's ALTER TABLE ADD COLUMN): a batch
# copy of `users` would lose the expression index uq_users_email_lower, which batch mode does not
# carry over. Dropping it needs the copy on SQLite, so the index is made again afterwards.


def upgrade():
    op.add_column('users', sa.Column('locale_chosen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('locale_chosen_at')
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('CREATE UNIQUE INDEX IF NOT EXISTS uq_users_email_lower ON users (lower(email))')
