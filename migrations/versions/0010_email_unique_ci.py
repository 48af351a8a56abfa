"""Emails unique case-insensitively; failed logins counted in the database.

Before the unique index on lower(email) is built, the upgrade looks for
addresses that several accounts share in different cases ("ADMIN@x" and
"admin@x") and, if there are any, stops with the list and the commands that
repair them, changing nothing.

Revision ID: 0010_email_unique_ci
Revises: 0009_saved_view_sharing
Create Date: 2026-12-01 15:07:54.909993

"""
import click
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0010_email_unique_ci'
down_revision = '0009_saved_view_sharing'
branch_labels = None
depends_on = None

SHOWN_GROUPS = 20

DUPLICATES = sa.text(
    "SELECT lower(email) AS address, id, email, role FROM users WHERE lower(email) IN "
    "(SELECT lower(email) FROM users GROUP BY lower(email) HAVING count(*) > 1) "
    "ORDER BY lower(email), id"
)


def refuse_duplicates():
    """Stop the upgrade, listing every address that several accounts share case-insensitively."""
    groups = {}
    for address, user_id, email, role in op.get_bind().execute(DUPLICATES):
        groups.setdefault(address, []).append(f"#{user_id} {email} ({role})")
    if not groups:
        return
    lines = [f"  {address}: {', '.join(accounts)}" for address, accounts in list(groups.items())[:SHOWN_GROUPS]]
    if len(groups) > SHOWN_GROUPS:
        lines.append(f"  ... and {len(groups) - SHOWN_GROUPS} more (flask --app wsgi users duplicates)")
    raise click.ClickException(
        f"emails must be unique whatever their case, and {len(groups)} address(es) belong to several accounts:\n"
        + "\n".join(lines)
        + "\nGive each account its own address, e.g. `flask --app wsgi users change-email 42 new@example.org`"
        " (the number is the account id), then run `flask --app wsgi db upgrade` again. Nothing was changed."
    )


def upgrade():
    refuse_duplicates()
    op.create_index("uq_users_email_lower", "users", [sa.text("lower(email)")], unique=True)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=8), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="1", nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scope IN ('account', 'address', 'pair')", name=op.f("ck_login_failures_scope_known")),
        sa.CheckConstraint("failures >= 1", name=op.f("ck_login_failures_failures_positive")),
        sa.CheckConstraint("last_failed_at >= first_failed_at", name=op.f("ck_login_failures_failed_in_order")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
        sa.UniqueConstraint("scope", "key_digest", name=op.f("uq_login_failures_scope_key_digest")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index("ix_login_failures_last_failed_at", ["last_failed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.drop_index("ix_login_failures_last_failed_at")
    op.drop_table("login_failures")
    op.drop_index("uq_users_email_lower", table_name="users")
