"""Completeness audit: which customers' statements for a period are in the archive, which are
missing, which came more than once, and which came late.

A customer is expected for a period when it is active in that month (its active range, both
ends inclusive, overlaps the month) and its cycle asks for a statement then: `monthly` every
month, `quarterly` in the quarter's last month (March, June, September, December), `none`
never. A quarterly statement counts whatever month of its quarter it names as its period.
A statement is received when a read document (accepted or waiting for review) carries the
customer's code and the period; it is late when its first copy arrived more than `late_days`
days after the period ended.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from archive import config
from archive.models import ACCEPTED, NEEDS_REVIEW, Customer, Document, FieldRow

DEFAULT_LATE_DAYS = 15
LATE_DAYS_SETTING = "late_days"  # admins may change it; else STMT_LATE_DAYS, else the default


@dataclass
class Line:
    """One expected customer in the audit."""

    code: str
    name: str
    documents: list[int] = field(default_factory=list)  # received copies, first arrival first
    first_arrival: dt.datetime | None = None
    late: bool = False

    @property
    def state(self) -> str:
        if not self.documents:
            return "missing"
        if len(self.documents) > 1:
            return "duplicate"
        return "late" if self.late else "received"


@dataclass
class Audit:
    period: str
    late_days: int
    lines: list[Line]

    def codes(self, state: str) -> list[str]:
        if state == "late":
            return [x.code for x in self.lines if x.late]
        if state == "duplicate":
            return [x.code for x in self.lines if len(x.documents) > 1]
        return [x.code for x in self.lines if x.state == state]

    def as_json(self) -> dict[str, object]:
        """What `stmt completeness --json` prints: counts, and codes of the ones to act on."""
        return {
            "period": self.period,
            "expected": len(self.lines),
            "received": sum(1 for x in self.lines if x.documents),
            "missing": self.codes("missing"),
            "duplicates": self.codes("duplicate"),
            "late": self.codes("late"),
        }


def month_bounds(period: str) -> tuple[dt.date, dt.date]:
    """First and last day of YYYY-MM."""
    first = dt.date.fromisoformat(period + "-01")
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _months_counted(cycle: str, period: str) -> list[str]:
    """The periods on a statement that answer for `period` under `cycle`; none: not expected."""
    year, month = int(period[:4]), int(period[5:7])
    if cycle == "monthly":
        return [period]
    if cycle == "quarterly" and month % 3 == 0:
        return [f"{year:04d}-{m:02d}" for m in range(month - 2, month + 1)]
    return []


def expected(s: Session, period: str, hidden: frozenset[str] = frozenset()) -> list[Customer]:
    """Customers who owe a statement for `period`, by code; `hidden` ones left out."""
    first, last = month_bounds(period)
    rows = s.scalars(
        select(Customer)
        .where(
            (Customer.active_from.is_(None) | (Customer.active_from <= last)),
            (Customer.active_to.is_(None) | (Customer.active_to >= first)),
        )
        .order_by(Customer.code)
    )
    return [c for c in rows if _months_counted(c.cycle, period) and c.code not in hidden]


def late_days(s: Session) -> int:
    from archive.users import get_setting

    raw = get_setting(s, LATE_DAYS_SETTING)
    if raw and raw.strip().isdigit():
        return int(raw)
    days = config.settings().late_days
    return DEFAULT_LATE_DAYS if days is None else days


def audit(
    s: Session, period: str, *, hidden: frozenset[str] = frozenset(), days: int | None = None
) -> Audit:
    days = late_days(s) if days is None else days
    customers = expected(s, period, hidden)
    wanted = {c.code: _months_counted(c.cycle, period) for c in customers}
    periods = sorted({p for ps in wanted.values() for p in ps})
    code_f, period_f = aliased(FieldRow), aliased(FieldRow)
    found = s.execute(
        select(code_f.value, period_f.value, Document.id, Document.created_at)
        .join(code_f, and_(code_f.document_id == Document.id, code_f.name == "customer_code"))
        .join(period_f, and_(period_f.document_id == Document.id, period_f.name == "period"))
        .where(
            Document.status.in_((ACCEPTED, NEEDS_REVIEW)),
            code_f.value.in_(list(wanted)),
            period_f.value.in_(periods),
        )
        .order_by(Document.created_at, Document.id)
    ).all()
    lines = {c.code: Line(c.code, c.name) for c in customers}
    for code, doc_period, doc_id, arrived in found:
        line = lines[code]
        if doc_period not in wanted[code]:
            continue
        line.documents.append(doc_id)
        if line.first_arrival is None:
            line.first_arrival = arrived
    deadline = month_bounds(period)[1] + dt.timedelta(days=days)
    for line in lines.values():
        if line.first_arrival is not None:
            line.late = line.first_arrival.date() > deadline
    return Audit(period=period, late_days=days, lines=list(lines.values()))


def missing_count(s: Session, period: str, hidden: frozenset[str] = frozenset()) -> int:
    return len(audit(s, period, hidden=hidden).codes("missing"))
