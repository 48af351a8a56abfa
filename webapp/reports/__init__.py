"""The teachers' dashboards: registered reports of figures, served by one page and one CSV route.

`registry` holds the report shape, `pages/` the reports (each registers itself), `queries/`
their queries over the rollups, `views` the routes. Filters, charts and CSVs are scoped by
`webapp.reports.filters.parse_filter`.
"""

from webapp.reports.registry import load_pages
from webapp.reports.views import bp

load_pages()

# isort: split
from webapp.reports import saved_views, summary  # noqa: E402, F401  (saved views' routes; charts' text alternative)

__all__ = ["bp"]
