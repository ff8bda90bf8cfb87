"""The settings: built once from the environment, every value checked with a clear error."""

from __future__ import annotations

import pytest

from archive import config
from extract import ocr


def test_settings_are_built_once_and_rebuilt_after_reset(monkeypatch, tmp_path):
    monkeypatch.setenv("STMT_DATA_DIR", str(tmp_path))
    first = config.settings()
    assert config.settings() is first  # not read again for every database session
    assert first.ocr_lang == ocr.LANG and first.ocr_timeout == ocr.TIMEOUT
    assert first.page_workers == 0 and first.cookie_secure is None
    assert first.search_shards == 1
    monkeypatch.setenv("STMT_PAGE_WORKERS", "3")  # a change in a test makes them anew
    assert config.settings().page_workers == 3


def test_values_are_read_into_typed_fields(monkeypatch):
    for name, value in {
        "STMT_MAX_PAGES": " 50 ",
        "STMT_MAX_FILE_MB": "2",
        "STMT_OCR_LANG": "eng",
        "STMT_OCR_TIMEOUT": "30",
        "STMT_COOKIE_SECURE": "false",
        "STMT_SEARCH_SHARDS": "4",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("STMT_REMIND_AT", "08:05")
    monkeypatch.setenv("STMT_CURRENCY", "hkd")
    monkeypatch.setenv("STMT_LANG", "zh_CN.UTF-8")
    s = config.load()
    assert (s.remind_at, s.house_currency, s.language) == ((8, 5), "HKD", "zh")
    assert (s.max_pages, s.max_file_bytes) == (50, 2 * 1024 * 1024)
    assert (s.ocr_lang, s.ocr_timeout, s.cookie_secure) == ("eng", 30.0, False)
    assert s.search_shards == 4


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("STMT_MAX_PAGES", "abc", "STMT_MAX_PAGES must be a whole number, not 'abc'"),
        ("STMT_MAX_PAGES", "0", "STMT_MAX_PAGES must be at least 1, not 0"),
        ("STMT_MAX_FILE_MB", "1.5", "STMT_MAX_FILE_MB must be a whole number"),
        ("STMT_PAGE_WORKERS", "-1", "STMT_PAGE_WORKERS must be at least 0"),
        ("STMT_SEARCH_SHARDS", "0", "STMT_SEARCH_SHARDS must be at least 1"),
        ("STMT_OCR_TIMEOUT", "soon", "STMT_OCR_TIMEOUT must be a number"),
        ("STMT_OCR_TIMEOUT", "0", "STMT_OCR_TIMEOUT must be more than 0 seconds"),
        ("STMT_COOKIE_SECURE", "maybe", "STMT_COOKIE_SECURE must be true or false"),
        ("STMT_REVIEW_THRESHOLD", "2", "STMT_REVIEW_THRESHOLD must be between 0 and 1"),
        ("STMT_REMIND_AT", "8am", "STMT_REMIND_AT must be HH:MM, not '8am'"),
        ("STMT_REMIND_AT", "24:00", "STMT_REMIND_AT must be HH:MM"),
        ("STMT_CURRENCY", "yuan", "STMT_CURRENCY must be a three-letter code"),
        ("STMT_LATE_DAYS", "soon", "STMT_LATE_DAYS must be a whole number"),
    ],
)
def test_a_bad_value_stops_with_a_message_naming_it(monkeypatch, name, value, says):
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit, match=says):
        config.settings()
