"""The README says what the pages say: every definition and every at-risk rule, word for word."""

from pathlib import Path

from webapp.reports.definitions import DEFINITIONS
from webapp.reports.registry import REPORTS
from webapp.services.analytics.risk import RULES

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_definition_is_in_the_readme():
    missing = [term for term, text in DEFINITIONS.items() if text not in README]
    assert missing == []


def test_every_rule_is_in_the_readme():
    missing = [rule for rule, (title, text) in RULES.items() if f"| {title} | {text} |" not in README]
    assert missing == []


def test_every_page_is_in_the_readme():
    missing = [key for key in REPORTS if key != "overview" and f"`/reports/{key}" not in README]
    assert missing == []
