"""The customer master: import and export as CSV, edit one customer, and hand the master to
extraction for matching.

A CSV file has the header `code,name,aliases,cycle,active_from,active_to,owner,email`; all but
code and name are optional (aliases are separated by ';', owner is a user name). An import is
all or nothing: every problem is reported with its line number and nothing is changed until
the whole file is right. In an import an empty cell leaves what the archive has; in the edit
form an empty field clears it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit, userinput
from archive.models import CYCLES, Customer
from archive.userinput import valid_email
from archive.users import User
from extract.customers import Customer as MatchCustomer

COLUMNS = ("code", "name", "aliases", "cycle", "active_from", "active_to", "owner", "email")


class CustomerRow(NamedTuple):
    code: str
    name: str
    aliases: list[str]
    cycle: str | None = None
    active_from: dt.date | None = None
    active_to: dt.date | None = None
    owner: str | None = None  # a user name
    email: str | None = None
    line: int = 0


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class CustomerFileError(ValueError):
    """What is wrong, as (line, English text with {placeholders}, values): the web app shows
    each translated (archive/translations_zh.py), the command line in English."""

    problems: list[tuple[int, str, dict[str, object]]] = field(default_factory=list)

    def __str__(self) -> str:
        return "; ".join(
            (f"line {n}: " if n else "") + text.format(**values)
            for n, text, values in self.problems
        )


def _date(text: str, *, end: bool) -> dt.date:
    """A day (2026-01-31, 2026年1月31日), or a month: its first day (active from) or its last
    (active to). ValueError (userinput.InputError) for anything else."""
    try:
        first = dt.date.fromisoformat(userinput.parse_typed_period(text) + "-01")
    except userinput.InputError:
        return userinput.parse_day(text)
    if not end:
        return first
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(1)


def check_row(values: dict[str, str], line: int = 0) -> tuple[CustomerRow | None, list]:
    """One customer from text values by column name; the row, or None and its problems."""
    v = {k: (values.get(k) or "").strip() for k in COLUMNS}
    problems: list[tuple[int, str, dict[str, object]]] = []

    def problem(text: str, **values: object) -> None:
        problems.append((line, text, values))

    if not v["code"] or not v["name"]:
        problem("code and name are required")
    if len(v["code"]) > 64 or len(v["name"]) > 255:
        problem("a code has at most 64 characters and a name at most 255")
    if v["cycle"] and v["cycle"].lower() not in CYCLES:
        problem("the cycle must be one of {cycles}, not {value}",
                cycles=", ".join(CYCLES), value=v["cycle"])  # fmt: skip
    dates: dict[str, dt.date | None] = {}
    for key in ("active_from", "active_to"):
        try:
            dates[key] = _date(v[key], end=key == "active_to") if v[key] else None
        except ValueError:
            dates[key] = None
            problem("{column} is a date like 2026-01-31, not {value}", column=key, value=v[key])
    if dates["active_from"] and dates["active_to"] and dates["active_from"] > dates["active_to"]:
        problem("active_from is after active_to")
    if v["email"] and not valid_email(v["email"]):
        problem("{value} is not an e-mail address", value=v["email"])
    if problems:
        return None, problems
    aliases = [a.strip() for a in re.split("[;；]", v["aliases"]) if a.strip()]
    row = CustomerRow(
        code=v["code"],
        name=v["name"],
        aliases=[a for a in dict.fromkeys(aliases) if a != v["name"] and len(a) <= 255],
        cycle=v["cycle"].lower() or None,
        active_from=dates["active_from"],
        active_to=dates["active_to"],
        owner=v["owner"] or None,
        email=v["email"] or None,
        line=line,
    )
    return row, []


def parse_csv(text: str) -> list[CustomerRow]:
    """Every row of the file, or CustomerFileError naming every bad line."""
    text = text.lstrip("\ufeff")  # Excel writes a BOM
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    if header[:2] != ["code", "name"]:
        raise CustomerFileError(
            [(1, "the header must start with code,name (columns: {columns}), not {header}",
              {"columns": ",".join(COLUMNS), "header": ",".join(header)})]
        )  # fmt: skip
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise CustomerFileError(
            [(1, "unknown columns {unknown}; the columns are {columns}",
              {"unknown": ",".join(unknown), "columns": ",".join(COLUMNS)})]
        )  # fmt: skip
    reader.fieldnames = header
    rows, problems, seen = [], [], {}
    for n, values in enumerate(reader, start=2):
        if not any((x or "").strip() for x in values.values() if isinstance(x, str)):
            continue  # a blank line
        row, found = check_row(values, n)
        problems += found
        code = (values.get("code") or "").strip()
        if code in seen:
            problems.append(
                (n, "customer {code} is also on line {other}", {"code": code, "other": seen[code]})
            )
        elif code:
            seen[code] = n
        if row is not None:
            rows.append(row)
    if problems:
        raise CustomerFileError(problems)
    return rows


def _owners(s: Session, rows: list[CustomerRow]) -> dict[str, int]:
    """User ids of the owners the rows name; CustomerFileError for a name that is no user."""
    names = {r.owner for r in rows if r.owner}
    found = dict(s.execute(select(User.name, User.id).where(User.name.in_(names))).all())
    problems = [
        (r.line, "owner {owner} is not a user", {"owner": r.owner})
        for r in rows
        if r.owner and r.owner not in found
    ]
    if problems:
        raise CustomerFileError(problems)
    return found


def import_rows(
    s: Session, rows: list[CustomerRow] | list[tuple], user: str | None = None
) -> ImportResult:
    """Add or update customers; aliases are added to those known. Nothing changes when a row
    names an owner who is not a user (CustomerFileError)."""
    rows = [r if isinstance(r, CustomerRow) else CustomerRow(*r) for r in rows]
    owners = _owners(s, rows)
    result = ImportResult()
    existing = {c.code: c for c in s.scalars(select(Customer))}
    for row in rows:
        cust = existing.get(row.code)
        if cust is None:
            cust = existing[row.code] = Customer(code=row.code, name=row.name, aliases=[])
            s.add(cust)
            _apply(cust, row, owners, clear=False)
            result.added += 1
        elif _apply(cust, row, owners, clear=False):
            result.updated += 1
        else:
            result.unchanged += 1
    audit.record(s, "customers_import", user=user, added=result.added, updated=result.updated)
    return result


def _apply(cust: Customer, row: CustomerRow, owners: dict[str, int], *, clear: bool) -> bool:
    """Set the customer from the row; with `clear` empty values clear, else they are left.
    True when something changed."""
    before = _values(cust)
    cust.name = row.name
    aliases = row.aliases if clear else list(dict.fromkeys([*(cust.aliases or []), *row.aliases]))
    cust.aliases = [a for a in aliases if a != row.name]
    given = {
        "cycle": row.cycle or ("monthly" if clear else None),
        "active_from": row.active_from,
        "active_to": row.active_to,
        "owner_id": owners.get(row.owner) if row.owner else None,
        "email": row.email,
    }
    for key, value in given.items():
        if value is not None or clear:
            setattr(cust, key, value)
    if cust.cycle is None:
        cust.cycle = "monthly"
    return _values(cust) != before


def _values(cust: Customer) -> dict[str, object]:
    return {
        "name": cust.name,
        "aliases": sorted(cust.aliases or []),
        "cycle": cust.cycle,
        "active_from": cust.active_from.isoformat() if cust.active_from else None,
        "active_to": cust.active_to.isoformat() if cust.active_to else None,
        "owner_id": cust.owner_id,
        "email": cust.email,
    }


def save_customer(
    s: Session, values: dict[str, str], *, customer_id: int | None = None, user: str | None = None
) -> Customer:
    """Add a customer (no id) or change one from form values by column name; the customer's
    code does not change. CustomerFileError (line 0) says what is wrong."""
    cust = s.get(Customer, customer_id) if customer_id is not None else None
    if customer_id is not None and cust is None:
        raise CustomerFileError([(0, "no such customer", {})])
    if cust is not None:
        values = {**values, "code": cust.code}
    row, problems = check_row(values)
    if row is None:
        raise CustomerFileError(problems)
    owners = _owners(s, [row])
    if cust is None:
        if s.scalar(select(Customer.id).where(Customer.code == row.code)) is not None:
            raise CustomerFileError([(0, "customer {code} already exists", {"code": row.code})])
        cust = Customer(code=row.code, name=row.name, aliases=[])
        s.add(cust)
        before = None
    else:
        before = _values(cust)
    _apply(cust, row, owners, clear=True)
    s.flush()
    audit.record(
        s, "customer_added" if before is None else "customer_changed", user=user,
        code=cust.code, before=before, after=_values(cust),
    )  # fmt: skip
    return cust


def export_csv(s: Session) -> str:
    """The whole master in the import format, so export → edit → import round-trips."""
    owners = dict(s.execute(select(User.id, User.name)).all())
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in s.scalars(select(Customer).order_by(Customer.code)):
        writer.writerow(
            [
                c.code,
                c.name,
                ";".join(c.aliases or []),
                c.cycle,
                c.active_from.isoformat() if c.active_from else "",
                c.active_to.isoformat() if c.active_to else "",
                owners.get(c.owner_id, "") if c.owner_id else "",
                c.email or "",
            ]
        )
    return out.getvalue()


def add_alias(s: Session, code: str, alias: str) -> bool:
    cust = s.scalar(select(Customer).where(Customer.code == code))
    if cust is None or not alias or alias == cust.name or alias in cust.aliases:
        return False
    cust.aliases = [*cust.aliases, alias]
    return True


def master(s: Session) -> list[MatchCustomer]:
    return [
        MatchCustomer(code=c.code, name=c.name, aliases=tuple(c.aliases))
        for c in s.scalars(select(Customer).order_by(Customer.code))
    ]
