"""The customer master: import from CSV, and hand it to extraction for matching."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import audit
from archive.models import Customer
from extract.customers import Customer as MatchCustomer


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0


class CustomerFileError(ValueError):
    pass


def parse_csv(text: str) -> list[tuple[str, str, list[str]]]:
    """Rows of `code,name[,aliases]` with aliases separated by ';'."""
    text = text.lstrip("\ufeff")  # Excel writes a BOM
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    if header[:2] != ["code", "name"]:
        raise CustomerFileError(f"the header must be code,name[,aliases], not {','.join(header)}")
    reader.fieldnames = header
    rows = []
    for n, row in enumerate(reader, start=2):
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        if not code or not name:
            raise CustomerFileError(f"line {n}: code and name are required")
        aliases = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        rows.append((code, name, aliases))
    return rows


def import_rows(
    s: Session, rows: list[tuple[str, str, list[str]]], user: str | None = None
) -> ImportResult:
    result = ImportResult()
    existing = {c.code: c for c in s.scalars(select(Customer))}
    for code, name, aliases in rows:
        cust = existing.get(code)
        if cust is None:
            cust = existing[code] = Customer(code=code, name=name, aliases=aliases)
            s.add(cust)
            result.added += 1
        elif cust.name != name or sorted(cust.aliases) != sorted(set(cust.aliases) | set(aliases)):
            cust.name = name
            cust.aliases = sorted(set(cust.aliases) | set(aliases))
            result.updated += 1
        else:
            result.unchanged += 1
    audit.record(s, "customers_import", user=user, added=result.added, updated=result.updated)
    return result


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
