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


def env_int(name: str, default: int, minimum: int, maximum: int = 10**9) -> int:
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
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or self.RATELIMIT_STORAGE_URI
        self.CACHE_REDIS_URL = os.environ.get("CACHE_REDIS_URL") or self.CACHE_REDIS_URL
        if self.CACHE_REDIS_URL and self.CACHE_TYPE == "SimpleCache":
            self.CACHE_TYPE = "RedisCache"
        self.CHECK_DATABASE_AT_START = env_bool("CHECK_DATABASE_AT_START", self.CHECK_DATABASE_AT_START)
        self.REDIS_TIMEOUT_SECONDS = env_float("REDIS_TIMEOUT_SECONDS", self.REDIS_TIMEOUT_SECONDS)
        self.REDIS_RETRY_SECONDS = env_float("REDIS_RETRY_SECONDS", self.REDIS_RETRY_SECONDS)
        self.RATELIMIT_STORAGE_OPTIONS = redis_options(self.REDIS_TIMEOUT_SECONDS)

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


CONFIGS = {"production": Config, "development": DevelopmentConfig, "testing": TestingConfig}


def config_from_env() -> Config:
    """Return the config named by APP_ENV (production when unset)."""
    name = os.environ.get("APP_ENV", "production").strip().lower()
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV={name!r} is not one of {', '.join(CONFIGS)}")
    return CONFIGS[name]()
