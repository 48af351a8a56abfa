"""Background jobs on Celery, over the same `create_app` factory as the web app.

Production: Redis as broker (`CELERY_BROKER_URL`), any number of workers
(`celery -A webapp.jobs.worker worker`) on any number of hosts, and exactly one
beat (`celery -A webapp.jobs.worker beat`) that sends each job of the schedule
table (webapp/jobs/schedule.py) when it is due. Messages are acknowledged after
the task ran (`acks_late`) and given back when a worker dies, so a job that was
interrupted runs again; every job is safe to run twice and takes its lock.

On one machine without Redis (`make run`, no `CELERY_BROKER_URL`) an embedded
scheduler thread in the web process runs the same tasks on the same schedule
(webapp/jobs/embedded.py says why that and not a broker on SQLite).
"""

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask, has_app_context

from webapp.extensions import db
from webapp.jobs.schedule import beat_schedule


def init_jobs(app: Flask) -> Celery:
    """Create this app's Celery app (tasks run inside the Flask app's context) and the job log."""
    from webapp.jobs.runner import init_logging

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            if has_app_context():  # run in place: a test, the embedded scheduler, `flask jobs run`
                return self.run(*args, **kwargs)
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=app.config.get("CELERY_BROKER_URL") or "memory://",
        broker_connection_retry_on_startup=True,
        broker_transport_options={"visibility_timeout": app.config["CELERY_VISIBILITY_TIMEOUT"]},
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,  # the job lines are JSON on stderr already
        timezone="UTC",
        enable_utc=True,
        beat_schedule=beat_schedule(),
        beat_schedule_filename=app.config["CELERY_BEAT_SCHEDULE_FILE"],
    )
    celery.set_default()
    app.extensions["celery"] = celery

    @worker_process_init.connect(weak=False)
    def _own_connections(**_kwargs) -> None:
        # A forked pool process must never reuse a connection its parent opened.
        with app.app_context():
            db.engine.dispose(close=False)

    init_logging(app.testing)
    import webapp.jobs.tasks  # noqa: F401  (registers the tasks)

    return celery
