"""The catalogues: `hi` translates every extracted message, keeps its placeholders, and is current."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from webapp.i18n import LANGUAGES, TRANSLATIONS_DIR, compile_catalogues

ROOT = Path(__file__).parents[2]
POT = TRANSLATIONS_DIR / "messages.pot"
# {name} (str.format), %(name)s (Jinja and %-formatting) and %{name} (Plotly's hover templates).
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([a-z_]+\)[sd]|%\{[^}]*\}")


def catalogue(locale: str):
    with (TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def template():
    with POT.open("rb") as handle:
        return read_po(handle)


def ids(messages) -> set:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in messages if m.id}


@pytest.mark.parametrize("locale", [code for code in LANGUAGES if code != "en"])
def test_every_message_id_is_translated(locale):
    po = catalogue(locale)
    missing = sorted(str(m.id) for m in po if m.id and ("fuzzy" in m.flags or not _translated(m)))
    assert missing == [], f"{locale} misses {len(missing)}: run `make i18n` and translate them"
    assert ids(template()) <= ids(po), "messages.pot has ids the catalogue lacks: run `make i18n`"


def _translated(message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string)
    return all(strings)


@pytest.mark.parametrize("locale", [code for code in LANGUAGES if code != "en"])
def test_translations_keep_every_placeholder(locale):
    wrong = []
    for m in catalogue(locale):
        if not m.id:
            continue
        pairs = zip(m.id, m.string, strict=False) if isinstance(m.id, tuple | list) else [(m.id, m.string)]
        for msgid, msgstr in pairs:
            if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                wrong.append(msgid)
    assert wrong == []


def test_hindi_is_written_in_devanagari():
    po = catalogue("hi")
    latin_only = [m.id for m in po if m.id and isinstance(m.string, str) and re.search(r"[a-z]{3}", m.id)
                  and not re.search(r"[\u0900-\u097F]", m.string)]  # fmt: skip
    # Only texts made of placeholders (and "UTC", markup) may stay as they are.
    words = [re.sub(r"UTC|<br>", "", re.sub(PLACEHOLDER, "", text)) for text in latin_only]
    assert not [w for w in words if re.search(r"[A-Za-z]", w)], latin_only


def test_the_template_is_current(tmp_path):
    """messages.pot holds exactly what `make i18n` extracts from the code today."""
    out = tmp_path / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "lazy_gettext",
         "-k", "_l", "-k", "N_", "-k", "Nn_:1,2", "-k", "tr", "-k", "lazy_tr", "-k", "trn:1,2",
         "--sort-output", "--no-location", "--no-wrap", "-o", str(out), "webapp"],
        cwd=ROOT, check=True,
    )  # fmt: skip
    with out.open("rb") as handle:
        extracted = ids(read_po(handle))
    assert extracted == ids(template()), "run `make i18n`: messages.pot is out of date"


def test_catalogues_compile_when_missing_or_stale(tmp_path):
    po = tmp_path / "hi" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes((TRANSLATIONS_DIR / "hi" / "LC_MESSAGES" / "messages.po").read_bytes())
    assert compile_catalogues(tmp_path) == [po.with_suffix(".mo")]
    assert compile_catalogues(tmp_path) == []  # current: nothing to do
    assert compile_catalogues(tmp_path, force=True) == [po.with_suffix(".mo")]
