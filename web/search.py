"""Finance: search with facets and amount filters, browse customer → year → month, view a
document with its page images and fields, download the original, export results as CSV."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, g, render_template, request, send_file, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import access, audit, config, db, documents, userinput
from archive.models import Correction, Customer, Document, FieldRow, utc_text
from archive.store import safe_name
from archive.users import User
from archive.users import review_threshold as stored
from index.base import SearchQuery, SearchResult
from index.service import run_search
from web.auth import READERS, require
from web.i18n import _
from web.pages import box_percent, page_png
from web.spreadsheet import cell

bp = Blueprint("search", __name__)
bp.before_request(require(*READERS))

PER_PAGE = 20
EXPORT_LIMIT = 100_000
SORTS = ("relevance", "-period", "period", "-amount", "amount", "-created", "created")
STATUSES = ("accepted", "needs_review", "failed")
MIME = {"pdf": "application/pdf", "png": "image/png", "jpeg": "image/jpeg", "tiff": "image/tiff"}


@dataclass
class Form:
    """The search form as the user filled it, and what was wrong with it."""

    values: dict[str, str]
    query: SearchQuery
    errors: list[str] = field(default_factory=list)


def parse_form(args, *, limit: int = PER_PAGE) -> Form:
    values = {k: (args.get(k) or "").strip() for k in FORM_KEYS}
    errors: list[str] = []
    period = _period(values["period"], errors)
    page = userinput.parse_page(values["page"])
    q = SearchQuery(
        text=values["q"][:500],
        customer=values["customer"] or None,
        period_from=period or _period(values["period_from"], errors),
        period_to=period or _period(values["period_to"], errors),
        status=values["status"] if values["status"] in STATUSES else None,
        amount=_amount(values["amount"], errors),
        amount_min=_amount(values["amount_min"], errors),
        amount_max=_amount(values["amount_max"], errors),
        sort=values["sort"] if values["sort"] in SORTS else "relevance",
        limit=limit,
        offset=(page - 1) * limit,
    )
    if values["source"] and hasattr(q, "source"):  # once the index filters by source
        q.source = values["source"]  # type: ignore[attr-defined]
    return Form(values, q, errors)


FORM_KEYS = (
    "q",
    "customer",
    "period",
    "period_from",
    "period_to",
    "status",
    "source",
    "amount",
    "amount_min",
    "amount_max",
    "sort",
    "page",
)


def _amount(text: str, errors: list[str]) -> Decimal | None:
    return _parsed(userinput.parse_amount, text, errors)


def _period(text: str, errors: list[str]) -> str | None:
    return _parsed(userinput.parse_period, text, errors)


def _parsed(parse, text: str, errors: list[str]):
    try:
        return parse(text)
    except userinput.InputError as exc:
        errors.append(_(exc.message, **exc.values))
        return None


def viewer() -> User:
    """Who is asking: the user of the API token, else the signed-in user."""
    return g.get("api_user") or current_user


def hidden_customers() -> frozenset[str]:
    """The sensitive customers the viewer may not see."""
    with db.session() as s:
        return access.hidden_customers(s, viewer())


def run(q: SearchQuery) -> SearchResult:

    return run_search(q, viewer())


@bp.get("/search")
def index():
    form = parse_form(request.args)
    result = run(form.query) if not form.errors else SearchResult(total=0, hits=[])
    page = form.query.offset // PER_PAGE + 1
    pages = max(1, -(-result.total // PER_PAGE))
    return render_template(
        "search.html",
        form=form,
        result=result,
        names=customer_names(),
        printed=printed_names([h.id for h in result.hits]),
        years=years_of(result.facets.get("period", {})),
        page=page,
        pages=pages,
        link=_link,
        snippet=safe_snippet,
        searched=any(v for k, v in form.values.items() if k != "page"),
    ), (400 if form.errors else 200)


def _link(**changes: Any) -> str:
    """This search with some parameters changed (None removes one); back to page 1."""
    args = {k: v for k, v in request.args.items() if k in FORM_KEYS and v}
    args.pop("page", None)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return url_for("search.index", **args)


def safe_snippet(text: str) -> Markup:
    """Only <mark> survives: everything else in OCR text is shown as text, never markup."""
    parts = re.split(r"(</?mark>)", text or "")
    out = []
    for part in parts:
        if part in ("<mark>", "</mark>"):
            out.append(part)
        else:
            out.append(html.escape(html.unescape(part)))
    return Markup("".join(out))  # noqa: S704  (every piece escaped above)


def customer_names() -> dict[str, str]:
    with db.session() as s:
        return dict(s.execute(select(Customer.code, Customer.name)).all())


def printed_names(ids: list[int]) -> dict[int, str]:
    """Customer names as read, for hits whose customer is not (yet) in the master."""
    if not ids:
        return {}
    with db.session() as s:
        rows = s.execute(
            select(FieldRow.document_id, FieldRow.value).where(
                FieldRow.document_id.in_(ids), FieldRow.name == "customer_name"
            )
        ).all()
    return {doc_id: value for doc_id, value in rows if value}


def years_of(periods: dict[str, int]) -> list[tuple[str, int, list[tuple[str, int]]]]:
    """Period facet counts as years (newest first), each with its months."""
    by_year: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for p, n in periods.items():
        if p and len(p) == 7:
            by_year[p[:4]].append((p, n))
    return [
        (y, sum(n for _, n in months), sorted(months))
        for y, months in sorted(by_year.items(), reverse=True)
    ]


# -- browse ------------------------------------------------------------------------


@bp.get("/browse")
def browse():
    result = run(SearchQuery(limit=1))
    counts = result.facets.get("customer", {})
    hidden = hidden_customers()
    with db.session() as s:
        customers = [
            c for c in s.scalars(select(Customer).order_by(Customer.code)) if c.code not in hidden
        ]
    known = {c.code for c in customers}
    unknown = sorted(code for code in counts if code not in known)
    return render_template("browse.html", customers=customers, counts=counts, unknown=unknown)


def _known_customer(code: str) -> None:
    """404 for a code that is neither in the master nor on any document, and (the same way,
    audited) for a customer the viewer may not see."""
    with db.session() as s:
        listed = s.scalar(select(Customer.id).where(Customer.code == code)) is not None
        hidden = code in access.hidden_customers(s, viewer())
        if hidden:
            access.denied(s, viewer(), "customer", customer=code, path=request.path)
    if hidden or (not listed and not run(SearchQuery(customer=code, limit=0)).total):
        abort(404)


@bp.get("/browse/<code>")
def browse_customer(code: str):
    _known_customer(code)
    result = run(SearchQuery(customer=code, limit=1))
    years = years_of(result.facets.get("period", {}))
    return render_template(
        "browse_customer.html", code=code, name=customer_names().get(code), years=years
    )


@bp.get("/browse/<code>/<int:year>")
def browse_year(code: str, year: int):
    _known_customer(code)
    result = run(
        SearchQuery(
            customer=code,
            period_from=f"{year}-01",
            period_to=f"{year}-12",
            sort="period",
            limit=500,
        )
    )
    months: dict[int, list] = {m: [] for m in range(1, 13)}
    for hit in result.hits:
        if hit.period and hit.period[:4] == str(year):
            months[int(hit.period[5:])].append(hit)
    return render_template(
        "browse_year.html", code=code, name=customer_names().get(code), year=year, months=months
    )


# -- one document ----------------------------------------------------------------


def load(doc_id: int) -> Document:
    """The document, if the viewer may see it; 404 alike when it does not exist and when it is
    a sensitive customer's that the viewer was not granted (that refusal is audited)."""
    user = viewer()
    with db.session() as s:
        doc = s.scalar(
            select(Document)
            .where(Document.id == doc_id)
            .options(
                selectinload(Document.pages),
                selectinload(Document.fields),
                selectinload(Document.codes),
            )
        )
        refused = doc is not None and not access.may_see(s, user, doc)
        if refused:
            access.denied(s, user, "document", document_id=doc_id, path=request.path)
    if doc is None or refused:
        abort(404)
    return doc


def page_views(doc: Document) -> list[dict[str, Any]]:
    """Each page with its field boxes in percent, for the image overlays."""
    out = []
    for page in doc.pages:
        boxes = [
            {"name": f.name, "box": box_percent(f.box, page), "confidence": f.confidence}
            for f in doc.fields
            if f.page == page.number and f.box
        ]
        out.append({"page": page, "boxes": [b for b in boxes if b["box"]]})
    return out


def corrections_of(doc_id: int) -> list[Correction]:
    with db.session() as s:
        return list(
            s.scalars(
                select(Correction).where(Correction.document_id == doc_id).order_by(Correction.at)
            )
        )


@bp.get("/documents/<int:doc_id>")
def document(doc_id: int):
    doc = load(doc_id)
    with db.session() as s:
        audit.record(s, "view", user=current_user.name, document_id=doc_id)
        customer = s.scalar(select(Customer).where(Customer.code == doc.value("customer_code")))
    return render_template(
        "document.html",
        doc=doc,
        customer=customer,
        pages=page_views(doc),
        field_names=ordered_fields(doc),
        corrections=corrections_of(doc_id),
        threshold=review_threshold(),
    )


def ordered_fields(doc: Document) -> list[str]:
    names = [n for n in documents.FIELD_NAMES if doc.field(n)]
    return names + sorted(f.name for f in doc.fields if f.name not in names)


def review_threshold() -> float:

    with db.session() as s:
        return stored(s, config.settings().review_threshold)


@bp.get("/documents/<int:doc_id>/original")
def original(doc_id: int):
    doc = load(doc_id)
    data = documents.original(config.settings(), doc)
    with db.session() as s:
        audit.record(s, "download", user=current_user.name, document_id=doc_id)
    return send_file(
        io.BytesIO(data),
        mimetype=MIME.get(doc.kind or "", "application/octet-stream"),
        as_attachment=True,  # never rendered inline: the file is untrusted
        download_name=safe_name(doc.filename),
    )


@bp.get("/documents/<int:doc_id>/pages/<int:number>.png")
def page_image(doc_id: int, number: int):
    doc = load(doc_id)
    if number not in {p.number for p in doc.pages}:
        abort(404)
    path = page_png(config.settings(), doc, number)
    if path is None:
        abort(404)
    resp = send_file(path, mimetype="image/png", max_age=3600)
    resp.headers["Cache-Control"] = "private, max-age=3600"
    return resp


# -- export ------------------------------------------------------------------------

EXPORT_COLUMNS = ("id", "file", "status", *documents.FIELD_NAMES, "source", "received")


@bp.get("/search/export.csv")
def export():
    form = parse_form(request.args, limit=1000)
    if form.errors:
        abort(400, "; ".join(form.errors))
    form.query.offset = 0
    ids = _all_ids(form.query)
    out = io.StringIO()
    out.write("\ufeff")  # Excel opens UTF-8 with a BOM correctly (Chinese names)
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for row in _export_rows(ids, hidden_customers()):
        writer.writerow([cell(v) for v in row])
    with db.session() as s:
        audit.record(s, "export", user=current_user.name, rows=len(ids), query=form.values)
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="statements.csv"'},
    )


def _all_ids(q: SearchQuery) -> list[int]:
    ids: list[int] = []
    while q.offset < EXPORT_LIMIT:
        result = run(q)
        ids.extend(h.id for h in result.hits)  # hits the archive hides now are left out
        if q.offset + q.limit >= result.total:
            break
        q.offset += q.limit
    return ids[:EXPORT_LIMIT]


def _export_rows(ids: list[int], hidden: frozenset[str]):
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        with db.session() as s:
            docs = {
                d.id: d
                for d in s.scalars(
                    select(Document)
                    .where(Document.id.in_(chunk), access.visible(hidden))  # as archived now
                    .options(selectinload(Document.fields))
                )
            }
        for i in chunk:
            d = docs.get(i)
            if d is not None:
                yield [d.id, d.filename, d.status, *(d.value(n) for n in documents.FIELD_NAMES)] + [
                    d.source,
                    utc_text(d.created_at),
                ]
