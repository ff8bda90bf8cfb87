"""The quick code pass: a statement with our QR code (or behind our cover sheet) is searchable
by customer, period and amount before its full reading, even with OCR work queued; the full
reading keeps what the code said; a document without codes is left alone."""

from __future__ import annotations

import io
import time
from decimal import Decimal

import pypdfium2 as pdfium
import pytest

from archive import config, customers, db, documents
from archive.models import FINAL_STATUSES, PROCESSING, RECEIVED, AuditEvent, Document
from extract import coversheet
from extract.types import Source
from index.base import SearchQuery
from index.documents import backend, rebuild
from ingest import lane as lane_module
from ingest.lane import Lane
from services import broker, fastlane, processing
from tests.corpus import SECRET_KEY
from tests.helpers import json_lines, stmt

VOUCHED = ("customer_code", "period", "amount_due")


def _register(settings, data: bytes, name: str) -> int:
    with db.session() as s:
        doc, _ = documents.register(s, settings, data, name, source="cli")
        return doc.id


def _hits(customer: str, period: str, amount: str | None = None) -> dict[int, str]:
    q = SearchQuery(
        customer=customer,
        period_from=period,
        period_to=period,
        amount=Decimal(amount) if amount else None,
    )
    result = backend(config.settings()).search(q)
    return {h.id: h.status for h in result.hits}


def _fields(doc_id: int) -> dict[str, tuple[str, str]]:
    with db.session() as s:
        doc = s.get(Document, doc_id)
        return {f.name: (f.value, f.source) for f in doc.fields}


def _confidence(doc_id: int, name: str) -> float:
    with db.session() as s:
        return s.get(Document, doc_id).field(name).confidence


def _status(doc_id: int) -> str:
    with db.session() as s:
        return s.get(Document, doc_id).status


@pytest.fixture
def archive_with_customers(archive, customers_csv):
    with db.session() as s:
        customers.import_rows(s, customers.parse_csv(customers_csv.read_text()))
    return archive


def test_a_coded_scan_is_searchable_before_its_reading_and_the_reading_agrees(
    archive_with_customers, corpus
):
    sample = next(s for s in corpus if s.variant == "scan300" and s.has_qr)
    want = sample.truth.expected()
    doc_id = _register(archive_with_customers, sample.path.read_bytes(), sample.name)

    assert fastlane.quick_pass(doc_id) == fastlane.INDEXED
    assert _status(doc_id) == RECEIVED  # not read yet, and it says so
    early = _fields(doc_id)
    for name in VOUCHED:
        assert early[name] == (want[name], Source.QR)
    assert early["customer_name"][0] == want["customer_name"]  # from the customer master
    assert "charges" not in early  # what the code does not carry waits for the reading
    hits = _hits(want["customer_code"], want["period"], want["amount_due"])
    assert hits == {doc_id: RECEIVED}
    with db.session() as s:  # a whole new index, built before the reading, still holds it
        rebuild(s, backend(config.settings()))
    assert _hits(want["customer_code"], want["period"], want["amount_due"]) == hits
    with db.session() as s:
        assert s.query(AuditEvent).filter_by(action="coded", document_id=doc_id).count() == 1
    assert fastlane.quick_pass(doc_id) == fastlane.NONE  # a message delivered twice: nothing

    assert processing.process(doc_id) in FINAL_STATUSES
    final = _fields(doc_id)
    for name in VOUCHED:  # the code's values kept, vouched for (placed on the page if printed)
        assert final[name][0] == early[name][0]
        assert _confidence(doc_id, name) == 1.0
    assert final["charges"][0] == want["charges"]  # and the reading added the rest
    assert _hits(want["customer_code"], want["period"], want["amount_due"]) == {
        doc_id: _status(doc_id)
    }
    assert fastlane.quick_pass(doc_id) == fastlane.NONE  # read: nothing left to do


def test_a_document_without_codes_is_untouched_by_the_quick_pass(archive_with_customers, corpus):
    sample = next(s for s in corpus if s.variant == "scan300" and not s.has_qr)
    want = sample.truth.expected()
    doc_id = _register(archive_with_customers, sample.path.read_bytes(), sample.name)
    with db.session() as s:
        before = s.get(Document, doc_id).updated_at

    assert fastlane.quick_pass(doc_id) == fastlane.NONE
    with db.session() as s:
        doc = s.get(Document, doc_id)
        assert (doc.status, doc.fields, doc.codes, doc.attempts) == (RECEIVED, [], [], 0)
        assert doc.updated_at == before
        assert s.query(AuditEvent).filter_by(action="coded").count() == 0
    assert _hits(want["customer_code"], want["period"]) == {}


def test_a_batch_behind_a_cover_sheet_is_cut_and_its_part_searchable_unread(
    archive_with_customers, corpus
):
    statement = next(
        s for s in corpus if s.variant == "scan300" and s.fmt == "pdf" and not s.has_qr
    )
    cover = coversheet.cover_pdf("C0007", None, "2026-09", key=SECRET_KEY.encode())
    batch = pdfium.PdfDocument.new()
    for blob in (cover, statement.path.read_bytes()):
        src = pdfium.PdfDocument(blob)
        batch.import_pages(src)
        src.close()
    buf = io.BytesIO()
    batch.save(buf)
    batch.close()
    batch_id = _register(archive_with_customers, buf.getvalue(), "batch.pdf")

    assert fastlane.quick_pass(batch_id) == fastlane.SPLIT
    with db.session() as s:
        (part,) = s.query(Document).filter_by(parent_id=batch_id).all()
        part_id = part.id
        assert s.get(Document, batch_id).status == "split"
    assert fastlane.quick_pass(part_id) == fastlane.INDEXED
    assert _status(part_id) == RECEIVED
    fields = _fields(part_id)
    assert fields["customer_code"] == ("C0007", Source.COVER)
    assert fields["period"] == ("2026-09", Source.COVER)
    assert _hits("C0007", "2026-09") == {part_id: RECEIVED}


def test_the_lane_passes_the_newest_upload_first(archive_with_customers, corpus):
    """A coded statement after a burst of scans waits for no pass of theirs."""
    scans = [s for s in corpus if s.variant != "digital" and not s.has_qr][:3]
    coded = next(s for s in corpus if s.variant == "scan300" and s.has_qr)
    older = [_register(archive_with_customers, s.path.read_bytes(), s.name) for s in scans]
    newest = _register(archive_with_customers, coded.path.read_bytes(), coded.name)

    assert fastlane.next_pass() == fastlane.INDEXED  # the coded one, first
    assert _fields(newest)
    with db.session() as s:
        looked = {d.id: d.codes_looked_at for d in s.query(Document)}
    assert looked[newest] is not None and all(looked[i] is None for i in older)
    assert [fastlane.next_pass() for _ in older] == [fastlane.NONE] * len(older)
    with db.session() as s:
        assert all(d.codes_looked_at is not None for d in s.query(Document))
        assert all(
            d.status == RECEIVED and not d.fields for d in s.query(Document) if d.id in older
        )
    assert fastlane.next_pass() == fastlane.NONE  # nothing left to look at


@pytest.mark.parametrize("broker_kind", ["embedded", "redis"])
def test_the_lane_thread_passes_what_its_queue_announces_and_stops(
    archive_with_customers, corpus, broker_kind, request, monkeypatch
):
    """The worker's lane thread (ingest/lane.py) on either broker: a message on the lane's
    queue is a pass; stopping it ends the thread within its wait for the next message."""
    if broker_kind == "redis":
        monkeypatch.setenv("STMT_BROKER_URL", request.getfixturevalue("redis_url"))
        config.load()
    coded = next(s for s in corpus if s.variant == "scan300" and s.has_qr)
    doc_id = _register(archive_with_customers, coded.path.read_bytes(), coded.name)
    lane = Lane()
    lane.start()
    try:
        broker.send_fast(doc_id)
        deadline = time.monotonic() + 60
        while not _fields(doc_id):
            assert time.monotonic() < deadline, "the lane did not pass the document"
            time.sleep(0.1)
        assert _fields(doc_id)["customer_code"][1] == Source.QR
        assert _status(doc_id) == RECEIVED  # the full read is the pool's, not the lane's
    finally:
        started = time.monotonic()
        lane.stop()
    assert time.monotonic() - started < lane_module.WAIT + 2
    assert not lane._thread.is_alive()


# --------------------------------------------------------------------------- real workers


def _search(stack, want: dict) -> dict[int, str]:
    out = stmt(
        "search",
        "--customer",
        want["customer_code"],
        "--period",
        want["period"],
        "--amount",
        want["amount_due"],
        "--json",
        env=stack.env,
    ).stdout
    return {h["id"]: h["status"] for h in json_lines(out)[0]["hits"]}


def _distinct(data: bytes, n: int, fmt: str) -> bytes:
    """The same scan as another file (the archive keeps one document per content)."""
    if fmt == "pdf":
        return data + f"\n% copy {n}\n".encode()
    raise ValueError(fmt)


@pytest.mark.slow
def test_with_ocr_work_queued_a_coded_statement_is_found_before_it_is_read(
    fresh_stack, corpus, customers_csv
):
    stack = fresh_stack
    stmt("customers", "import", str(customers_csv), env=stack.env)
    scans = [s for s in corpus if not s.has_qr and s.variant != "digital" and s.fmt == "pdf"]
    coded = next(s for s in corpus if s.variant == "scan300" and s.has_qr)
    want = coded.truth.expected()
    inbox = stack.root / "inbox"
    inbox.mkdir()
    paths = []
    for n in range(2):  # OCR work: pages of scans without codes, before the coded statement
        for s in scans:
            path = inbox / f"{n}-{s.name}"
            path.write_bytes(_distinct(s.path.read_bytes(), n, "pdf"))
            paths.append(str(path))
    queued = json_lines(stmt("ingest", *paths, "--json", env=stack.env).stdout)
    ocr_ids = [o["id"] for o in queued]
    (doc,) = json_lines(stmt("ingest", str(coded.path), "--json", env=stack.env).stdout)
    coded_id = doc["id"]
    stack.start_worker(concurrency=1)

    deadline = time.monotonic() + 180
    while not (hits := _search(stack, want)):
        assert time.monotonic() < deadline, stack.worker_log()[-3000:]
        time.sleep(0.5)
    states = stack.states([*ocr_ids, coded_id])
    assert hits == {coded_id: states[coded_id][0]}
    # found while its own reading, and the scans' before it, had not ended
    assert states[coded_id][0] in (RECEIVED, PROCESSING)
    assert sum(status == RECEIVED for status, _ in states.values()) >= len(ocr_ids) // 2

    deadline = time.monotonic() + 900
    while stack.states([coded_id])[coded_id][0] not in FINAL_STATUSES:
        assert time.monotonic() < deadline, stack.worker_log()[-3000:]
        time.sleep(1)
    shown = json_lines(stmt("show", str(coded_id), "--json", env=stack.env).stdout)[0]
    for name in VOUCHED:  # the code's values, vouched for
        assert shown["fields"][name]["value"] == want[name]
        assert shown["fields"][name]["confidence"] == 1.0
    assert _search(stack, want) == {coded_id: shown["status"]}
