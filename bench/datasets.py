"""Demo datasets per size and backend, built once by the real commands and cached.

SQLite files live in bench/.cache/; PostgreSQL datasets are databases named
``bench_<size>_s<seed>_<end>_<code>`` beside the server's own. The key holds the
size, the seed, the demo's last day and a digest of the code that shapes the data
(migrations, models, demo and analytics services), so a change rebuilds.
"""

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from webapp.config import normalise_database_url

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
FLASK = str(Path(sys.executable).parent / "flask")
CODE = (
    "migrations/versions",
    "webapp/models",
    "webapp/services/demo",
    "webapp/services/analytics",
    "webapp/cli",
)


def code_version() -> str:
    """Return a digest of every file that shapes a dataset."""
    digest = hashlib.sha256()
    for part in CODE:
        base = ROOT / part
        files = sorted(base.rglob("*.py")) if base.is_dir() else [base]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def flask(url: str, *args: str, timeout: float = 7200) -> subprocess.CompletedProcess:
    """Run `flask --app wsgi ARGS` against url; raise with its output when it fails."""
    env = {**os.environ, "APP_ENV": "development", "DATABASE_URL": url}
    env.pop("CACHE_REDIS_URL", None)
    result = subprocess.run(
        [FLASK, "--app", "wsgi", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"flask {' '.join(args)} failed: {' | '.join(tail)}")
    return result


@dataclass
class Dataset:
    """One built dataset: where it is and what building it cost."""

    backend: str
    size: str
    url: str
    info: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"{self.size} / {self.backend}"


class Builder:
    """Build or reuse the datasets of one run."""

    def __init__(self, seed: int, end: date, postgres_url: str | None, commands: set[str], log) -> None:
        self.seed, self.end, self.postgres_url, self.commands, self.log = (
            seed,
            end,
            postgres_url,
            commands,
            log,
        )
        # BENCH_DATA_KEY reuses datasets built by another version of the code (a change that
        # alters no data, only speed: rebuilding a large dataset takes most of an hour).
        self.key = os.environ.get("BENCH_DATA_KEY") or code_version()
        CACHE.mkdir(parents=True, exist_ok=True)

    def name(self, size: str) -> str:
        return f"bench_{size}_s{self.seed}_{self.end:%Y%m%d}_{self.key}"

    def get(self, backend: str, size: str) -> Dataset:
        """Return the dataset, building it when the cache has none."""
        info_path = CACHE / f"{self.name(size)}.{backend}.json"
        url = self._url(backend, size)
        if info_path.exists() and self._exists(backend, size):
            self.log(f"  reusing {size} on {backend} ({self.name(size)})")
            return Dataset(backend, size, url, json.loads(info_path.read_text()))
        self.log(f"  building {size} on {backend}: db upgrade, demo seed, analytics refresh ...")
        building = self._url(backend, size, suffix="_building")
        self._drop(building)
        self._create(building)
        info = self._fill(building, size)
        self._promote(backend, building, url)
        info_path.write_text(json.dumps(info, indent=2))
        return Dataset(backend, size, url, info)

    def _fill(self, url: str, size: str) -> dict:
        flask(url, "db", "upgrade")
        started = time.perf_counter()
        result = flask(
            url, "demo", "seed", "--size", size, "--seed", str(self.seed), "--end-date", str(self.end)
        )
        info = {"seed_seconds": time.perf_counter() - started, **parse_seed_output(result.stdout)}
        info["rows_in_database"] = count_rows(url)
        if "analytics refresh" in self.commands:
            started = time.perf_counter()
            flask(url, "analytics", "refresh")
            info["refresh_seconds"] = time.perf_counter() - started
        return info

    def work_copy(self, dataset: Dataset) -> str:
        """Return a throwaway copy of a dataset for measures that write."""
        if dataset.backend == "sqlite":
            target = CACHE / f"work-{uuid.uuid4().hex[:8]}.db"
            with sqlite3.connect(sqlite_path(dataset.url)) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
            return f"sqlite:///{target}"
        name = f"bench_work_{uuid.uuid4().hex[:8]}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(dataset.url).database}"')
        return make_url(dataset.url).set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        """Remove a work copy."""
        self._drop(url)

    def _url(self, backend: str, size: str, suffix: str = "") -> str:
        if backend == "sqlite":
            return f"sqlite:///{CACHE / (self.name(size) + suffix + '.db')}"
        base = make_url(normalise_database_url(self.postgres_url))
        return base.set(database=self.name(size) + suffix).render_as_string(hide_password=False)

    def _exists(self, backend: str, size: str) -> bool:
        if backend == "sqlite":
            return sqlite_path(self._url(backend, size)).exists()
        found = self._admin("SELECT 1 FROM pg_database WHERE datname = :n", n=self.name(size))
        return bool(found)

    def _create(self, url: str) -> None:
        if url.startswith("postgresql"):
            self._admin(f'CREATE DATABASE "{make_url(url).database}"')

    def _drop(self, url: str) -> None:
        if url.startswith("sqlite"):
            path = sqlite_path(url)
            for extra in ("", "-wal", "-shm"):
                Path(str(path) + extra).unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')

    def _promote(self, backend: str, building: str, final: str) -> None:
        self._drop(final)
        if backend == "sqlite":
            with sqlite3.connect(sqlite_path(building)) as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            sqlite_path(building).rename(sqlite_path(final))
            for extra in ("-wal", "-shm"):
                Path(str(sqlite_path(building)) + extra).unlink(missing_ok=True)
        else:
            old, new = make_url(building).database, make_url(final).database
            self._admin(f'ALTER DATABASE "{old}" RENAME TO "{new}"')

    def _admin(self, sql: str, **params) -> list:
        engine = create_engine(normalise_database_url(self.postgres_url), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                result = conn.execute(text(sql), params)
                return result.fetchall() if result.returns_rows else []
        finally:
            engine.dispose()


def sqlite_path(url: str) -> Path:
    """Return the file of a sqlite:/// URL."""
    return Path(make_url(url).database)


def count_rows(url: str) -> int:
    """Return the number of rows in every table of the database."""
    engine = create_engine(normalise_database_url(url))
    try:
        with engine.connect() as conn:
            if engine.dialect.name == "postgresql":
                names = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
            else:
                names = conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))
            tables = [n for (n,) in names if n != "alembic_version" and not n.startswith("sqlite_")]
            counts = [f'SELECT count(*) FROM "{t}"' for t in tables]  # noqa: S608 - names from the catalogue
            return sum(conn.execute(text(sql)).scalar_one() for sql in counts)
    finally:
        engine.dispose()


_RAW = re.compile(r"raw rows written\s+([\d,]+)")
_RATE = re.compile(r"([\d,]+) rows/s over ([\d.]+) s")
_DERIVED = re.compile(r"derived by the rules engine: ([\d,]+) rows in ([\d.]+) s")


def parse_seed_output(stdout: str) -> dict:
    """Pick the figures `demo seed` prints about itself, where it prints them."""
    info: dict = {}
    if match := _RAW.search(stdout):
        info["raw_rows"] = int(match.group(1).replace(",", ""))
    if match := _RATE.search(stdout):
        info["reported_rows_per_s"] = int(match.group(1).replace(",", ""))
        info["reported_seconds"] = float(match.group(2))
    if match := _DERIVED.search(stdout):
        info["derived_rows"] = int(match.group(1).replace(",", ""))
        info["derived_seconds"] = float(match.group(2))
    return info
