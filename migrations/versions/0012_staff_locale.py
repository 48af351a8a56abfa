"""A staff member's chosen language: users.locale_chosen_at.

`users.locale` defaults to "en", so it cannot tell a chosen English from no choice; the pages
follow the account's locale once the staff member has picked one from the navbar (this
timestamp is set), and the browser's Accept-Language before that. Existing rows have no
choice recorded.

Revision ID: 0012_staff_locale
Revises: 0011_scale_indexes
Create Date: 2026-12-01 19:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012_staff_locale'
down_revision = '0011_scale_indexes'
branch_labels = None
depends_on = None


# A nullable column is added and dropped in place on both backends (SQLite's ALTER TABLE ADD/DROP
# COLUMN, SQLite 3.35+): a batch copy of `users` would lose its expression indexes
# (uq_users_email_lower, ix_users_display_name_lower), which batch mode does not carry over.


def upgrade():
    op.add_column('users', sa.Column('locale_chosen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE users DROP COLUMN locale_chosen_at')
    else:
        op.drop_column('users', 'locale_chosen_at')
