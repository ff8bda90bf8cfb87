"""Finance: search with facets and amount filters, browse customer → year → month, view a
document with its page images and fields, download the original, export results as CSV."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import access, audit, config, db, documents, userinput
from archive.ledger import CONFIRMATION_STATES as CONFIRMATIONS
from archive.ledger import DISPUTE_STATUSES, LineRow
from archive.models import FINAL_STATUSES, Correction, Customer, Document, FieldRow, utc_text
from archive.store import safe_name
from archive.users import User
from archive.users import review_threshold as stored
from index.base import SearchQuery, SearchResult
from index.service import run_search
from web.auth import READERS, require
from web.i18n import _
from web.pages import box_percent, page_png, thumb_png
from web.spreadsheet import XLSX_MIME, csv_bytes, xlsx_bytes

bp = Blueprint("search", __name__)
bp.before_request(require(*READERS))

PER_PAGE = 20
EXPORT_LIMIT = 100_000
SORTS = ("relevance", "-period", "period", "-amount", "amount", "-created", "created")
STATUSES = tuple(FINAL_STATUSES)  # what the search filter offers
AMOUNT_PLACES = ("all", "summary", "lines", "page")  # where amount filters look
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
        tag=values["tag"] or None,
        period_from=period or _period(values["period_from"], errors),
        period_to=period or _period(values["period_to"], errors),
        status=values["status"] if values["status"] in STATUSES else None,
        amount=_amount(values["amount"], errors),
        amount_min=_amount(values["amount_min"], errors),
        amount_max=_amount(values["amount_max"], errors),
        amount_in=values["in"] if values["in"] in AMOUNT_PLACES else "all",
        confirmation=values["confirmation"] if values["confirmation"] in CONFIRMATIONS else None,
        dispute=values["dispute"] if values["dispute"] in DISPUTE_STATUSES else None,
        sort=values["sort"] if values["sort"] in SORTS else "relevance",
        limit=limit,
        offset=(page - 1) * limit,
    )
    if q.amount_min is not None and q.amount_max is not None and q.amount_min > q.amount_max:
        errors.append(
            _("Amount from {low} is above amount to {high}, so nothing can match: swap them.",
              low=values["amount_min"], high=values["amount_max"])
        )  # fmt: skip
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
    "tag",
    "amount",
    "amount_min",
    "amount_max",
    "in",
    "confirmation",
    "dispute",
    "sort",
    "page",
)


def _amount(text: str, errors: list[str]) -> Decimal | None:
    return _parsed(userinput.parse_amount, text, errors)


def _period(text: str, errors: list[str]) -> str | None:
    return _parsed(userinput.parse_typed_period, text, errors)


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
    return field_values(ids, "customer_name")


def field_values(ids: list[int], name: str) -> dict[int, str]:
    """One field's value (where there is one) of each of these documents."""
    if not ids:
        return {}
    with db.session() as s:
        rows = s.execute(
            select(FieldRow.document_id, FieldRow.value).where(
                FieldRow.document_id.in_(ids), FieldRow.name == name
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
    """Each page with its field boxes in percent, for the image overlays. Fields read from
    one printed figure (closing balance and amount due) share one box and one label, so
    labels never pile up on one spot."""
    out = []
    for page in doc.pages:
        boxes: dict[tuple, dict[str, Any]] = {}
        for f in doc.fields:
            box = box_percent(f.box, page) if f.page == page.number and f.box else None
            if not box:
                continue
            entry = boxes.setdefault(
                tuple(box), {"name": f.name, "names": [], "box": box, "confidence": f.confidence}
            )
            entry["names"].append(f.name)
            entry["confidence"] = min(entry["confidence"], f.confidence)
        out.append({"page": page, "boxes": list(boxes.values())})
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
        from services.disputes import answer_of, disputes

        answer, doc_disputes = answer_of(s, doc_id), disputes(s, document_id=doc_id)
    return render_template(
        "document.html",
        doc=doc,
        customer=customer,
        pages=page_views(doc),
        field_names=ordered_fields(doc),
        corrections=corrections_of(doc_id),
        threshold=review_threshold(),
        lines=documents.document_lines(doc),
        answer=answer,
        disputes=doc_disputes,
        dispute_statuses=DISPUTE_STATUSES,
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


# What browsers show by themselves; other originals (TIFF) are seen through their page images.
INLINE = ("pdf", "png", "jpeg")


@bp.get("/documents/<int:doc_id>/view")
def view_original(doc_id: int):
    """The original in the browser (its PDF viewer, or the image), not as a download. It is
    served under the app's own Content-Security-Policy (no scripts of its own, no framing)
    and as its sniffed type only, so an untrusted file cannot run as a page of the app."""
    doc = load(doc_id)
    if doc.kind not in INLINE:
        return redirect(url_for("search.document", doc_id=doc_id) + "#pages")
    data = documents.original(config.settings(), doc)
    with db.session() as s:
        audit.record(s, "view_original", user=current_user.name, document_id=doc_id)
    resp = send_file(
        io.BytesIO(data),
        mimetype=MIME[doc.kind],
        as_attachment=False,
        download_name=safe_name(doc.filename),
    )
    resp.headers["Cache-Control"] = "private, no-store"
    return resp


def _page_file(doc_id: int, number: int, render) -> Response:
    doc = load(doc_id)
    if number not in {p.number for p in doc.pages}:
        abort(404)
    path = render(config.settings(), doc, number)
    if path is None:
        abort(404)
    # A page's image never changes (it is named by the file's hash); private: whether this
    # user may see it is checked on every request that reaches the server.
    resp = send_file(path, mimetype="image/png", max_age=PAGE_MAX_AGE)
    resp.headers["Cache-Control"] = f"private, max-age={PAGE_MAX_AGE}"
    return resp


PAGE_MAX_AGE = 3600


@bp.get("/documents/<int:doc_id>/pages/<int:number>.png")
def page_image(doc_id: int, number: int):
    return _page_file(doc_id, number, page_png)


@bp.get("/documents/<int:doc_id>/pages/<int:number>/thumb.png")
def page_thumb(doc_id: int, number: int):
    """A page's thumbnail: beside the pages, and page 1 in the search results."""
    return _page_file(doc_id, number, thumb_png)


# -- export ------------------------------------------------------------------------

EXPORT_COLUMNS = ("id", "file", "status", *documents.FIELD_NAMES, "source", "received")
# each line item of a statement is a row of its own, the statement's columns repeated
LINE_COLUMNS = (
    "line",
    "line_date",
    "line_reference",
    "line_description",
    "line_debit",
    "line_credit",
    "line_balance",
    "line_page",
)


def _exported(form: Form) -> list[int]:
    if form.errors:
        abort(400, "; ".join(form.errors))
    form.query.offset = 0
    ids = _all_ids(form.query)
    with db.session() as s:
        audit.record(s, "export", user=current_user.name, rows=len(ids), query=form.values)
    return ids


@bp.get("/search/export.csv")
def export():
    ids = _exported(parse_form(request.args, limit=1000))
    data = csv_bytes((*EXPORT_COLUMNS, *LINE_COLUMNS), _export_rows(ids, hidden_customers()))
    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="statements.csv"'},
    )


@bp.get("/search/export.xlsx")
def export_xlsx():
    ids = _exported(parse_form(request.args, limit=1000))
    data = xlsx_bytes((*EXPORT_COLUMNS, *LINE_COLUMNS), _export_rows(ids, hidden_customers()))
    return Response(
        data,
        mimetype=XLSX_MIME,
        headers={"Content-Disposition": 'attachment; filename="statements.xlsx"'},
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
            lines = defaultdict(list)
            for row in s.scalars(
                select(LineRow).where(LineRow.document_id.in_(chunk)).order_by(LineRow.number)
            ):
                lines[row.document_id].append(row)
        for i in chunk:
            d = docs.get(i)
            if d is None:
                continue
            head = [d.id, d.filename, d.status, *(d.value(n) for n in documents.FIELD_NAMES)]
            head += [d.source, utc_text(d.created_at)]
            if not lines[i]:
                yield head + [None] * len(LINE_COLUMNS)
            for r in lines[i]:
                yield head + [
                    r.number,
                    *(
                        documents.to_text(v)
                        for v in (r.date, r.reference, r.description, r.debit, r.credit, r.balance)
                    ),
                    r.page,
                ]
