"""Forms of the auth blueprint (Flask-WTF: every form carries a CSRF token)."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Length

from webapp.i18n import lazy_tr


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(
        lazy_tr("Email"), validators=[DataRequired(lazy_tr("Enter your email address.")), Length(max=254)]
    )
    password = PasswordField(
        lazy_tr("Password"), validators=[DataRequired(lazy_tr("Enter your password.")), Length(max=200)]
    )


class LogoutForm(FlaskForm):
    """An empty form: only its CSRF token matters."""
