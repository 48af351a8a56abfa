"""The admin in Hindi: Flask-Admin's strings (domain "admin") and ours, for staff who chose hi."""

import re

import pytest

from tests import factories as f
from tests.admin.support import staff_client


@pytest.fixture
def hindi_operator(app, session):
    client, _user = staff_client(app, session, "operator", locale="hi")
    return client


def visible_text(html: str) -> str:
    """The page's words as a person reads them: no scripts, no tags (attributes too)."""
    html = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_list_page_is_in_hindi(hindi_operator, session):
    f.make_badge(session)
    session.commit()
    page = hindi_operator.get("/admin/badge/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for hindi in ("सूची", "नया बनाएँ", "फ़िल्टर जोड़ें", "निर्यात करें", "खोजें", "चुने हुए रिकॉर्ड पर"):
        assert hindi in html, hindi
    text = visible_text(html)
    for english in ("Create", "Add Filter", "Export", "With selected", "Search"):
        assert not re.search(rf"\b{english}\b", text), english


def test_the_create_and_edit_forms_are_in_hindi(hindi_operator, session):
    badge = f.make_badge(session)
    session.commit()
    for url in ("/admin/badge/new/", f"/admin/badge/edit/?id={badge.id}"):
        page = hindi_operator.get(url)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert 'value="सहेजें"' in html
        assert "सहेजें और संपादन जारी रखें" in html
        assert "रद्द करें" in html
        assert 'value="Save"' not in html
        assert ">Cancel<" not in html


def test_flash_after_save_is_in_hindi(hindi_operator, session):
    from tests.admin.support import token

    data = {"csrf_token": token(hindi_operator, "/admin/studygroup/new/"), "name": "कक्षा 7", "is_active": "y"}
    response = hindi_operator.post("/admin/studygroup/new/", data=data, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "रिकॉर्ड बना दिया गया।" in html, re.findall(r'class="alert[^"]*"[^>]*>(.*?)</div>', html, re.S)


def test_an_english_operator_still_sees_english(app, session):
    client, _user = staff_client(app, session, "operator")
    html = client.get("/admin/badge/new/").get_data(as_text=True)
    assert 'value="Save"' in html
    assert "सहेजें" not in html
    assert {"Create", "List", "Cancel"} <= english_words(html)  # the check below would see English


# Words that stay as they are in Hindi text: abbreviations and the product's name.
KEPT = {"ID", "URL", "HTML", "CSV", "API", "IP", "UTC", "UTF", "CIDR", "JSON", "MB"}
KEPT |= {"ShikshaDisha", "Admin", "English"}
# Data, not interface: table cells, choices, typed text, code, the preview of a template.
DATA = re.compile(
    r"(?s)<script.*?</script>|<style.*?</style>|<select.*?</select>|<textarea.*?</textarea>|<td.*?</td>"
    r"|<code.*?</code>|<pre.*?</pre>|<h3[^>]*id=\"preview-subject\".*?</h3>"
)


def english_words(html: str) -> set[str]:
    """Capitalised English words a person reads on the page (interface text, not data)."""
    text = re.sub(r"<[^>]+>", " ", DATA.sub(" ", html))
    return {w for w in re.findall(r"[A-Z][A-Za-z']{2,}", text) if w not in KEPT}


def test_every_admin_page_is_hindi_for_a_hindi_admin(app, session):
    from tests.admin.support import admin_views, one_row_each

    client, _user = staff_client(app, session, "admin", locale="hi")
    ids = one_row_each(session)
    session.commit()
    urls = ["/admin/", "/admin/jobs/", "/admin/rosterimport/", "/admin/apiclients/"]
    urls.append("/admin/pointsadjustment/")
    for view in admin_views(app):
        urls.append(f"/admin/{view.endpoint}/")
        row = ids.get(getattr(view, "resource", view.model.__name__))
        urls += [f"/admin/{view.endpoint}/new/", f"/admin/{view.endpoint}/edit/?id={row}"]
        urls.append(f"/admin/{view.endpoint}/details/?id={row}")
    left = {}
    for url in urls:
        page = client.get(url)
        assert page.status_code in (200, 403), url  # 403: a read-only table has no form
        if page.status_code == 200 and (words := english_words(page.get_data(as_text=True))):
            left[url] = sorted(words)
    assert not left, f"English left on Hindi admin pages: {left}"


def test_admin_pages_say_their_language(hindi_operator, app, session):
    assert '<html lang="hi">' in hindi_operator.get("/admin/").get_data(as_text=True)
    english, _user = staff_client(app, session, "operator")
    page = english.get("/admin/").get_data(as_text=True)
    assert page.lstrip().startswith('<!DOCTYPE html>\n<html lang="en">')
