"""Entry point for `flask --app wsgi` and for gunicorn (`wsgi:app`)."""

import sys

from webapp import create_app
from webapp.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"error: {exc}")
