"""A pseudo-locale: every message of messages.pot wrapped in markers, and what a page shows unwrapped.

The catalogue is compiled on the fly from the extracted template (so it holds exactly the
texts `make i18n` finds) and swapped in for "hi" while a test renders pages. Any text a page
shows outside the markers was never passed through a translation: the test fails on it,
unless it is data (names from the database, numbers, dates) or a fixed name (the brand).
"""

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import get_babel

from webapp.i18n import TRANSLATIONS_DIR

OPEN, CLOSE = "⟦", "⟧"
POT = TRANSLATIONS_DIR / "messages.pot"
# Shown as they are in every language: the product's name, each language's own name.
FIXED = ("ShikshaDisha Admin", "ShikshaDisha", "English")
# Attributes a person reads or hears (screen readers read the labels).
READ_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt", "data-toolbar-label", "data-copied",
                   "data-copy-failed")  # fmt: skip
PLOTLY_TOKEN = re.compile(r"%\{[^}]*\}|<br>|<extra></extra>|<extra>|</extra>")


def wrap(text: str) -> str:
    """The pseudo translation of a text: the same text between markers."""
    return f"{OPEN}{text}{CLOSE}"


def compile_pseudo(directory: Path, locale: str = "hi") -> Path:
    """Write the pseudo catalogue for locale under directory; return its .mo."""
    with POT.open("rb") as handle:
        template = read_po(handle)
    catalog = Catalog(locale=locale)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            catalog.add(message.id, tuple(wrap(one) for one in message.id))
        else:
            catalog.add(message.id, wrap(message.id))
    mo = directory / locale / "LC_MESSAGES" / "messages.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    return mo


@contextmanager
def pseudo_locale(app: Flask, directory: Path) -> Iterator[None]:
    """Serve the pseudo catalogue as "hi" while the block runs."""
    compile_pseudo(directory)
    babel = get_babel(app)
    domain = babel.instance.domain_instance
    before = babel.translation_directories
    babel.translation_directories = [str(directory)]
    domain.cache.clear()
    try:
        yield
    finally:
        babel.translation_directories = before
        domain.cache.clear()


class _Texts(HTMLParser):
    """Collect every text node and read attribute of a page, and the figures' JSON."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.figures: list[str] = []
        self._skip = 0
        self._json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in READ_ATTRIBUTES:
            if attrs.get(name):
                self.texts.append(attrs[name])
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        if tag in ("script", "style"):
            self._skip += 1
            self._json = tag == "script" and attrs.get("type") == "application/json"

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
            self._json = False

    def handle_data(self, data):
        if self._json:
            self.figures.append(data)
        elif not self._skip and data.strip():
            self.texts.append(data)


def _figure_texts(source: str) -> list[str]:
    """The words a Plotly figure shows: titles, trace names, hover templates, category labels."""
    figure = json.loads(source)
    if "data" not in figure:
        return []  # the locale's data (Babel's month names), not a figure
    out = []
    for axis in figure.get("layout", {}).values():
        if isinstance(axis, dict) and isinstance(axis.get("title"), dict):
            out.append(axis["title"].get("text") or "")
    for trace in figure["data"]:
        out.append(trace.get("name") or "")
        out.append(PLOTLY_TOKEN.sub(" ", trace.get("hovertemplate") or ""))
        if trace.get("type") == "heatmap":  # category labels of a heatmap's rows
            out.extend(str(label) for label in trace.get("y") or [])
        if trace.get("type") == "bar":  # category labels of bars (dates and numbers have no letters)
            out.extend(str(label) for label in (trace.get("x") or []) + (trace.get("y") or []))
        for row in trace.get("text") or []:
            out.extend(str(cell) for cell in (row if isinstance(row, list) else [row]))
    return [text for text in out if text.strip()]


def untranslated(html: str, data: set[str]) -> list[str]:
    """The texts of a page with Latin letters outside the markers that are not data."""
    parser = _Texts()
    parser.feed(html)
    texts = parser.texts + [text for source in parser.figures for text in _figure_texts(source)]
    allowed = sorted({*data, *FIXED}, key=len, reverse=True)
    bad = []
    for text in texts:
        rest, inner = text, re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
        while inner.search(rest):  # innermost first: a phrase may hold a translated phrase
            rest = inner.sub(" ", rest)
        for word in allowed:
            rest = rest.replace(word, " ")
        if re.search(r"[A-Za-z]", rest):
            bad.append(text.strip())
    return sorted(set(bad))
