"""Login throttling: failed logins slow down guessing, and never lock the owner out for long.

Only failures count, in a store every worker shares (`throttle_store`: Redis
when configured, else, and whenever Redis fails, the database), under three
keys at once:

| key | free failures | then a wait of | that stops |
|---|---|---|---|
| the account and the address together | 5 | 2 s, doubling, at most 5 min | one source guessing one account |
| the account, from any address | 10 | 1 s, doubling, at most 1 min | many sources guessing one account |
| the address, for any account | 20 | 1 s, doubling, at most 5 min | one source trying many accounts |

A wait runs from the key's last failure; attempts refused while waiting are
not checked and not counted, and 15 minutes without a failure start a key
afresh. A successful login clears its account-and-address key and marks the
browser as known for that account (a signed cookie, only sent to /login):
known browsers skip the account-wide and address-wide waits, so a stranger
hammering a teacher's account from anywhere cannot keep her out of it from a
browser she used before, and from a new one for a minute at most. A school
behind one address does not share a budget of successes: 30 teachers logging
in at 8 am count nothing. Unknown emails count like real ones (nothing tells
them apart). Addresses are counted per host, and per /64 network for IPv6.

In front of all this, Flask-Limiter caps login POSTs per address and minute
(LOGIN_FLOOD_LIMIT, right or wrong), so nobody can keep the password hash busy.
"""

import hashlib
import hmac
import ipaddress
import time
from dataclasses import dataclass, field

from flask import Flask, Response, current_app, request
from flask.logging import default_handler
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from itsdangerous import BadSignature, URLSafeTimedSerializer
from redis import Redis

from webapp.auth.accounts import email_key
from webapp.auth.throttle_store import Count, DatabaseStore, RedisStore
from webapp.extensions import db
from webapp.services.breaker import Breaker

WINDOW = 15 * 60.0
DEVICE_COOKIE = "shikshadisha_known"
DEVICE_DAYS = 180
DEVICE_ACCOUNTS = 5  # accounts remembered per browser (a shared staff-room computer)


@dataclass(frozen=True)
class Rule:
    """Free failures, then a wait from the last failure that doubles from `base` up to `cap` seconds."""

    free: int
    base: float
    cap: float

    def wait(self, count: Count | None, now: float) -> float:
        """Seconds still to wait after these failures (0: go ahead)."""
        if count is None or count.failures < self.free or now - count.last_failed_at > WINDOW:
            return 0.0
        delay = min(self.cap, self.base * 2.0 ** min(count.failures - self.free, 32))
        return max(0.0, count.last_failed_at + delay - now)


RULES = {
    "pair": Rule(free=5, base=2.0, cap=300.0),
    "account": Rule(free=10, base=1.0, cap=60.0),
    "address": Rule(free=20, base=1.0, cap=300.0),
}
KNOWN_BROWSER_RULES = ("pair",)


def now() -> float:
    """The current time in epoch seconds (tests move it)."""
    return time.time()


def address_key(address: str | None) -> str:
    """Return the counted form of a client address: the host, or its /64 network for IPv6."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if ip.version == 4:
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/64", strict=False))


@dataclass
class LoginAttempt:
    """One login POST: its three throttle keys, and whether its browser is known for the account."""

    throttle: "LoginThrottle"
    account: str
    address: str
    known_browser: bool
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        values = {"pair": f"{self.account}|{self.address}", "account": self.account, "address": self.address}
        self.keys = {scope: (scope, self.throttle.digest(scope, value)) for scope, value in values.items()}

    def applicable(self) -> dict[str, tuple[str, str]]:
        """The keys whose rules this attempt answers to."""
        if not self.known_browser:
            return self.keys
        return {scope: key for scope, key in self.keys.items() if scope in KNOWN_BROWSER_RULES}

    def retry_after(self) -> int:
        """Whole seconds to wait before this attempt may be checked (0: check it now)."""
        keys = self.applicable()
        counts = self.throttle.store.read(keys.values())
        moment = now()
        waits = [RULES[scope].wait(counts.get(key), moment) for scope, key in keys.items()]
        return int(-(-max(waits, default=0.0) // 1))

    def failed(self) -> None:
        """Count this failure under every key (a known browser's too: others guess from elsewhere)."""
        self.throttle.store.add_failure(self.keys.values(), now(), WINDOW)

    def succeeded(self, response: Response) -> None:
        """Clear this account-and-address key and remember the browser for the account."""
        self.throttle.store.clear([self.keys["pair"]])
        self.throttle.remember_browser(response, self.account)


class LoginThrottle:
    """This app's login throttle: its store, its keyed digests and its known-browser cookie."""

    def __init__(self, app: Flask) -> None:
        secret = str(app.config["SECRET_KEY"]).encode()
        self.secret = hmac.new(secret, b"login-throttle", hashlib.sha256).digest()
        self.cookies = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="login-known-browser")
        self.enabled = bool(app.config.get("RATELIMIT_ENABLED", True))
        self.secure = bool(app.config.get("SESSION_COOKIE_SECURE", True))
        with app.app_context():
            database = DatabaseStore(db.engine)
        url = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("CACHE_REDIS_URL")
        self.store = database
        if url and url.startswith(("redis://", "rediss://", "unix://")):
            timeout = app.config.get("REDIS_TIMEOUT_SECONDS", 0.25)
            client = Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
            breaker = Breaker("login throttle store (Redis)", app.config.get("REDIS_RETRY_SECONDS", 30.0))
            self.store = RedisStore(client, database, breaker, app.config.get("CACHE_KEY_PREFIX", ""))

    def digest(self, scope: str, value: str) -> str:
        """Return the keyed digest under which a key is stored (never the email or address itself)."""
        return hmac.new(self.secret, f"{scope}:{value}".encode(), hashlib.sha256).hexdigest()

    def attempt(self, email: str) -> LoginAttempt:
        """Return the attempt of the current request to log in as email."""
        account = email_key(email)[:254]
        known = self.digest("browser", account) in self.known_accounts()
        return LoginAttempt(self, account, address_key(request.remote_addr), known)

    def known_accounts(self) -> list[str]:
        """The account digests this browser has logged in to (from its signed cookie)."""
        raw = request.cookies.get(DEVICE_COOKIE)
        if not raw:
            return []
        try:
            value = self.cookies.loads(raw, max_age=DEVICE_DAYS * 86400)
        except BadSignature:
            return []
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def remember_browser(self, response: Response, account: str) -> None:
        """Add the account to this browser's known-accounts cookie (most recent first)."""
        mine = self.digest("browser", account)
        accounts = [mine, *(a for a in self.known_accounts() if a != mine)][:DEVICE_ACCOUNTS]
        response.set_cookie(
            DEVICE_COOKIE, self.cookies.dumps(accounts), max_age=DEVICE_DAYS * 86400, path="/login",
            secure=self.secure, httponly=True, samesite="Lax",
        )  # fmt: skip


class Unthrottled:
    """An attempt when throttling is switched off (RATELIMIT_ENABLED=0): never waits, counts nothing."""

    def retry_after(self) -> int:
        """Never wait."""
        return 0

    def failed(self) -> None:
        """Count nothing."""

    def succeeded(self, response: Response) -> None:
        """Remember nothing."""


def login_attempt(email: str) -> LoginAttempt | Unthrottled:
    """Return the current request's attempt to log in as email, under this app's throttle."""
    throttle = current_app.extensions.get("login_throttle")
    if throttle is None or not throttle.enabled:
        return Unthrottled()
    return throttle.attempt(email)


def storage_uri(app: Flask) -> str:
    """Return where Flask-Limiter counts: the configured URI, else Redis of the cache, else memory."""
    return app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("CACHE_REDIS_URL") or "memory://"


def init_throttle(app: Flask) -> Limiter:
    """Create this app's failure throttle and its limiter, and cap login POSTs per address."""
    # Off: Flask-Limiter would overwrite the Retry-After that the failure throttle sets.
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", False)
    app.extensions["login_throttle"] = LoginThrottle(app)
    limiter = Limiter(key_func=get_remote_address, storage_uri=storage_uri(app), default_limits=[])
    limiter.init_app(app)
    # Flask-Limiter logs to a NullHandler only: "storage unreachable, falling back" must be seen.
    if default_handler not in limiter.logger.handlers:
        limiter.logger.addHandler(default_handler)
    view = app.view_functions["auth.login"]
    flood = app.config.get("LOGIN_FLOOD_LIMIT", "120 per minute")
    app.view_functions["auth.login"] = limiter.limit(flood, methods=["POST"])(view)
    # Flask-Limiter holds the limiter weakly: the app keeps it alive (and other views may use it).
    app.extensions["login_limiter"] = limiter
    return limiter
