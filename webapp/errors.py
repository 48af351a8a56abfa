"""Error pages: our own page for every error, and a 503 that needs no database when it is down.

No exception text, SQL or database message ever reaches a page; the details go
to the log. When the database does not answer, every request (a page, a 404,
an error page whose header would load the signed-in user) gets the 503 page,
which renders without the database, with Retry-After.
"""

from flask import Flask, render_template
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from webapp.extensions import db
from webapp.i18n import N_

# Errors that mean "the database does not answer" (refused, reset, timed out, pool exhausted),
# as opposed to a bad statement. SQLite's "unable to open" and "locked" are OperationalErrors too.
DATABASE_DOWN = (OperationalError, InterfaceError, DisconnectionError, PoolTimeoutError)

ERROR_MESSAGES = {
    400: N_("The request could not be understood (was the form stale? reload and try again)."),
    403: N_("You do not have access to this page."),
    404: N_("There is nothing here."),
    405: N_("That method is not allowed here."),
    413: N_("The upload is too large."),
    429: N_("Too many attempts. Wait a minute and try again."),
    500: N_("Something went wrong on our side. It has been logged."),
}
UNAVAILABLE_RETRY_SECONDS = 30


def register_errorhandlers(app: Flask) -> None:
    """Render our own error pages, and the 503 page whenever the database does not answer."""
    from webapp.api.errors import api_error_response, is_api_request, problem

    def render_error(error: Exception):
        if is_api_request():  # the API answers problem details, also for 404 and 405 of its routes
            return api_error_response(error)
        code = error.code if isinstance(error, HTTPException) else 500
        if code == 500:
            _rollback()
            app.logger.exception("unhandled error", exc_info=error)
        message = ERROR_MESSAGES.get(code, N_("The request failed."))
        try:
            return render_template("errors/error.html", code=code, message=message), code
        except DATABASE_DOWN as exc:  # the page's header loads the user from the database
            return unavailable(exc)

    def unavailable(error: Exception):
        _rollback()
        app.logger.warning("database unavailable: %s", type(getattr(error, "orig", None) or error).__name__)
        retry = {"Retry-After": str(UNAVAILABLE_RETRY_SECONDS)}
        if is_api_request():
            return problem(503, "The database does not answer; send the batch again later.", headers=retry)
        # Straight from the environment: render_template's context processors load the user.
        page = app.jinja_env.get_template("errors/unavailable.html").render(retry=UNAVAILABLE_RETRY_SECONDS)
        return page, 503, {**retry, "Cache-Control": "no-store"}

    for code in ERROR_MESSAGES:
        app.register_error_handler(code, render_error)
    for kind in DATABASE_DOWN:
        app.register_error_handler(kind, unavailable)
    app.register_error_handler(Exception, render_error)


def _rollback() -> None:
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.invalidate()  # the connection is gone: drop it rather than fail again
