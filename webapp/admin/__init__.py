"""Flask-Admin over every model, one module per domain, all behind one secured base.

Flask-Admin translates its own strings (buttons, filters, flash messages) in the
Flask-Babel domain "admin" and ships no Hindi; `translations_path` makes it search
webapp/translations first, where hi/LC_MESSAGES/admin.po supplies them.
"""

import os

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from webapp.admin import (
    analytics,
    audit,
    compat,
    engagement,
    gamification,
    learning,
    notifications,
    social,
    users,
)
from webapp.admin.api_clients import ApiClientsView
from webapp.admin.base import SecureIndexView
from webapp.admin.jobs import JobsView
from webapp.admin.points import PointsAdjustmentView
from webapp.admin.roster import RosterImportView
from webapp.auth.headers import csp_nonce

DOMAINS = (users, engagement, gamification, learning, social, notifications, analytics, audit)


def init_admin(app: Flask) -> Admin:
    """Create a fresh Admin for this app (never shared between apps) with every view."""
    compat.apply()
    # Admin templates pass markup into translated sentences: _("... %(path)s", path=Markup("<code>...")).
    app.jinja_env.globals.setdefault("Markup", Markup)
    admin = Admin(
        app,
        name="ShikshaDisha Admin",
        theme=Bootstrap4Theme(base_template="admin/shiksha_base.html", fluid=True),
        index_view=SecureIndexView(),
        csp_nonce_generator=csp_nonce,
        translations_path=os.path.join(app.root_path, "translations"),
    )
    for domain in DOMAINS:
        admin.add_views(*domain.views())
    admin.add_view(
        PointsAdjustmentView(
            name=_l("Points adjustments"), category=_l("Gamification"), endpoint="pointsadjustment"
        )
    )
    admin.add_view(JobsView(name=_l("Jobs"), endpoint="jobs"))
    admin.add_view(RosterImportView(name=_l("Roster import"), category=_l("Users"), endpoint="rosterimport"))
    admin.add_view(ApiClientsView(name=_l("API clients"), category=_l("Users"), endpoint="apiclients"))
    return admin
