"""Final field confidence and document status.

Evidence, strongest first: our own checksummed QR code (exact values), the customer
master (code, name, aliases), and the statement's arithmetic (opening + charges −
payments = closing; amount due = closing). A document is accepted only when every
REQUIRED field, and every amount read from the page, is at or above the threshold, and no
other field read from the page is below FIELD_FLOOR; otherwise the notes say why it waits
for review.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from extract import qrpayload
from extract.arithmetic import (
    AMOUNT_FIELDS,
    BALANCE,
    amount_in_range,
    balance_holds,
    due_matches,
)
from extract.customers import Customer, match_code, match_customer, match_name, normalize_code
from extract.fields import REQUIRED, required_field
from extract.notes import note
from extract.types import Code, FieldValue, Source, Status
from extract.values import month_bounds

# Weights. bench/accuracy.py measures accuracy against confidence on a labelled corpus and
# sets the acceptance threshold (STMT_REVIEW_THRESHOLD) from that measurement; these
# constants only need to order the evidence sensibly.
QR_CONFIDENCE = 1.0  # a value read from our own signed QR code, or a printed value it confirms
# A code with only its CRC could have been made by anyone: its values alone stay below the
# review threshold, so a reviewer sees them unless the printed page says the same.
CHECKSUM_CONFIDENCE = 0.8
CROSSCHECK_PASS = 0.98  # floor for amounts that satisfy the balance identity
CROSSCHECK_FAIL = 0.6  # factor for amounts that break it
UNKNOWN_CUSTOMER = 0.3  # cap for a customer the master does not know
PERIOD_AGREES = 0.92  # floor for a period the statement date agrees with
PERIOD_FLOOR = 0.4  # period and date must be read at least this well to vouch
STATEMENT_LAG_DAYS = 31  # a statement is dated within this many days after its period
FIXED_SOURCES = (Source.QR, Source.MANUAL)  # exact values: never lowered or replaced
# Any other field read from the page below this keeps the statement in review: a statement
# number or date that weakly read is as likely wrong as right, and an accepted statement's
# values are filed unseen.
FIELD_FLOOR = 0.5

_QR_FIELDS = ("customer_code", "period", "amount_due", "currency", "statement_no")
_ITEM_NAMES = {"customer": "customer", "period": "statement period", "amount": "amount due"}
_CONFUSIONS = str.maketrans({"O": "0", "I": "1", "L": "1"})


class Scored(NamedTuple):
    fields: dict[str, FieldValue]
    status: Status  # ACCEPTED or NEEDS_REVIEW
    notes: list[str]  # why the document needs review, for people


class _Notes:
    """Notes for reviewers, remembering which fields they already explain."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.fields: set[str] = set()
        self.force_review = False
        self.vouched: set[str] = set()  # printed fields our QR code confirmed

    def add(self, text: str, *fields: str) -> None:
        if text not in self.lines:
            self.lines.append(text)
        self.fields.update(fields)


def score(
    fields: Mapping[str, FieldValue],
    codes: Sequence[Code],
    customers: Sequence[Customer],
    *,
    threshold: float,
    qr_key: bytes | None = None,
) -> Scored:
    """Fields with final confidences, the status, and notes; `fields` is not modified.

    `qr_key` is the installation's secret: QR codes signed with it are trusted fully."""
    out = {name: replace(fv) for name, fv in fields.items()}
    notes = _Notes()
    found = _our_code(codes, notes, qr_key)
    if found is not None:
        trust = QR_CONFIDENCE
        if found[0].trust != qrpayload.SIGNED:
            trust = max(0.0, min(CHECKSUM_CONFIDENCE, threshold - 0.01))
        _apply_qr(out, *found, notes, trust)
        _name_from_master(out, found[1], customers, notes)
    else:
        _apply_customer(out, customers, notes, threshold)
    _crosscheck(out, notes)
    _check_period(out)
    _period_bounds(out)
    _check_bounds(out, notes)
    status = _status(out, threshold, notes)
    return Scored(out, status, notes.lines)


# --------------------------------------------------------------------------- QR codes


def _our_code(
    codes: Sequence[Code], notes: _Notes, key: bytes | None = None
) -> tuple[qrpayload.StatementCode, Code] | None:
    """Our statement code on the pages; a code failing its checksum or signature is ignored."""
    valid = []
    for code in codes:
        parsed = qrpayload.parse(code.data, key)
        if parsed is not None:
            valid.append((parsed, code))
        elif key and qrpayload.parse(code.data) is not None:  # the CRC holds, the MAC not
            notes.add(note("qr_foreign_signature", page=code.page))
            notes.force_review = True
        elif code.data.startswith(qrpayload.PREFIX + "|"):
            notes.add(note("qr_bad_checksum", page=code.page))
    if not valid:
        return None
    # a signed code outranks a checksum-only one; a statement code says more than a cover sheet
    valid.sort(key=lambda pc: (pc[0].trust != qrpayload.SIGNED, pc[0].is_cover))
    first = valid[0][0]
    for other, code in valid[1:]:
        amounts = {first.amount, other.amount} - {None}
        if (other.customer, other.period) != (first.customer, first.period) or len(amounts) > 1:
            notes.add(
                note(
                    "qr_disagree",
                    first=f"{first.customer} {first.period}",
                    other=f"{other.customer} {other.period}",
                    page=code.page,
                )
            )
            notes.force_review = True
            return None
    return valid[0]


def _qr_values(sc: qrpayload.StatementCode) -> dict[str, Any]:
    values: dict[str, Any] = {"customer_code": sc.customer, "period": sc.period}
    if sc.amount is not None:
        values["amount_due"] = sc.amount.quantize(Decimal("0.01"))
    if sc.currency:
        values["currency"] = sc.currency.upper()
    if sc.number:
        values["statement_no"] = sc.number
    return values


def _same(name: str, a: Any, b: Any) -> bool:
    if name in ("customer_code", "statement_no"):
        return normalize_code(str(a)).translate(_CONFUSIONS) == normalize_code(str(b)).translate(
            _CONFUSIONS
        )
    if name == "currency":
        return str(a).upper() == str(b).upper()
    return a == b


def _apply_qr(
    out: dict[str, FieldValue],
    sc: qrpayload.StatementCode,
    code: Code,
    notes: _Notes,
    trust: float = QR_CONFIDENCE,
) -> None:
    """QR values win; a printed value they confirm keeps its place on the page at 1.0.
    Values only the code holds get `trust` (lower for a code that is not signed)."""
    for name, value in _qr_values(sc).items():
        printed = out.get(name)
        if printed is not None and printed.source == Source.MANUAL:
            continue
        if printed is not None and printed.page is not None and _same(name, printed.value, value):
            out[name] = replace(printed, value=value, confidence=QR_CONFIDENCE)
            notes.vouched.add(name)
            twin = out.get(printed.same_as or "")
            if twin is not None and twin.source != Source.MANUAL:  # the same printed figure
                out[twin.name] = replace(twin, confidence=QR_CONFIDENCE)
                notes.vouched.add(twin.name)
            continue
        out[name] = FieldValue(name, value, trust, Source.QR, code.page, code.box, code.data)
        if printed is not None and printed.page is not None:
            notes.add(
                note("printed_differs_from_qr", field=name, printed=printed.value, value=value),
                name,
            )
            if name == "amount_due" and not _adds_up_to(out, value):
                # a QR code that contradicts the printed amount may be forged or belong to
                # another statement: a person decides, unless the printed opening, charges
                # and payments add up to the QR amount (then the printed total was misread)
                notes.force_review = True
            if name == "period":  # the printed dates belong to the wrong month
                out.pop("period_start", None)
                out.pop("period_end", None)


def _adds_up_to(out: Mapping[str, FieldValue], closing: Decimal) -> bool:
    o, c, p = (_amount(out, n) for n in BALANCE[:3])
    return o is not None and c is not None and p is not None and balance_holds(o, c, p, closing)


def _name_from_master(
    out: dict[str, FieldValue], code: Code, customers: Sequence[Customer], notes: _Notes
) -> None:
    """The customer name for a QR customer code comes from the master."""
    fv = out["customer_code"]
    if fv.source == Source.MANUAL:
        return
    found = match_code(fv.value, customers)
    if found is None or found.score < 1.0:
        out["customer_code"] = replace(fv, confidence=min(fv.confidence, UNKNOWN_CUSTOMER))
        notes.add(note("qr_customer_unknown", code=repr(fv.value)), "customer_code")
        return
    customer = found.customer
    printed = out.get("customer_name")
    if printed is not None and printed.source == Source.MANUAL:
        return
    if printed is not None and printed.page is not None:
        by_name = match_name(str(printed.value), customers)
        if by_name is not None and by_name.customer.code == customer.code:
            out["customer_name"] = replace(printed, value=customer.name, confidence=QR_CONFIDENCE)
            return
        notes.add(
            note(
                "printed_name_not_qr_customer",
                printed=repr(printed.value),
                code=customer.code,
                name=repr(customer.name),
            )
        )
    out["customer_name"] = FieldValue(
        "customer_name", customer.name, QR_CONFIDENCE, Source.QR, code.page, code.box, None
    )


# --------------------------------------------------------------------------- customer


def _apply_customer(
    out: dict[str, FieldValue], customers: Sequence[Customer], notes: _Notes, threshold: float
) -> None:
    """The printed customer matched to the master; the match score is its confidence."""
    code_fv, name_fv = out.get("customer_code"), out.get("customer_name")
    if any(fv is not None and fv.source in FIXED_SOURCES for fv in (code_fv, name_fv)):
        return
    code = str(code_fv.value) if code_fv else None
    name = str(name_fv.value) if name_fv else None
    found = match_customer(code, name, customers)
    if found is None:
        _unknown_customer(out, code, name, notes)
        return
    anchor = code_fv or name_fv
    name_anchor = name_fv or code_fv
    assert anchor is not None and name_anchor is not None
    c = found.customer
    out["customer_code"] = replace(
        anchor, name="customer_code", value=c.code, confidence=found.score
    )
    out["customer_name"] = replace(
        name_anchor, name="customer_name", value=c.name, confidence=found.score
    )
    if found.score < threshold:
        reason = found.detail or f"matched by {found.method} with score {found.score:.2f}"
        notes.add(
            note(
                "customer_weak",
                code=c.code,
                name=c.name,
                detail=reason,
                method=found.method,
                score=f"{found.score:.2f}",
            ),
            "customer_code",
        )


def _unknown_customer(
    out: dict[str, FieldValue], code: str | None, name: str | None, notes: _Notes
) -> None:
    if code is None and name is None:
        notes.add(note("no_customer"), "customer_code")
        return
    for key in ("customer_code", "customer_name"):
        if key in out:
            out[key] = replace(out[key], confidence=min(out[key].confidence, UNKNOWN_CUSTOMER))
    printed = " / ".join(repr(v) for v in (name, code) if v)
    notes.add(note("customer_unknown", printed=printed), "customer_code")


# --------------------------------------------------------------------------- arithmetic


def _amount(out: Mapping[str, FieldValue], name: str) -> Decimal | None:
    fv = out.get(name)
    return fv.value if fv is not None and isinstance(fv.value, Decimal) else None


def _adjust(
    out: dict[str, FieldValue],
    names: Sequence[str],
    holds: bool,
    vouched: set[str],
    sums: bool = False,
) -> None:
    """Lift the amounts of an identity that holds, lower those of one that fails. An
    identity through row sums that may lack rows or split them wrongly (_unread_sum) lifts
    none of its figures: rows lost at the end of a table leave its sums and its last
    running balance in agreement."""
    if holds and any(_unread_sum(out[n], sums) for n in names):
        return
    for name in names:
        fv = out[name]
        if fv.source in FIXED_SOURCES or name in vouched:
            continue
        conf = max(fv.confidence, CROSSCHECK_PASS) if holds else fv.confidence * CROSSCHECK_FAIL
        out[name] = replace(fv, confidence=round(conf, 4))


def _unread_sum(fv: FieldValue, sums: bool) -> bool:
    """A figure summed from a ledger's rows, not printed, that may lack rows or split them
    wrongly. The identity holds however a signed amount column's credit notes and payments
    were told apart, unless the rows name them (Source.ROWS); and a last row lost to OCR is
    missing from the sums and the last running balance alike, which only a final balance
    printed apart from the rows (`sums`), a total row repeating the last balance, or a text
    layer (the figure's `closed`) rules out."""
    rows_read = fv.source == Source.ROWS and (sums or fv.closed)
    return fv.source not in FIXED_SOURCES and fv.page is not None and not fv.raw and not rows_read


def _one_figure(a: FieldValue, b: FieldValue) -> bool:
    """Two fields read from the same printed figure (not from a QR code)."""
    return a.source not in FIXED_SOURCES and (a.same_as == b.name or b.same_as == a.name)


def _crosscheck(out: dict[str, FieldValue], notes: _Notes) -> None:
    """opening + charges − payments = closing, and amount due = closing when both printed.

    An identity that holds lifts the amounts it involves to CROSSCHECK_PASS, whatever
    their labels; one that fails lowers them, and the amount due with them unless our QR
    code vouches for it, so the statement waits for a reviewer. A value the QR code
    vouches for is never lowered; the others stay below the threshold."""
    o, c, p, cl = (_amount(out, n) for n in BALANCE)
    due = _amount(out, "amount_due")
    vouched = notes.vouched
    identity = None
    # Without a closing balance the amount due is the one final balance the identity ends in.
    final, names = (cl, BALANCE) if cl is not None else (due, (*BALANCE[:3], "amount_due"))
    # an amount due printed apart from the closing balance, and equal to it, or a final
    # balance our QR code vouches for: the rows that end in that balance were all read (see
    # _adjust)
    apart = (
        due is not None and due == cl and not _one_figure(out["amount_due"], out["closing_balance"])
    ) or bool(vouched & {"amount_due", "closing_balance"})
    if o is not None and c is not None and p is not None and final is not None:
        identity = balance_holds(o, c, p, final)
        _adjust(out, names, identity, vouched, sums=apart)
        if not identity:
            notes.add(
                note(
                    "balance_broken",
                    opening=o,
                    charges=c,
                    payments=abs(p),
                    computed=o + c - abs(p),
                    closing=final,
                ),
                *[n for n in names if n not in vouched],
            )
    if due is None or cl is None:
        return
    if _one_figure(out["amount_due"], out["closing_balance"]) or (
        due_matches(due, cl) and identity is False
    ):
        # one printed final balance read as both cannot vouch for itself, and one total
        # copied to both proves little: they stand or fall with the balance identity
        if identity is not None:
            _adjust(out, ("amount_due",), identity, vouched)
        return
    if due_matches(due, cl):  # a credit balance: nothing to pay
        _adjust(out, ("amount_due", "closing_balance"), True, vouched)
        return
    # our QR code's amount due is sure: a closing balance that differs from it is wrong
    sure_due = "amount_due" in vouched or out["amount_due"].source in FIXED_SOURCES
    lowered = ("amount_due",) if identity and not sure_due else ("amount_due", "closing_balance")
    _adjust(out, lowered, False, vouched)
    notes.add(
        note("due_not_closing", due=due, closing=cl), *[n for n in lowered if n not in vouched]
    )


def _check_bounds(out: dict[str, FieldValue], notes: _Notes) -> None:
    """An amount of ten trillion or more is not a statement's: a reviewer decides."""
    for name in AMOUNT_FIELDS:
        value = _amount(out, name)
        if value is not None and not amount_in_range(value):
            notes.add(note("amount_too_large", field=name, value=f"{value:,}"), name)
            notes.force_review = True
            out[name] = replace(out[name], confidence=0.0)


# --------------------------------------------------------------------------- period


def _check_period(out: dict[str, FieldValue]) -> None:
    """A statement is dated shortly after the period it covers: a statement date read
    0-30 days after the end of the printed period vouches for the period. A period
    misread by a month puts the date before its end or a month or more after it."""
    fv, dated = out.get("period"), out.get("statement_date")
    if fv is None or dated is None or fv.source in FIXED_SOURCES:
        return
    if not isinstance(dated.value, date) or min(fv.confidence, dated.confidence) < PERIOD_FLOOR:
        return
    month = _month(fv)
    if month is not None and 0 <= (dated.value - month[1]).days < STATEMENT_LAG_DAYS:
        out["period"] = replace(fv, confidence=max(fv.confidence, PERIOD_AGREES))


def _month(fv: FieldValue) -> tuple[date, date] | None:
    """The first and last day of a period's month ("2026-10")."""
    return month_bounds(str(fv.value))


def _period_bounds(out: dict[str, FieldValue]) -> None:
    """A printed start and end that are the first and last day of the period's month are
    as sure as the period (vouched by our QR code, or by the statement date): a day misread
    would hardly land on them. OCR's doubt about the range's words is no doubt about them."""
    fv = out.get("period")
    month = _month(fv) if fv is not None and fv.value else None
    if month is None:
        return
    for name, day in zip(("period_start", "period_end"), month, strict=True):
        bound = out.get(name)
        if bound is not None and bound.value == day and bound.confidence < fv.confidence:
            out[name] = replace(bound, confidence=fv.confidence)


# --------------------------------------------------------------------------- status


def _status(out: Mapping[str, FieldValue], threshold: float, notes: _Notes) -> str:
    """Accepted when every required field, and every amount read from the page, is at or
    above the threshold, and no other field read from the page is below FIELD_FLOOR.
    A QR code vouches only for the values it carries: an opening balance or payments
    figure it does not confirm, read weakly, would otherwise be filed unseen beside a
    vouched amount due."""
    ok = not notes.force_review
    weak: list[str] = []  # required fields and amounts below the threshold, then the others
    for item in REQUIRED:
        name = required_field(item, out)
        fv = out.get(name)
        if fv is None or fv.value is None:
            notes.add(note("not_found", item=_ITEM_NAMES[item]), name)
            ok = False
        elif fv.confidence < threshold:
            weak.append(name)
    for name in AMOUNT_FIELDS:
        fv = out.get(name)
        if fv is None or fv.value is None or fv.source in FIXED_SOURCES:
            continue
        if fv.confidence < threshold and name not in weak:
            weak.append(name)
    held = len(weak)
    floor = min(FIELD_FLOOR, threshold)
    for name, fv in out.items():
        if name in weak or fv.value is None or fv.source in FIXED_SOURCES:
            continue
        if fv.confidence < floor:
            weak.append(name)
    for i, name in enumerate(weak):
        ok = False
        fv = out[name]
        if name not in notes.fields:
            limit = threshold if i < held else floor
            notes.add(
                note(
                    "low_confidence",
                    field=name,
                    value=fv.value,
                    confidence=f"{fv.confidence:.2f}",
                    threshold=f"{limit:.2f}",
                ),
                name,
            )
    return Status.ACCEPTED if ok else Status.NEEDS_REVIEW
