"""GET /metrics on the real app and database: the figures come from the archive's rows, and
only a scraper with the token or a signed-in admin may read them."""

# ruff: noqa: F811  (pytest fixtures are imported from tests.web_fixtures by name)
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from archive import db
from archive.models import (
    ACCEPTED,
    FAILED,
    NEEDS_REVIEW,
    PROCESSING,
    RECEIVED,
    Document,
    Page,
    utcnow,
)
from extract import notes
from services import broker
from services.metrics import failure_reason
from tests.web_fixtures import app, as_role, login, users  # noqa: F401

TOKEN = "scrape-token-0123456789"
ROOT = Path(__file__).resolve().parent.parent


def _doc(s, status: str, *, pages: int = 0, ago: float | None = None, read: float | None = None,
         error: str | None = None, note=None, pending: bool = True) -> Document:  # fmt: skip
    doc = Document(
        sha256=uuid.uuid4().hex + uuid.uuid4().hex, filename="x.pdf", size=1, status=status,
        error=error, notes=[notes.to_json(note)] if note else [], read_seconds=read,
        processed_at=None if ago is None else utcnow() - dt.timedelta(minutes=ago),
        index_pending=pending,
    )  # fmt: skip
    s.add(doc)
    s.flush()
    for n in range(1, pages + 1):
        s.add(Page(document_id=doc.id, number=n, width=595, height=842, dpi=300, source="ocr"))
    return doc


@pytest.fixture
def rows(data_dir):
    with db.session() as s:
        _doc(s, ACCEPTED, pages=3, ago=1, read=4.0, pending=False)
        _doc(s, ACCEPTED, pages=2, ago=2, read=12.5)  # processed, not yet indexed
        _doc(s, NEEDS_REVIEW, pages=5, ago=30, read=40.0, pending=False)  # pages too long ago
        _doc(s, NEEDS_REVIEW, pages=1, ago=3, read=0.5, pending=False)
        _doc(s, FAILED, ago=1, read=1.0, error="the PDF is damaged or truncated and cannot be read")
        _doc(s, FAILED, ago=1, error="the PDF is damaged or truncated and cannot be read")
        _doc(s, FAILED, ago=1, note=notes.note("file_empty"), error="x")
        _doc(s, FAILED, ago=1, error="processing stopped 3 times; last: MemoryError")
        _doc(s, RECEIVED)  # not processed: not in the index lag either
        _doc(s, PROCESSING)
    for _ in range(3):
        broker.send_process(999_999)  # nobody reads the queue here


def _scrape(client, **headers) -> dict[str, dict]:
    resp = client.get("/metrics", headers=headers)
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/plain"
    out: dict[str, dict] = {}
    for family in text_string_to_metric_families(resp.get_data(as_text=True)):
        for sample in family.samples:
            key = tuple(sorted(sample.labels.items()))
            out.setdefault(sample.name, {})[key] = sample.value
    return out


def test_the_figures_come_from_the_database(rows, app, monkeypatch):
    monkeypatch.setenv("STMT_METRICS_TOKEN", TOKEN)
    m = _scrape(app.test_client(), Authorization=f"Bearer {TOKEN}")
    assert m["stmt_queue_depth"][()] == 3
    assert m["stmt_pages_per_minute"][()] == pytest.approx((3 + 2 + 1) / 5)
    assert m["stmt_review_backlog_documents"][()] == 2
    # the accepted one not indexed, and failed documents are indexed too (they are searchable)
    assert m["stmt_index_lag_documents"][()] == 1 + 4
    buckets = m["stmt_document_read_seconds_bucket"]
    assert buckets[(("le", "1.0"),)] == 2  # 0.5 and 1.0
    assert buckets[(("le", "5.0"),)] == 3
    assert buckets[(("le", "60.0"),)] == 5
    assert buckets[(("le", "+Inf"),)] == 5
    assert m["stmt_document_read_seconds_count"][()] == 5
    assert m["stmt_document_read_seconds_sum"][()] == pytest.approx(58.0)
    assert m["stmt_failed_documents"] == {
        (("reason", "unreadable"),): 2,
        (("reason", "file_empty"),): 1,
        (("reason", "interrupted"),): 1,
    }
    assert m["stmt_workers_alive"][()] == 0


def test_a_new_failure_shows_at_the_next_scrape(rows, app, monkeypatch):
    monkeypatch.setenv("STMT_METRICS_TOKEN", TOKEN)
    client = app.test_client()
    before = _scrape(client, Authorization=f"Bearer {TOKEN}")["stmt_failed_documents"]
    with db.session() as s:
        _doc(s, FAILED, ago=0, error="the PDF is encrypted with a password and cannot be read")
    after = _scrape(client, Authorization=f"Bearer {TOKEN}")["stmt_failed_documents"]
    assert (("reason", "encrypted"),) not in before
    assert after[(("reason", "encrypted"),)] == 1


def test_only_the_token_or_an_admin_reads_them(rows, app, as_role, monkeypatch):
    anonymous = app.test_client()
    assert anonymous.get("/metrics").status_code == 401  # no token set: admins only
    assert as_role("finance").get("/metrics").status_code == 403
    assert as_role("admin").get("/metrics").status_code == 200
    monkeypatch.setenv("STMT_METRICS_TOKEN", TOKEN)
    assert anonymous.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert anonymous.get("/metrics").status_code == 401
    assert as_role("reviewer").get("/metrics").status_code == 403
    _scrape(anonymous, Authorization=f"Bearer {TOKEN}")
    _scrape(as_role("admin"))


def test_a_short_token_is_refused_with_the_variables_name(monkeypatch):
    from archive import config

    monkeypatch.setenv("STMT_METRICS_TOKEN", "short")
    with pytest.raises(SystemExit, match="STMT_METRICS_TOKEN"):
        config.load()


def test_failure_reasons_are_short_codes():
    assert failure_reason("x", [{"code": "not_a_statement_file", "params": {}}]) == (
        "not_a_statement_file"
    )
    assert failure_reason("the original file ab12 is missing from the archive store", []) == (
        "original_missing"
    )
    assert failure_reason("something new", None) == "other"


def test_the_dashboard_asks_only_for_exported_metrics(rows, app, as_role):
    exported = set(_scrape(as_role("admin")))
    dashboard = json.loads((ROOT / "docker" / "grafana-dashboard.json").read_text())
    asked = {
        name
        for panel in dashboard["panels"]
        for target in panel["targets"]
        for name in re.findall(r"\bstmt_\w+", target["expr"])
    }
    assert asked and asked <= exported, asked - exported
    scrape = (ROOT / "docker" / "prometheus.yml").read_text()
    assert "metrics_path: /metrics" in scrape and "type: Bearer" in scrape
