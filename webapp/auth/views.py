"""Login and logout."""

from flask import Response, flash, g, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from webapp.auth import bp
from webapp.auth.accounts import find_user
from webapp.auth.forms import LoginForm, LogoutForm
from webapp.auth.passwords import verify_password
from webapp.auth.redirects import safe_next
from webapp.auth.sessions import end_sessions, start_session
from webapp.auth.throttle import login_attempt
from webapp.extensions import db
from webapp.i18n import N_, tr
from webapp.models import User
from webapp.models.core.mixins import utcnow

LOGIN_FAILED = N_("Invalid email or password.")
LOGGED_OUT = N_("You have logged out.")


def authenticate(email: str, password: str) -> User | None:
    """Return the staff user these credentials belong to, or None (same cost either way)."""
    user = find_user(db.session, email)
    ok = verify_password(user.password_hash if user else None, password)
    if ok and user.is_active and user.is_staff:
        return user
    return None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the login form; sign a staff member in (failed attempts are throttled)."""
    form = LoginForm()
    if not form.validate_on_submit():
        return _login_page(form)
    attempt = login_attempt(form.email.data)
    wait = attempt.retry_after()
    if wait:
        flash(
            tr("Too many failed logins for this account or from this network. Try again in {wait} s.").format(
                wait=wait
            )
        )
        return _login_page(form, wait)
    user = authenticate(form.email.data, form.password.data)
    if user is None:
        attempt.failed()
        flash(tr(LOGIN_FAILED), "danger")
        return _login_page(form)
    response = _signed_in(user)
    attempt.succeeded(response)
    return response


def _login_page(form: LoginForm, wait: int = 0) -> Response:
    response = make_response(render_template("auth/login.html", form=form), 429 if wait else 200)
    response.headers["Cache-Control"] = "no-store"
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def _signed_in(user: User) -> Response:
    session.clear()  # no state carried over from before the login (fixation)
    g.pop("csrf_token", None)  # and no CSRF token cached for the old session
    login_user(user)
    session.permanent = True  # bounded by the idle and absolute limits of webapp.auth.sessions
    start_session()
    user.last_seen_at = utcnow()  # "Last seen" on the staff accounts
    db.session.commit()
    return redirect(safe_next(request.args.get("next")))


@bp.post("/logout")
def logout():
    """Sign out and end every session of this user."""
    form = LogoutForm()
    was_signed_in = current_user.is_authenticated
    if form.validate_on_submit() and was_signed_in:
        end_sessions(current_user)
        db.session.commit()
    logout_user()
    if was_signed_in:
        flash(tr(LOGGED_OUT), "success")
    return redirect(url_for("auth.login"))
