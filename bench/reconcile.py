"""Reconciliation at scale (prints figures; not a pass/fail test).

    python -m bench.reconcile [--customers 10000] [--lines 10] [--database-url URL]

Builds a throwaway archive (embedded SQLite by default) holding one statement per customer for
a period, each with `--lines` line items, and the ledger for the period: a balance per
customer and an open item per line (some missing, some different, some customers on one side
only). Then prints how long services/reconcile.py takes for the whole period, and the counts
of each status, so the figure can be compared with the target of 10 s for 10,000 customers.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PERIOD = "2026-10"


def build(customers: int, lines: int, seed: int = 5) -> None:
    from sqlalchemy import insert

    from archive import db
    from archive.ledger import LedgerBalance, LedgerImport, LedgerItem, LineRow
    from archive.models import Document, FieldRow

    rng = random.Random(seed)
    docs, fields, rows, balances, items = [], [], [], [], []
    doc_id = 0
    for c in range(customers):
        code = f"C{c:05d}"
        on_statement = c % 50 != 0  # 2 % have no statement: no_statement
        in_ledger = c % 40 != 1  # 2.5 % have no ledger balance: no_ledger
        total = Decimal(0)
        entries = []
        for n in range(1, lines + 1):
            amount = Decimal(rng.randint(100, 5_000_000)) / 100
            day = dt.date(2026, 10, rng.randint(1, 28))
            entries.append((n, day, f"INV-{c}-{n}", amount))
            total += amount
        if on_statement:
            doc_id += 1
            docs.append(
                {
                    "id": doc_id,
                    "sha256": f"{doc_id:064x}",
                    "filename": f"{code}.pdf",
                    "size": 1,
                    "source": "cli",
                    "status": "accepted",
                    "index_pending": False,
                }
            )
            for name, value in (
                ("customer_code", code),
                ("period", PERIOD),
                ("closing_balance", format(total, "f")),
            ):
                fields.append(
                    {
                        "document_id": doc_id,
                        "name": name,
                        "value": value,
                        "confidence": 1.0,
                        "source": "text",
                    }
                )
            for n, day, ref, amount in entries:
                rows.append(
                    {
                        "document_id": doc_id,
                        "number": n,
                        "kind": "transaction",
                        "date": day,
                        "reference": ref,
                        "description": "货款",
                        "debit": amount,
                        "page": 1,
                    }
                )
        if in_ledger:
            differs = c % 10 == 3  # one customer in ten: the ledger lacks a line
            kept = entries[:-1] if differs else entries
            ledger_total = sum((a for *_, a in kept), Decimal(0))
            balances.append(
                {"customer_code": code, "period": PERIOD, "balance": ledger_total, "import_id": 1}
            )
            for _n, day, ref, amount in kept:
                items.append(
                    {
                        "customer_code": code,
                        "period": PERIOD,
                        "date": day,
                        # every third item is booked without the customer's reference
                        "reference": None if rng.random() < 0.33 else ref,
                        "amount": amount,
                        "import_id": 1,
                    }
                )
    with db.session() as s:
        s.add(LedgerImport(id=1, kind="balances", filename="bench.csv", user="bench"))
        s.flush()
        for model, values in (
            (Document, docs),
            (FieldRow, fields),
            (LineRow, rows),
            (LedgerBalance, balances),
            (LedgerItem, items),
        ):
            for i in range(0, len(values), 5000):
                s.execute(insert(model), values[i : i + 5000])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--customers", type=int, default=10_000)
    ap.add_argument("--lines", type=int, default=10, help="Line items per statement.")
    ap.add_argument("--database-url", help="Default: embedded SQLite in a temporary folder.")
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    os.environ["STMT_DATA_DIR"] = tmp.name
    if args.database_url:
        os.environ["STMT_DATABASE_URL"] = args.database_url
    from archive import db
    from services.reconcile import reconcile

    db.upgrade()
    t0 = time.perf_counter()
    build(args.customers, args.lines)
    print(
        f"{args.customers:,} customers x {args.lines} lines built in "
        f"{time.perf_counter() - t0:.1f} s"
    )
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        with db.session() as s:
            rows = reconcile(s, PERIOD)
        times.append(time.perf_counter() - t0)
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    unmatched = sum(len(r.unmatched_lines) + len(r.unmatched_items) for r in rows)
    print(
        f"reconcile {PERIOD}: {len(rows):,} customers in {min(times):.2f} s (best of "
        f"{args.runs}; all: {', '.join(f'{t:.2f}' for t in times)}); target <= 10 s"
    )
    print("statuses: " + ", ".join(f"{k} {n:,}" for k, n in sorted(counts.items())))
    print(f"unmatched entries listed: {unmatched:,}")


if __name__ == "__main__":
    main()
