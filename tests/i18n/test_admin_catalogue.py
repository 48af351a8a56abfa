"""The admin's Hindi is complete: Flask-Admin's strings (admin.po) and our labels (messages.po)."""

import re
from pathlib import Path

import flask_admin
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel.speaklater import LazyString
from sqlalchemy import inspect

from tests.admin.support import admin_views
from webapp.admin.labels import LABELS, prettify
from webapp.i18n import TRANSLATIONS_DIR

FLASK_ADMIN = Path(flask_admin.__file__).parent
HINDI = TRANSLATIONS_DIR / "hi" / "LC_MESSAGES"
# The keywords Flask-Admin's code and templates translate with.
KEYWORDS = {"_gettext": None, "_ngettext": (1, 2), "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}


def translated(path: Path) -> dict[str, bool]:
    """msgid -> whether every form of it has a Hindi text."""
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="hi")
    found = {}
    for message in catalog:
        if message.id:
            key = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            found[key] = all(strings) and not message.fuzzy
    return found


def flask_admin_msgids() -> set[str]:
    """Every msgid of Flask-Admin: its own English catalogue, and what its code and templates use."""
    with (FLASK_ADMIN / "translations" / "en" / "LC_MESSAGES" / "admin.po").open("rb") as handle:
        ids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    method_map = [("tests/**", "ignore"), ("**.py", "python"), ("templates/bootstrap4/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(FLASK_ADMIN), method_map, keywords=KEYWORDS
    ):
        ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_admin_po_translates_every_flask_admin_msgid():
    ours = translated(HINDI / "admin.po")
    wanted = flask_admin_msgids()
    assert len(wanted) > 100  # the extraction found Flask-Admin's strings
    missing = sorted(m for m in wanted if not ours.get(m))
    assert not missing, f"admin.po lacks Hindi for: {missing}"


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@pytest.mark.parametrize("domain", ["admin", "messages"])
def test_translations_keep_the_placeholders(domain):
    with (HINDI / f"{domain}.po").open("rb") as handle:
        catalog = read_po(handle, locale="hi")
    for message in catalog:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        for text in strings[:-1]:  # a singular may leave the count out ("रिकॉर्ड हटा दिया गया।")
            assert set(PLACEHOLDER.findall(text)) <= wanted, (message.id, text)
        assert set(PLACEHOLDER.findall(strings[-1])) == wanted or not strings[-1], (message.id, strings)


def test_every_admin_label_is_marked_and_translated(app):
    ours = translated(HINDI / "messages.po")
    labels, others = set(), set()
    for view in admin_views(app):
        others.update({str(view.name), str(view.category or view.name), view.thing})
        names = [attr.key for attr in inspect(view.model).attrs]
        names += [c for c in (view.column_list or ()) if isinstance(c, str)]
        for name in names:
            label = view.column_labels.get(name)
            assert isinstance(label, LazyString), (view.endpoint, name)
            labels.add(str(label))
    # A prettified column name is no literal in the code: LABELS marks it for `make i18n`.
    unmarked = sorted(t for t in labels if t not in LABELS and t == prettify(t.lower().replace(" ", "_")))
    assert not unmarked, f"add these to webapp/admin/labels.py LABELS (make i18n), then translate: {unmarked}"
    missing = sorted(t for t in labels | others if not ours.get(t))
    assert not missing, f"messages.po lacks Hindi for: {missing}"
