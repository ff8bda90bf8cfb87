"""A document being read is held by a lease: a reader that dies, fails or is overtaken never
leaves it `processing` for good, and its result is saved exactly once. On SQLite and
PostgreSQL; forked processes never share the parent's database connections."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time

import pytest
from sqlalchemy import text

from archive import config, customers, db, documents
from archive.models import ACCEPTED, FAILED, PROCESSING, RECEIVED, Document, utcnow
from services import processing


@pytest.fixture
def doc_id(archive, corpus, customers_csv) -> int:
    sample = next(s for s in corpus if s.variant == "digital")
    with db.session() as s:
        customers.import_rows(s, customers.parse_csv(customers_csv.read_text()))
        doc, _ = documents.register(
            s, archive, sample.path.read_bytes(), sample.path.name, source="cli"
        )
        return doc.id


def state(doc_id: int) -> Document:
    with db.session() as s:
        return s.get(Document, doc_id)


def expire_lease(doc_id: int) -> None:
    """What a lease looks like once its reader stopped renewing it."""
    with db.session() as s:
        s.get(Document, doc_id).lease_until = utcnow() - dt.timedelta(seconds=1)


def test_a_document_is_read_and_saved_once(doc_id):
    assert processing.process(doc_id) == ACCEPTED
    doc = state(doc_id)
    assert (doc.attempts, doc.lease_token, doc.lease_until) == (1, None, None)
    assert processing.process(doc_id) == ACCEPTED  # a message delivered twice does nothing
    assert state(doc_id).attempts == 1


def test_the_lease_is_renewed_while_the_document_is_read(doc_id, monkeypatch):
    monkeypatch.setattr(processing, "RENEW_EVERY", 0.05)
    token = processing.claim(doc_id)
    first = state(doc_id).lease_until
    with processing._lease(doc_id, token):
        time.sleep(0.5)
    assert state(doc_id).lease_until > first


def test_a_dead_readers_document_is_taken_up_again(doc_id):
    assert processing.claim(doc_id)
    queued: list[int] = []
    assert processing.recover(queued.append)["requeued"] == 0  # the lease still holds
    expire_lease(doc_id)
    assert processing.recover(queued.append)["requeued"] == 1
    doc = state(doc_id)
    assert (queued, doc.status, doc.lease_token) == ([doc_id], RECEIVED, None)
    assert processing.process(doc_id) == ACCEPTED
    assert state(doc_id).attempts == 2


def test_after_three_lost_readers_the_document_fails_with_the_reason(doc_id):
    for _ in range(processing.MAX_ATTEMPTS):
        assert processing.claim(doc_id)
        expire_lease(doc_id)
        processing.recover(lambda _id: None)
    doc = state(doc_id)
    assert doc.status == FAILED and "interrupted 3 times" in doc.error


def test_a_reader_overtaken_after_its_lease_ran_out_drops_its_result(doc_id):
    slow = processing.claim(doc_id)
    expire_lease(doc_id)
    processing.recover(lambda _id: None)
    fast = processing.claim(doc_id)
    assert fast and fast != slow
    assert processing._read_and_save(doc_id, slow) == PROCESSING  # nothing saved
    assert state(doc_id).lease_token == fast
    assert processing._read_and_save(doc_id, fast) == ACCEPTED


def test_an_error_hands_the_document_back_and_the_third_fails_it(doc_id):
    for attempt in range(1, processing.MAX_ATTEMPTS + 1):
        token = processing.claim(doc_id)
        processing._release(doc_id, token, RuntimeError("database went away"))
        doc = state(doc_id)
        assert doc.attempts == attempt and doc.lease_token is None
        assert doc.status == (RECEIVED if attempt < processing.MAX_ATTEMPTS else FAILED)
    assert "RuntimeError" in state(doc_id).error


def test_a_missing_original_fails_clearly(doc_id, archive):
    doc = state(doc_id)
    documents.store.path_for(archive.store_dir, doc.sha256).unlink()
    assert processing.process(doc_id) == FAILED
    assert "missing from the archive store" in state(doc_id).error


def test_waiting_documents_are_not_sent_again_while_the_queue_is_long(doc_id):
    with db.session() as s:
        s.get(Document, doc_id).updated_at = utcnow() - 2 * processing.RECEIVED_GRACE
    queued: list[int] = []
    processing.recover(queued.append, queue_depth=lambda: 40)
    assert queued == []
    processing.recover(queued.append, queue_depth=lambda: 0)  # an empty queue: message lost
    assert queued == [doc_id]


# -- fork safety ------------------------------------------------------------------------------


def _backend_pid() -> int:
    with db.session() as s:
        return s.execute(text("SELECT pg_backend_pid()")).scalar_one()


def _child(out) -> None:
    out.put([_backend_pid() for _ in range(20)])


@pytest.mark.postgres
def test_forked_processes_never_use_the_parents_connections(monkeypatch, postgres_url, data_dir):
    monkeypatch.setenv("STMT_DATABASE_URL", postgres_url)
    db.upgrade()
    parent = _backend_pid()  # the parent's pool now holds a connection
    ctx = multiprocessing.get_context("fork")  # as Celery's pool and page readers start
    out = ctx.Queue()
    children = [ctx.Process(target=_child, args=(out,)) for _ in range(4)]
    for c in children:
        c.start()
    seen = [out.get(timeout=60) for _ in children]
    for c in children:
        c.join(60)
    assert [c.exitcode for c in children] == [0] * 4
    pids = [set(one) for one in seen]
    assert all(len(p) == 1 for p in pids)  # each child keeps its own connection
    assert parent not in set().union(*pids) and len(set().union(*pids)) == 4
    assert _backend_pid() == parent  # and the parent's connection still works


def test_forked_processes_open_their_own_search_index(data_dir):
    from index.documents import backend

    mine = backend(config.load())
    ctx = multiprocessing.get_context("fork")
    out = ctx.Queue()
    child = ctx.Process(target=lambda: out.put(id(backend(config.load())) != id(mine)))
    child.start()
    assert out.get(timeout=60) is True
    child.join(60)
