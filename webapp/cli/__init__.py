"""Flask sub-commands, one module per group; each module exposes a click group."""

from flask import Flask


def register_commands(app: Flask) -> None:
    """Attach every command group to the app (`flask --app wsgi <group> ...`)."""
    for group in _groups():
        app.cli.add_command(group)


def _groups() -> list:
    # Imported here so that importing webapp.cli stays cheap.
    from webapp.cli.analytics import analytics
    from webapp.cli.api_clients import api_clients
    from webapp.cli.data import data
    from webapp.cli.demo import demo
    from webapp.cli.gamification import gamification
    from webapp.cli.jobs import jobs
    from webapp.cli.users import users

    groups: list = [analytics, api_clients, data, demo, gamification, jobs, users]
    return groups
