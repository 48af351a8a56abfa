"""Entry point of the Celery processes, over the same factory as the web app.

celery -A webapp.jobs.worker worker --loglevel=INFO     # any number, on any hosts
celery -A webapp.jobs.worker beat --loglevel=INFO       # exactly one
"""

import sys

from webapp import create_app
from webapp.config import ConfigError

try:
    flask_app = create_app()  # not `app`: celery -A looks for `app` first, and it must find Celery's
except ConfigError as exc:
    sys.exit(f"error: {exc}")
celery = flask_app.extensions["celery"]
