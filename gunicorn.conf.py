"""Gunicorn settings for ShikshaDisha Admin: `gunicorn -c gunicorn.conf.py wsgi:app` (or `make serve`).

Every setting can be overridden from the environment:

- ``BIND`` (default ``127.0.0.1:8000``; ``0.0.0.0:8000`` in a container) or ``HOST``/``PORT``;
- ``WEB_CONCURRENCY``: worker processes (default 2 x cores + 1, at most 8, since
  each worker holds its own database pool);
- ``GUNICORN_TIMEOUT`` (seconds a request may take, default 60; CSV exports and
  the first uncached report of a large district are the slow ones);
- ``GUNICORN_PRELOAD`` (default on): load the app once in the master before
  forking, so that a missing ``SECRET_KEY`` or an unreachable database stops
  gunicorn at once with one line and a non-zero exit, instead of workers
  crashing and being restarted forever; set ``0`` to load in each worker;
- ``GUNICORN_CONTROL_SOCKET``: path of gunicorn's control socket (off by default,
  since several instances on one host would share ``~/.gunicorn/gunicorn.ctl``);
- ``GUNICORN_ACCESS_LOG`` (default ``-``, stdout; empty to switch it off) and
  ``GUNICORN_LOG_LEVEL`` (default ``info``).

Behind a reverse proxy set ``PROXY_FIX_HOPS`` (read by the app, not here) so
that client addresses and https links come from the X-Forwarded-* headers.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    return value in {"1", "true", "yes", "on"} if value else default


def default_workers(cores: int | None = None) -> int:
    """Return 2 x cores + 1, capped at 8 (PostgreSQL connections are the scarce resource)."""
    cores = cores or multiprocessing.cpu_count()
    return min(2 * cores + 1, 8)


bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = _int("WEB_CONCURRENCY", default_workers())
worker_class = "sync"
# The app (and its start-up checks) loads in the master; the database engine is
# disposed after the check, so no connection is shared by the forked workers.
preload_app = _bool("GUNICORN_PRELOAD", True)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that a slow leak never takes a server down.
max_requests = _int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 500)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "shikshadisha"
_control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "").strip()
control_socket_disable = not _control_socket
if _control_socket:
    control_socket = _control_socket
