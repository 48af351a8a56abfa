"""What the numbers were measured on: cores, memory, load, database versions."""

import os
import platform
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, text

from webapp.config import normalise_database_url


def cpu_model() -> str:
    """Return the CPU model name, if the system says."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def memory_gib() -> float | None:
    """Return total memory in GiB."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return None


def postgres_version(url: str | None) -> str | None:
    """Return the server version of the PostgreSQL at url, or None."""
    if not url:
        return None
    try:
        engine = create_engine(normalise_database_url(url))
        try:
            with engine.connect() as conn:
                return conn.execute(text("SHOW server_version")).scalar_one()
        finally:
            engine.dispose()
    except Exception:  # a description, never a failure
        return None


def describe(postgres_url: str | None) -> list[tuple[str, str]]:
    """Return (label, value) pairs describing the machine and the databases."""
    memory = memory_gib()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        ("CPU", f"{cpu_model()}, {os.cpu_count()} cores"),
        ("memory", f"{memory:.1f} GiB" if memory else "unknown"),
        ("load average (1/5/15 min) at start", load),
        ("Python", platform.python_version()),
        ("SQLite", sqlite3.sqlite_version),
        ("PostgreSQL", postgres_version(postgres_url) or "not used"),
        ("OS", platform.platform()),
    ]


def load_average() -> str:
    """Return the 1-minute load average now, as text."""
    return f"{os.getloadavg()[0]:.2f}"
