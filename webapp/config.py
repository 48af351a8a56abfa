"""Settings read from the environment, one class per way of running the app."""

import os
from datetime import timedelta


class ConfigError(RuntimeError):
    """The environment does not allow the app to start."""


def env_bool(name: str, default: bool = False) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on")."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_float(name: str, default: float, maximum: float = 3600, unit: str = "seconds") -> float:
    """Read a positive number (of seconds) from the environment; ConfigError if it is not one."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not 0 < number <= maximum:
        raise ConfigError(f"{name}={value!r} is not a number of {unit} above 0 and at most {maximum:g}")
    return number


def env_int(name: str, default: int, minimum: int = 0, maximum: int = 10**9) -> int:
    """Read a whole number from the environment; ConfigError if it is not one in range."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if (
        not value.lstrip("-").isascii()
        or not value.lstrip("-").isdigit()
        or not minimum <= int(value) <= maximum
    ):
        raise ConfigError(f"{name}={value!r} is not a whole number from {minimum} to {maximum}")
    return int(value)


def redis_options(timeout: float) -> dict[str, float]:
    """Return the Redis client options of every Redis the app talks to: short timeouts."""
    return {"socket_timeout": timeout, "socket_connect_timeout": timeout}


def normalise_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver that we install."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Production defaults: nothing secret has a default."""

    ENV_NAME = "production"
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    # Report pages and CSVs read from this PostgreSQL streaming replica when set (webapp/replica.py).
    REPLICA_DATABASE_URL: str | None = None
    REPLICA_LAG_NOTICE_SECONDS = 30.0  # pages say how far behind the replica is past this
    REPLICA_RETRY_SECONDS = 30.0  # after the replica failed to answer, read the primary this long
    REPLICA_CONNECT_TIMEOUT = 2
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)  # from the login, however active the session
    SESSION_IDLE_MINUTES = 30  # a staff session ends after this long without a request
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    # The ingest API's own body limit (1,000 items of up to ~10 kB each); larger bodies get 413.
    API_MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    # Points adjustments in the admin: at most this many points either way, never below this balance.
    POINTS_ADJUSTMENT_LIMIT = 5_000
    POINTS_LOWEST_BALANCE = 0
    # Admin CSV exports larger than this are refused with a message (narrow them with filters).
    ADMIN_EXPORT_MAX_ROWS = 1_000_000
    PROXY_FIX_HOPS = 0
    # Redis (cache, limiter, throttle counts): give up on a call after this many seconds, then
    # skip Redis for REDIS_RETRY_SECONDS; the app works without it (see webapp.services.breaker).
    REDIS_TIMEOUT_SECONDS = 0.25
    REDIS_RETRY_SECONDS = 30.0
    # Rate limits (Flask-Limiter): memory unless RATELIMIT_STORAGE_URI (or CACHE_REDIS_URL) names
    # a Redis that several app servers share; with that Redis down, counts fall back to memory.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Login POSTs per client address and minute, right or wrong: a flood guard in front of
    # the password hash. Guessing is held back by the failure throttle (webapp.auth.throttle).
    LOGIN_FLOOD_LIMIT = "120 per minute"
    # Report data cache: in-process by default, Redis (shared by app servers) when set.
    CACHE_REDIS_URL: str | None = None
    CACHE_TYPE = "SimpleCache"
    CACHE_DEFAULT_TIMEOUT = 300
    CACHE_THRESHOLD = 2000
    CACHE_KEY_PREFIX = "shikshadisha:"
    # Refuse to start in production when the database does not answer.
    CHECK_DATABASE_AT_START = True
    # Flask-Compress: pages, CSV and JSON per response (static files are pre-compressed).
    # BREACH needs thousands of cross-site requests carrying the victim's cookies: the
    # session cookie is SameSite=Lax, so such subresource requests come without it.
    COMPRESS_MIMETYPES = ["text/html", "text/csv", "text/plain", "application/json"]
    # Background jobs (webapp/jobs): Celery with Redis in production. Without a broker the
    # development server runs them in an embedded scheduler thread (JOBS_EMBEDDED).
    CELERY_BROKER_URL: str | None = None
    CELERY_VISIBILITY_TIMEOUT = 7200  # seconds; longer than the longest job's lease
    CELERY_BEAT_SCHEDULE_FILE = "celerybeat-schedule"
    JOBS_EMBEDDED = False
    # Links in emails (the teachers' digest, unsubscribe) start with this, e.g. https://admin.example.org
    APP_BASE_URL: str | None = None
    LEARNER_APP_URL = "https://learn.example.org"
    # Email: SMTP; without a host, development writes messages to MAIL_OUTBOX_DIR instead.
    MAIL_SMTP_HOST: str | None = None
    MAIL_SMTP_PORT = 587
    MAIL_SMTP_USERNAME: str | None = None
    MAIL_SMTP_PASSWORD: str | None = None
    MAIL_SMTP_STARTTLS = True
    MAIL_SMTP_SSL = False
    MAIL_SMTP_TIMEOUT = 30
    MAIL_FROM = "ShikshaDisha <no-reply@shikshadisha.invalid>"
    MAIL_OUTBOX_DIR: str | None = None
    # Push: POST to the platform's push gateway.
    PUSH_GATEWAY_URL: str | None = None
    PUSH_GATEWAY_TOKEN: str | None = None
    PUSH_TIMEOUT = 10
    # Delivery rules.
    NOTIFY_DAILY_CAP = 5  # push and email messages per learner per local day
    NOTIFY_MAX_ATTEMPTS = 5
    NOTIFY_RETRY_BASE_SECONDS = 60  # back-off: 1, 2, 4, 8 minutes...
    NOTIFY_SEND_LEASE_SECONDS = 300
    NOTIFY_BATCH = 200

    def __init__(self) -> None:
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or self.SECRET_KEY
        url = os.environ.get("DATABASE_URL")
        if url:
            self.SQLALCHEMY_DATABASE_URI = normalise_database_url(url)
        idle = env_float("SESSION_IDLE_MINUTES", self.SESSION_IDLE_MINUTES, maximum=8 * 60, unit="minutes")
        self.SESSION_IDLE_MINUTES = idle
        self.POINTS_ADJUSTMENT_LIMIT = env_int("POINTS_ADJUSTMENT_LIMIT", self.POINTS_ADJUSTMENT_LIMIT, 1)
        self.POINTS_LOWEST_BALANCE = env_int("POINTS_LOWEST_BALANCE", self.POINTS_LOWEST_BALANCE, -(10**9))
        self.ADMIN_EXPORT_MAX_ROWS = env_int("ADMIN_EXPORT_MAX_ROWS", self.ADMIN_EXPORT_MAX_ROWS, 1)
        self.PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", self.PROXY_FIX_HOPS))
        self.API_MAX_CONTENT_LENGTH = int(
            os.environ.get("API_MAX_CONTENT_LENGTH", self.API_MAX_CONTENT_LENGTH)
        )
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or self.RATELIMIT_STORAGE_URI
        self.CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or self.CACHE_REDIS_URL
        if self.CACHE_REDIS_URL and self.CACHE_TYPE == "SimpleCache":
            self.CACHE_TYPE = "RedisCache"
        self.REPLICA_DATABASE_URL = os.environ.get("REPLICA_DATABASE_URL") or self.REPLICA_DATABASE_URL
        self.REPLICA_LAG_NOTICE_SECONDS = env_float(
            "REPLICA_LAG_NOTICE_SECONDS", self.REPLICA_LAG_NOTICE_SECONDS
        )
        self.REPLICA_RETRY_SECONDS = env_float("REPLICA_RETRY_SECONDS", self.REPLICA_RETRY_SECONDS)
        self.CHECK_DATABASE_AT_START = env_bool("CHECK_DATABASE_AT_START", self.CHECK_DATABASE_AT_START)
        self.REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", self.REDIS_TIMEOUT_SECONDS)
        self.REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", self.REDIS_RETRY_SECONDS)
        self.RATELIMIT_STORAGE_OPTIONS = redis_options(self.REDIS_TIMEOUT_SECONDS)
        self._read_jobs_and_delivery()

    def _read_jobs_and_delivery(self) -> None:
        """Read the background-job, email and push settings."""
        for name in ("CELERY_BROKER_URL", "CELERY_BEAT_SCHEDULE_FILE", "APP_BASE_URL", "LEARNER_APP_URL",
                     "MAIL_SMTP_HOST", "MAIL_SMTP_USERNAME", "MAIL_SMTP_PASSWORD", "MAIL_FROM",
                     "MAIL_OUTBOX_DIR", "PUSH_GATEWAY_URL", "PUSH_GATEWAY_TOKEN"):  # fmt: skip
            setattr(self, name, os.environ.get(name) or getattr(self, name))
        for name in ("CELERY_VISIBILITY_TIMEOUT", "MAIL_SMTP_PORT", "MAIL_SMTP_TIMEOUT", "PUSH_TIMEOUT",
                     "NOTIFY_DAILY_CAP", "NOTIFY_MAX_ATTEMPTS", "NOTIFY_RETRY_BASE_SECONDS",
                     "NOTIFY_SEND_LEASE_SECONDS", "NOTIFY_BATCH"):  # fmt: skip
            setattr(self, name, env_int(name, getattr(self, name)))
        for name in ("MAIL_SMTP_STARTTLS", "MAIL_SMTP_SSL"):
            setattr(self, name, env_bool(name, getattr(self, name)))
        self.JOBS_EMBEDDED = env_bool("JOBS_EMBEDDED", self.JOBS_EMBEDDED and not self.CELERY_BROKER_URL)

    def validate(self) -> None:
        """Refuse to start without what production needs."""
        if not self.SECRET_KEY:
            raise ConfigError("SECRET_KEY is not set: export SECRET_KEY (a long random string)")


class DevelopmentConfig(Config):
    """Local development: a fixed, public secret and cookies over plain HTTP."""

    ENV_NAME = "development"
    SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - public on purpose
    CHECK_DATABASE_AT_START = False
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    # `make run` moves by itself: jobs in the web process, mail and push written to files.
    JOBS_EMBEDDED = True
    APP_BASE_URL = "http://127.0.0.1:5000"
    MAIL_OUTBOX_DIR = "outbox"  # inside the instance folder


class TestingConfig(DevelopmentConfig):
    """The test suite: a database given by the tests."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-not-secret"  # noqa: S105 - public on purpose
    # Every test client comes from 127.0.0.1: the throttle tests switch it back on.
    RATELIMIT_ENABLED = False
    # One app serves a whole test session over emptied tables: cached report data
    # would leak between tests. Tests of the cache itself set CACHE_TYPE="SimpleCache".
    CACHE_TYPE = "NullCache"
    CACHE_NO_NULL_WARNING = True
    # Jobs run when a test runs them; nothing is sent anywhere a test did not set up.
    JOBS_EMBEDDED = False
    MAIL_OUTBOX_DIR = None


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestingConfig}


def config_from_env() -> Config:
    """Return the config named by APP_ENV (production when unset)."""
    name = os.environ.get("APP_ENV", "production").strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}")
    return CONFIGS[name]()
