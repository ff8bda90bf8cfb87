"""One page of a long list (mailroom, customers, audit log): the rows, and how many pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass(frozen=True)
class Paged:
    rows: list[Any]
    total: int  # rows over all pages
    page: int
    pages: int


def paginate(s: Session, stmt: Select, page: int, per_page: int) -> Paged:
    """Page `page` (1-based) of the ordered `stmt`. A page past the end shows the last one,
    so a link kept while rows were removed still lands on something."""
    total = s.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = list(s.scalars(stmt.limit(per_page).offset((page - 1) * per_page)))
    return Paged(rows=rows, total=total, page=page, pages=pages)
