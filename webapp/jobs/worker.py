"""Entry point of the Celery processes, over the same factory as the web app.

celery -A webapp.jobs.worker worker --loglevel=INFO     # any number, on any hosts
celery -A webapp.jobs.worker beat --loglevel=INFO       # exactly one
"""

import sys

from webapp import create_app
from webapp.config import ConfigError

try:
    app = create_app()
except ConfigError as exc:
    sys.exit(f"error: {exc}")
celery = app.extensions["celery"]
