"""From archive documents to search documents, and keeping the index in step with the archive."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from archive.config import Settings
from archive.documents import AMOUNT_FIELDS
from archive.ledger import Confirmation, Dispute, LineRow
from archive.models import FINAL_STATUSES, PROCESSING, RECEIVED, Document, utcnow
from extract.arithmetic import amount_in_range
from index.base import (
    LINE,
    PAGE,
    SUMMARY,
    IndexUnavailable,
    PlacedAmount,
    SearchBackend,
    SearchDoc,
)
from index.printed import page_amounts

log = logging.getLogger(__name__)


def _open_backend(settings: Settings) -> SearchBackend:
    """Elasticsearch for an http(s) STMT_SEARCH_URL, else SQLite."""
    url = settings.search_url
    if url and url.startswith(("http://", "https://")):
        from index.elastic import ElasticBackend

        return ElasticBackend.from_url(
            url,
            settings.search_user,
            settings.search_password,
            settings.search_ca_file,
            index_prefix=settings.search_index,
            shards=settings.search_shards,
        )
    if url and not url.startswith("sqlite"):
        raise SystemExit(f"STMT_SEARCH_URL must be http(s)://… or sqlite:///path, not {url!r}")
    from index.sqlite import SqliteBackend

    path = url.removeprefix("sqlite:///") if url else settings.search_db_path
    return SqliteBackend(path)


_backends: dict[Settings, SearchBackend] = {}
_inherited: list[SearchBackend] = []


def backend(settings: Settings) -> SearchBackend:
    """The configured backend, one per settings and process (a client keeps its pool)."""
    found = _backends.get(settings)
    if found is None:
        found = _backends.setdefault(settings, _open_backend(settings))
    return found


def _forget_parent_backends() -> None:
    """In a forked child: build new clients rather than share the parent's sockets and files.

    The parent's backends stay referenced, never closed here: closing them from the child
    would close connections the parent still uses.
    """
    _inherited.extend(_backends.values())
    _backends.clear()


os.register_at_fork(after_in_child=_forget_parent_backends)


def tags_of(s: Session, ids: list[int]) -> dict[int, tuple[str, ...]]:
    """Tag names by document id."""
    from archive.management import DocumentTag, Tag

    out: dict[int, list[str]] = {}
    for i in range(0, len(ids), 1000):
        rows = s.execute(
            select(DocumentTag.document_id, Tag.name)
            .join(Tag, Tag.id == DocumentTag.tag_id)
            .where(DocumentTag.document_id.in_(ids[i : i + 1000]))
            .order_by(Tag.name)
        )
        for doc_id, name in rows:
            out.setdefault(doc_id, []).append(name)
    return {k: tuple(v) for k, v in out.items()}


def search_docs(s: Session, docs: list[Document]) -> list[SearchDoc]:
    """The search documents of `docs`, with their line items, answers and tags."""
    ids = [d.id for d in docs]
    lines, answers, tags = lines_by_document(s, ids), answers_by_document(s, ids), tags_of(s, ids)
    return [search_doc(d, lines[d.id], answers.get(d.id), tags.get(d.id, ())) for d in docs]


def search_doc(
    doc: Document,
    lines: list[LineRow] | None = None,
    answer: tuple | None = None,
    tags: tuple[str, ...] = (),
) -> SearchDoc:
    """What the index keeps of `doc` (with its line items `lines` and tag names `tags`). A
    stored value the index cannot hold (an amount beyond extract.arithmetic.MAX_AMOUNT, a
    damaged date) is left out of the index, never an error: one bad document must not stop the
    others from being indexed. `answer`: the customer's confirmation and the latest dispute's
    status."""

    def dec(name: str) -> Decimal | None:
        return _indexable(doc.value(name))

    amounts = [
        PlacedAmount(SUMMARY, value, f.name, page=f.page)
        for f in doc.fields
        if f.name in AMOUNT_FIELDS and (value := _indexable(f.value)) is not None
    ]
    for row in lines or ():
        for column in ("debit", "credit", "balance"):
            value = getattr(row, column)
            if value is not None and amount_in_range(value):
                amounts.append(PlacedAmount(LINE, value, column, row.number, row.page))
    # The page text holds both OCR engines' readings; what a summary field or a line already
    # places is not repeated as a page amount.
    placed = {a.amount for a in amounts} | {dec("amount_due"), dec("closing_balance")}
    for page in doc.pages:
        for value in page_amounts(page.text or ""):
            if value not in placed:
                placed.add(value)
                amounts.append(PlacedAmount(PAGE, value, page=page.number))

    date = _date(doc.value("statement_date"))
    return SearchDoc(
        id=doc.id,
        file=doc.filename,
        status=doc.status,
        customer_code=doc.value("customer_code"),
        customer_name=doc.value("customer_name"),
        period=doc.value("period"),
        statement_no=doc.value("statement_no"),
        statement_date=date,
        amount_due=dec("amount_due"),
        closing_balance=dec("closing_balance"),
        currency=doc.value("currency"),
        source=doc.source,
        text="\n".join(p.text for p in doc.pages),
        created=doc.created_at,
        tags=tags,
        amounts=amounts,
        confirmation=(answer or (None, None))[0],
        dispute=(answer or (None, None))[1],
    )


def _indexable(text: str | None) -> Decimal | None:
    try:
        value = Decimal(text) if text not in (None, "") else None
    except InvalidOperation:
        return None
    return value if value is not None and value.is_finite() and amount_in_range(value) else None


def answers_by_document(s: Session, ids: list[int]) -> dict[int, tuple]:
    """document id -> (confirmation state, status of its latest dispute)."""
    states: dict[int, list] = defaultdict(lambda: [None, None])
    for i in range(0, len(ids), 1000):
        chunk = ids[i : i + 1000]
        for doc_id, state in s.execute(
            select(Confirmation.document_id, Confirmation.state).where(
                Confirmation.document_id.in_(chunk)
            )
        ):
            states[doc_id][0] = state
        for doc_id, status in s.execute(
            select(Dispute.document_id, Dispute.status)
            .where(Dispute.document_id.in_(chunk))
            .order_by(Dispute.id)
        ):
            states[doc_id][1] = status  # the latest one wins
    return {k: tuple(v) for k, v in states.items()}


def lines_by_document(s: Session, ids: list[int]) -> dict[int, list[LineRow]]:
    out: dict[int, list[LineRow]] = defaultdict(list)
    for i in range(0, len(ids), 1000):
        for row in s.scalars(
            select(LineRow)
            .where(LineRow.document_id.in_(ids[i : i + 1000]))
            .order_by(LineRow.document_id, LineRow.number)
        ):
            out[row.document_id].append(row)
    return out


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _loaded():
    return select(Document).options(selectinload(Document.fields), selectinload(Document.pages))


def index_documents(s: Session, index: SearchBackend, ids: list[int]) -> list[int]:
    """Index these documents now; raises IndexUnavailable and leaves them pending if it can't.

    A document the index refuses on its own (a bug, a value it cannot hold) is logged and
    stays pending; the others are indexed all the same. Returns the ids left pending."""
    docs = list(s.scalars(_loaded().where(Document.id.in_(ids))))
    final = [d for d in docs if d.status in FINAL_STATUSES]
    refused: list[int] = []
    try:
        index.upsert(search_docs(s, final))
    except IndexUnavailable:
        raise
    except Exception:  # one at a time, to find the document(s) it is about
        refused = _one_by_one(s, index, final)
    done = [i for i in ids if i not in set(refused)]
    if done:
        s.execute(update(Document).where(Document.id.in_(done)).values(index_pending=False))
    return refused


def index_early(s: Session, index: SearchBackend, ids: list[int]) -> None:
    """Index documents not yet fully read (their status says so) with what is known of them
    now: the fields our code vouched for. They stay pending: the full read indexes them again.
    Raises IndexUnavailable when the index is away."""
    docs = list(s.scalars(_loaded().where(Document.id.in_(ids))))
    index.upsert(search_docs(s, docs))


def _one_by_one(s: Session, index: SearchBackend, docs: list[Document]) -> list[int]:
    refused = []
    for d in docs:
        try:
            index.upsert(search_docs(s, [d]))
        except IndexUnavailable:
            raise
        except Exception:
            log.exception("the search index refused document %s; it stays pending", d.id)
            refused.append(d.id)
    return refused


def index_pending(s: Session, index: SearchBackend, batch: int = 500) -> int:
    """Index every processed document still waiting for the index. Returns how many."""
    done = last = 0
    while True:
        ids = list(
            s.scalars(
                select(Document.id)
                .where(
                    Document.index_pending.is_(True),
                    Document.status.in_(FINAL_STATUSES),
                    Document.id > last,  # past documents the index refused
                )
                .order_by(Document.id)
                .limit(batch)
            )
        )
        if not ids:
            return done
        refused = index_documents(s, index, ids)
        s.commit()
        done += len(ids) - len(refused)
        last = ids[-1]


def _in_index():
    """The documents a whole index holds: every one read, and those not read yet whose code
    already vouched for fields (the quick code pass indexed them early)."""
    return or_(
        Document.status.in_(FINAL_STATUSES),
        Document.status.in_((RECEIVED, PROCESSING)) & Document.fields.any(),
    )


def all_documents(s: Session, batch: int = 1000) -> Iterator[SearchDoc]:
    last = 0
    while True:
        docs = list(
            s.scalars(
                _loaded()
                .where(Document.id > last, _in_index())
                .order_by(Document.id)
                .limit(batch)
            )
        )
        if not docs:
            return
        yield from search_docs(s, docs)
        last = docs[-1].id
        s.expunge_all()


def rebuild(s: Session, index: SearchBackend) -> int:
    """Rebuild the whole index from the archive (the archive is the system of record)."""
    started = utcnow()
    ids: list[int] = []

    def docs() -> Iterator[SearchDoc]:
        for d in all_documents(s):
            if d.status in FINAL_STATUSES:  # one indexed early waits for its reading still
                ids.append(d.id)
            yield d

    n = index.rebuild(docs())
    # Documents written to the old index while the new one was built go in again.
    late = list(s.scalars(select(Document.id).where(Document.updated_at >= started)))
    if late:
        index_documents(s, index, late)
    for i in range(0, len(ids), 1000):  # only what went into the new index is marked indexed
        s.execute(
            update(Document).where(Document.id.in_(ids[i : i + 1000])).values(index_pending=False)
        )
    return n


def pending_count(s: Session) -> int:
    return (
        s.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.index_pending.is_(True), Document.status.in_(FINAL_STATUSES))
        )
        or 0
    )


__all__ = [
    "IndexUnavailable",
    "backend",
    "index_documents",
    "index_early",
    "index_pending",
    "rebuild",
    "search_doc",
]
