"""Raw rows store their learner-local day and hour (backfilled); sent rows keep the client's id.

Every raw activity table (and user_badges) gets `local_day` and `local_hour`, worked
out for the rows already there by `webapp.services.timezones` (the one rule every
writer uses) and then made NOT NULL. The raw tables that API items become also get
`api_client_id` and `external_id`, unique together for sent rows. On SQLite each
table is copied once (for the NOT NULL and the foreign key).

Backfill: PostgreSQL maps (time zone, UTC quarter hour) to local day and hour in a
temporary table and updates each table with one join; SQLite calls the rule through
a function. Moments in a quarter hour with an offset change are done one by one.

Revision ID: 0008_raw_local_day
Revises: 0007_api_clients_ingest
Create Date: 2026-12-01 15:30:00.000000

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from webapp.services.timezones import QUARTER, LocalClock, local_day_hour

# revision identifiers, used by Alembic.
revision = '0008_raw_local_day'
down_revision = '0007_api_clients_ingest'
branch_labels = None
depends_on = None

# table -> the column(s) of the moment whose local day the row stores (the first one set)
MOMENTS = {
    'learning_sessions': ('started_at',),
    'session_events': ('occurred_at',),
    'attention_spans': ('started_at',),
    'quiz_attempts': ('submitted_at', 'started_at'),
    'behavior_events': ('occurred_at',),
    'points_transactions': ('created_at',),
    'user_badges': ('awarded_at',),
}
SENT = ('learning_sessions', 'session_events', 'attention_spans', 'focus_metrics', 'quiz_attempts',
        'behavior_events')


def upgrade():
    for table in MOMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('local_day', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('local_hour', sa.SmallInteger(), nullable=True))
    bind = op.get_bind()
    for table, columns in MOMENTS.items():
        if bind.dialect.name == 'postgresql':
            _backfill_postgresql(bind, table, columns)
        else:
            _backfill_sqlite(bind, table, columns)
        _backfill_leftovers(bind, table, columns)
    for table in MOMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table in SENT:
                _add_sent_keys(batch_op, table)
            batch_op.alter_column('local_day', existing_type=sa.Date(), nullable=False)
            batch_op.alter_column('local_hour', existing_type=sa.SmallInteger(), nullable=False)
            if table == 'quiz_attempts':
                batch_op.create_index('ix_quiz_attempts_local_day', ['local_day'], unique=False)
    with op.batch_alter_table('focus_metrics', schema=None) as batch_op:
        _add_sent_keys(batch_op, 'focus_metrics')


def _add_sent_keys(batch_op, table):
    batch_op.add_column(sa.Column('api_client_id', sa.Integer(), nullable=True))
    batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
    sent = sa.text('external_id IS NOT NULL')
    batch_op.create_index(f'uq_{table}_api_client_external', ['api_client_id', 'external_id'], unique=True,
                          sqlite_where=sent, postgresql_where=sent)
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_api_client_id_api_clients'), 'api_clients',
                                ['api_client_id'], ['id'])


def _moment(columns, alias='t'):
    names = [f'{alias}.{c}' for c in columns]
    return names[0] if len(names) == 1 else f"COALESCE({', '.join(names)})"


def _backfill_postgresql(bind, table, columns):
    """Map every (zone in use, UTC quarter hour in the table's range) once, then update by a join."""
    moment = _moment(columns)
    span = bind.execute(sa.text(
        f"SELECT floor(extract(epoch FROM min({moment})) / {QUARTER}),"
        f" floor(extract(epoch FROM max({moment})) / {QUARTER}) FROM {table} t")).one()
    if span[0] is None:
        return
    zones = [z for (z,) in bind.execute(sa.text("SELECT DISTINCT timezone FROM users"))]
    clock = LocalClock()
    bind.exec_driver_sql("CREATE TEMP TABLE tmp_quarters (tz TEXT, q BIGINT, day DATE, hour SMALLINT)"
                         " ON COMMIT DROP")
    raw = bind.connection.driver_connection
    with raw.cursor() as cursor, cursor.copy("COPY tmp_quarters (tz, q, day, hour) FROM STDIN") as copy:
        for zone in zones:
            for q in range(int(span[0]), int(span[1]) + 1):
                found = clock.quarter(q, zone)
                if found is not None:
                    copy.write_row((zone, q, found[0], found[1]))
    bind.exec_driver_sql("CREATE INDEX ON tmp_quarters (tz, q)")
    bind.execute(sa.text(
        f"UPDATE {table} t SET local_day = m.day, local_hour = m.hour FROM users u, tmp_quarters m"
        f" WHERE u.id = t.user_id AND m.tz = u.timezone"
        f" AND m.q = CAST(floor(extract(epoch FROM {moment}) / {QUARTER}) AS BIGINT)"))
    bind.exec_driver_sql("DROP TABLE tmp_quarters")


def _backfill_sqlite(bind, table, columns):
    """Call the rule from SQL, memoised per zone and quarter hour."""
    clock = LocalClock()

    def local(ts, tz):
        if ts is None:
            return None
        day, hour = clock.at(datetime.fromisoformat(ts).replace(tzinfo=UTC), tz)
        return f"{day.isoformat()}|{hour}"

    raw = bind.connection.driver_connection
    raw.create_function('sd_local', 2, local, deterministic=True)
    bind.exec_driver_sql(
        f"UPDATE {table} SET local_day = substr(x.v, 1, 10), local_hour = CAST(substr(x.v, 12) AS INTEGER)"
        f" FROM (SELECT t.id AS id, sd_local({_moment(columns)}, u.timezone) AS v FROM {table} t"
        f" JOIN users u ON u.id = t.user_id) x WHERE x.id = {table}.id")


def _backfill_leftovers(bind, table, columns):
    """Rows of quarter hours with an offset change (and any the map missed), one by one."""
    rows = bind.execute(sa.text(
        f"SELECT t.id, {_moment(columns)},"
        f" u.timezone FROM {table} t JOIN users u ON u.id = t.user_id WHERE t.local_day IS NULL")).all()
    updates = []
    for row_id, at, tz in rows:
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        at = at.replace(tzinfo=UTC) if at.tzinfo is None else at
        day, hour = local_day_hour(at, tz)
        updates.append({'i': row_id, 'd': day, 'h': hour})
    if updates:
        bind.execute(sa.text(f"UPDATE {table} SET local_day = :d, local_hour = :h WHERE id = :i"), updates)


def downgrade():
    with op.batch_alter_table('focus_metrics', schema=None) as batch_op:
        _drop_sent_keys(batch_op, 'focus_metrics')
    for table in MOMENTS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            if table == 'quiz_attempts':
                batch_op.drop_index('ix_quiz_attempts_local_day')
            if table in SENT:
                _drop_sent_keys(batch_op, table)
            batch_op.drop_column('local_hour')
            batch_op.drop_column('local_day')


def _drop_sent_keys(batch_op, table):
    batch_op.drop_constraint(batch_op.f(f'fk_{table}_api_client_id_api_clients'), type_='foreignkey')
    batch_op.drop_index(f'uq_{table}_api_client_external')
    batch_op.drop_column('external_id')
    batch_op.drop_column('api_client_id')
