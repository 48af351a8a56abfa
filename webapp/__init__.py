"""ShikshaDisha Admin: the admin and reporting web app of the ShikshaDisha platform."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import Config, config_from_env, redis_options
from webapp.extensions import cache, compress, csrf, db, login_manager, migrate
from webapp.i18n import N_

MIGRATIONS_DIR = str(Path(__file__).resolve().parent.parent / "migrations")


def create_app(config: Config | None = None) -> Flask:
    """Build the app from a config object (or from the environment)."""
    app = Flask(__name__, instance_relative_config=True)
    config = config or config_from_env()
    app.config.from_object(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = Path(app.instance_path) / "shikshadisha.db"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    config.validate()
    register_extensions(app)
    init_i18n(app)
    register_blueprints(app)
    init_security(app)
    init_admin(app)
    register_commands(app)
    register_errorhandlers(app)
    register_serving(app)
    register_jobs(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    if app.config.get("CACHE_TYPE") == "RedisCache":
        app.config.setdefault("CACHE_OPTIONS", redis_options(app.config.get("REDIS_TIMEOUT_SECONDS", 0.25)))
    cache.init_app(app)
    compress.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to see this page.")  # translated by webapp.i18n
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    import webapp.auth.sessions  # noqa: F401  (registers the user loader)
    from webapp.services.timezones import install_orm_hook

    install_orm_hook()


def init_i18n(app: Flask) -> None:
    """Flask-Babel: the request's language (the staff member's, the browser's, English)."""
    from webapp.i18n import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints."""
    from webapp.api import init_api
    from webapp.auth import bp as auth_bp
    from webapp.digest import bp as digest_bp
    from webapp.main import bp as main_bp
    from webapp.reports import bp as reports_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(digest_bp)
    init_api(app)


def init_security(app: Flask) -> None:
    """Session limits, login throttling and the security headers of every response."""
    from webapp.auth.headers import init_security_headers
    from webapp.auth.sessions import init_session_limits
    from webapp.auth.throttle import init_throttle

    init_session_limits(app)
    init_throttle(app)
    init_security_headers(app)


def init_admin(app: Flask) -> None:
    """Create this app's own Flask-Admin (never a module-level one)."""
    from webapp.admin import init_admin as build_admin

    build_admin(app)


def register_serving(app: Flask) -> None:
    """Production plumbing: request logs, /healthz, proxy headers, the database check."""
    from webapp.health import register_health, require_database
    from webapp.observability import register_request_logging

    register_request_logging(app)
    register_health(app)
    hops = app.config.get("PROXY_FIX_HOPS", 0)
    if hops > 0:
        # Trust X-Forwarded-For/-Proto/-Host/-Port from this many proxies in front of us.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    if app.config.get("CHECK_DATABASE_AT_START"):
        require_database(app)


def register_jobs(app: Flask) -> None:
    """The Celery app over this factory, and (`make run`, no broker) the embedded scheduler."""
    from webapp.jobs import init_jobs
    from webapp.jobs.embedded import start_with_first_request

    init_jobs(app)
    if app.config.get("JOBS_EMBEDDED"):
        start_with_first_request(app)


def register_commands(app: Flask) -> None:
    """Attach the flask sub-commands."""
    from webapp.cli import register_commands as register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    """Render our own error pages (webapp.errors): no exception or database text, 503 without a database."""
    from webapp.errors import register_errorhandlers as register

    register(app)
