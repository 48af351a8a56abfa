"""The teachers' dashboards: overview, engagement, attention (and the pages built on them).

Every route needs a signed-in staff member allowed to read "reports"; filters,
charts and CSVs are scoped by `webapp.reports.filters.parse_filter`.
"""

from flask import Blueprint, abort
from flask_login import current_user

from webapp.auth.access import REPORTS, Action, can
from webapp.extensions import login_manager

bp = Blueprint("reports", __name__)


@bp.before_request
def require_report_reader():
    """Send anonymous visitors to the login page; refuse roles that may not read reports."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not can(current_user, REPORTS, Action.LIST):
        abort(403)
    return None


from webapp.reports import attention, engagement, overview, views  # noqa: E402, F401  (register charts and routes)

# isort: split
from webapp.reports import at_risk, leaderboard, learners  # noqa: E402, F401  (issue 5: learner pages)

# isort: split
from webapp.reports import summary  # noqa: E402, F401  (issue 10: the charts' text alternative)
