"""Every interface string has its Chinese."""

from __future__ import annotations

import re
from pathlib import Path

from archive.translations_zh import ZH
from web.i18n import FIELD_SOURCE_TEXT, FIELD_TEXT, SOURCE_TEXT, STATUS_TEXT
from web.ledger import LABELS

WEB = Path(__file__).resolve().parent.parent / "web"
_CALL = re.compile(r"""_\(\s*(["'])((?:(?!\1).)+)\1""")
_LABELS = re.compile(r"\('[^']+', '([A-Z][^']+)'\)")  # (key, 'Label') lists in templates


def interface_strings() -> set[str]:
    found = {*STATUS_TEXT.values(), *FIELD_TEXT.values(), *SOURCE_TEXT.values(), *LABELS.values()}
    found |= set(FIELD_SOURCE_TEXT.values())
    for path in [*WEB.rglob("*.html"), *WEB.glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found |= {m.group(2) for m in _CALL.finditer(text)}
        if path.suffix == ".html":
            found |= {m.group(1) for m in _LABELS.finditer(text)}
    return found


def test_every_string_is_translated():
    missing = sorted(s for s in interface_strings() if s not in ZH)
    assert not missing, missing


def test_placeholders_match():
    for en, zh in ZH.items():
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), en


def test_every_field_source_has_words_in_both_languages():
    from extract.types import Source

    assert set(FIELD_SOURCE_TEXT) == {str(s) for s in Source}
    assert all(text in ZH for text in FIELD_SOURCE_TEXT.values())
