"""Throwaway databases for the test suite, and the SQL a block of it runs."""

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from webapp.config import normalise_database_url
from webapp.extensions import db


def in_ci() -> bool:
    """Whether we run under CI, where a missing PostgreSQL is a failure."""
    return os.environ.get("CI", "").lower() == "true"


def postgres_base_url() -> str | None:
    """Return TEST_DATABASE_URL normalised for psycopg 3, or None."""
    url = os.environ.get("TEST_DATABASE_URL")
    return normalise_database_url(url) if url else None


@contextmanager
def scratch_postgres_database(base_url: str, label: str) -> Iterator[str]:
    """Create an empty PostgreSQL database beside base_url; drop it afterwards."""
    url = make_url(base_url)
    name = f"{url.database}_{label}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Statements(list):
    """The SQL statements the app's engine runs while the block runs, whitespace folded."""

    def __enter__(self) -> "Statements":
        event.listen(db.engine, "before_cursor_execute", self._note)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(db.engine, "before_cursor_execute", self._note)

    def _note(self, conn, cursor, statement, *args) -> None:
        self.append(" ".join(statement.split()))

    def on(self, table: str) -> list[str]:
        """The statements that read from table."""
        return [s for s in self if re.search(rf"\bFROM {table}\b", s)]
