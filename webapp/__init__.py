"""ShikshaDisha Admin: the admin and reporting web app of the ShikshaDisha platform."""

import os
from pathlib import Path

from flask import Flask

from webapp.config import Config, config_from_env
from webapp.extensions import db, migrate

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
    register_blueprints(app)
    register_commands(app)
    register_errorhandlers(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind the extensions to this app."""
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True, compare_type=True)


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints."""
    from webapp.main import bp as main_bp

    app.register_blueprint(main_bp)


def register_commands(app: Flask) -> None:
    """Attach the flask sub-commands."""
    from webapp.cli import register_commands as register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    """Render our own error pages."""
