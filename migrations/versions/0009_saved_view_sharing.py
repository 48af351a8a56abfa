"""Saved views can be shared as a link: report_definitions.share_token.

A view opens from /reports/shared/<share_token> while it is shared (`is_shared`) and holds a
token; the token is drawn by the app when its owner shares the view. Views marked shared
before this revision have no token, so no link, until their owner shares them.

Revision ID: 0009_saved_view_sharing
Revises: 0008_raw_local_day
Create Date: 2026-12-01 16:29:24.389576

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_saved_view_sharing'
down_revision = '0008_raw_local_day'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('share_token', sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_report_definitions_share_token'), ['share_token'])


def downgrade():
    with op.batch_alter_table('report_definitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_report_definitions_share_token'), type_='unique')
        batch_op.drop_column('share_token')
