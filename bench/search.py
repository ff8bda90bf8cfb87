"""Search at scale (prints figures; not a pass/fail test).

    python -m bench.search [--docs 100000] [--queries 200] [--backends sqlite,elastic]

Loads synthetic statement records (20 line items each, every line's amount and running
balance indexed with its place) straight into each backend (no OCR), then prints indexing
docs/s and p50/p95 latency of: full text, a Chinese word, exact amount (anywhere, in the
summary, a line's amount anywhere and in lines only), amount range (and in lines),
customer filter with facets, a combined query, and a Chinese word and a customer filter as a
user who may not see a quarter of the customers (per-customer access). For Elasticsearch it
then rebuilds the whole index behind the alias while another thread keeps searching, and
counts failures.
Elasticsearch: STMT_SEARCH_URL, else a node started by tests/elasticsearch-node/start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.base import LINE, PlacedAmount, SearchDoc, SearchQuery  # noqa: E402

# Vocabularies of words that appear in the transaction lines; each statement has twelve
# lines, so a word is on about a quarter of all statements (a realistic, unkind case).
CN_WORDS = (
    "货款 钢材 电缆 运输费 仓储费 服务费 预付款 退货 折让 发票 对账 结算 采购 销售 维修 "
    "管材 阀门 轴承 电机 涂料 胶带 纸箱 托盘 叉车 配件 模具 螺栓 焊条 油漆 灯具 "
    "开关 插座 线缆 水泥 玻璃 木材 布料 纽扣 拉链 标签"
).split()
EN_WORDS = (
    "freight steel cable invoice payment credit storage service repair valve bearing motor "
    "paint tape carton pallet forklift parts mould bolt welding lamp switch socket wire "
    "cement glass timber fabric button zipper label rebate discount deposit refund "
    "insurance customs handling packing"
).split()
CITIES = ["上海", "北京", "深圳", "广州", "杭州", "南京", "武汉", "成都", "西安", "天津"]
TRADES = ["贸易", "物流", "电子", "机械", "化工", "医疗器械", "建材", "食品", "纺织", "科技"]


HIDDEN = frozenset(f"C{i:04d}" for i in range(0, 800, 4))  # of the 800 customers below


def records(n: int, seed: int = 7, per_doc: int = 20) -> list[SearchDoc]:
    """`n` statements of `per_doc` transaction lines each; every line's amount and running
    balance is indexed with its place, as index/documents.py does for real statements."""
    rng = random.Random(seed)
    customers = [
        (f"C{i:04d}", f"{rng.choice(CITIES)}{rng.choice(TRADES)}{i}有限公司") for i in range(800)
    ]
    out = []
    for i in range(1, n + 1):
        code, name = rng.choice(customers)
        year, month = rng.randint(2021, 2026), rng.randint(1, 12)
        amount = Decimal(rng.randint(-50_000, 50_000_000)) / 100
        lines = [f"{name} 对账单 {year}年{month}月 客户编号 {code}"]
        placed: list[PlacedAmount] = []
        balance = Decimal(0)
        for number in range(1, per_doc + 1):
            value = Decimal(rng.randint(100, 10_000_000)) / 100
            balance += value
            lines.append(
                f"{year}-{month:02d}-{rng.randint(1, 28):02d} {rng.choice(CN_WORDS)} "
                f"{rng.choice(EN_WORDS)} INV-{rng.randint(10000, 99999)} "
                f"{value:,} {balance:,}"
            )
            placed.append(PlacedAmount(LINE, value, "debit", number, 1))
            placed.append(PlacedAmount(LINE, balance, "balance", number, 1))
        lines.append(f"应付金额 Amount due {amount:,}")
        out.append(
            SearchDoc(
                id=i,
                file=f"statement-{i}.pdf",
                status=rng.choices(["accepted", "needs_review", "failed"], [90, 9, 1])[0],
                customer_code=code,
                customer_name=name,
                period=f"{year}-{month:02d}",
                statement_no=f"ST-{year}{month:02d}-{i}",
                statement_date=dt.date(year, month, 28),
                amount_due=amount,
                closing_balance=amount,
                currency="CNY",
                source=rng.choice(["upload", "mail", "folder", "cli"]),
                text="\n".join(lines),
                created=dt.datetime(2026, 1, 1) + dt.timedelta(minutes=i),
                amounts=placed,
            )
        )
    return out


def queries(docs: list[SearchDoc], n: int, seed: int = 11) -> dict[str, list[SearchQuery]]:
    rng = random.Random(seed)
    pick = lambda: rng.choice(docs)  # noqa: E731
    return {
        "full text (English word)": [SearchQuery(text=rng.choice(EN_WORDS)) for _ in range(n)],
        "Chinese word": [SearchQuery(text=rng.choice(CN_WORDS)) for _ in range(n)],
        "exact amount": [SearchQuery(amount=pick().amount_due) for _ in range(n)],
        "exact amount in summaries": [
            SearchQuery(amount=pick().amount_due, amount_in="summary") for _ in range(n)
        ],
        "line amount (all places)": [
            SearchQuery(amount=rng.choice(pick().amounts).amount) for _ in range(n)
        ],
        "line amount in lines": [
            SearchQuery(amount=rng.choice(pick().amounts).amount, amount_in="lines")
            for _ in range(n)
        ],
        "amount range in lines": [
            SearchQuery(amount_min=Decimal(a), amount_max=Decimal(a) + 50, amount_in="lines")
            for a in (rng.randint(0, 100_000) for _ in range(n))
        ],
        "amount range": [
            SearchQuery(amount_min=Decimal(a), amount_max=Decimal(a + 5000))
            for a in (rng.randint(0, 400_000) for _ in range(n))
        ],
        "customer + facets": [SearchQuery(customer=pick().customer_code) for _ in range(n)],
        # per-customer access: a quarter of the customers are sensitive and not granted
        "Chinese word, 1/4 hidden": [
            SearchQuery(text=rng.choice(CN_WORDS), hidden_customers=HIDDEN) for _ in range(n)
        ],
        "customer + facets, 1/4 hidden": [
            SearchQuery(customer=pick().customer_code, hidden_customers=HIDDEN) for _ in range(n)
        ],
        "combined": [
            SearchQuery(
                text=rng.choice(CN_WORDS),
                customer=d.customer_code,
                period_from=f"{d.period[:4]}-01",
                period_to=f"{d.period[:4]}-12",
                amount_min=Decimal(0),
                status="accepted",
            )
            for d in (pick() for _ in range(n))
        ],
    }


def latency(backend, qs: list[SearchQuery]) -> tuple[float, float]:
    times = []
    for q in qs:
        t0 = time.perf_counter()
        backend.search(q)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def load(backend, docs: list[SearchDoc]) -> float:
    t0 = time.perf_counter()
    backend.rebuild(docs)
    if hasattr(backend, "refresh"):
        backend.refresh()
    return len(docs) / (time.perf_counter() - t0)


def swap_under_load(backend, docs: list[SearchDoc]) -> tuple[int, int, float]:
    """Rebuild behind the alias while searching; returns (searches, failures, seconds)."""
    stop, counts = threading.Event(), [0, 0]

    def searcher() -> None:
        while not stop.is_set():
            try:
                backend.search(SearchQuery(text="货款", limit=5))
            except Exception:
                counts[1] += 1
            counts[0] += 1

    t = threading.Thread(target=searcher)
    t.start()
    t0 = time.perf_counter()
    backend.rebuild(docs)
    secs = time.perf_counter() - t0
    stop.set()
    t.join()
    return counts[0], counts[1], secs


def elastic_backend():
    from index.elastic import ElasticBackend

    url = os.environ.get("STMT_SEARCH_URL")
    started = False
    if not url:
        node = ROOT / "tests" / "elasticsearch-node"
        # The test node runs with the quick-start JIT (C1 only); a benchmark wants the full
        # JIT and a heap that holds 100k documents comfortably.
        env = os.environ | {"ES_NODE_JAVA_OPTS": "-XX:TieredStopAtLevel=4", "ES_NODE_HEAP": "1g"}
        url = subprocess.run(
            [str(node / "start")], check=True, capture_output=True, text=True, env=env
        ).stdout.strip()
        started = True
    backend = ElasticBackend.from_url(
        url,
        os.environ.get("STMT_SEARCH_USER"),
        os.environ.get("STMT_SEARCH_PASSWORD"),
        None,
        request_timeout=600,  # a bulk request of line amounts takes long on a busy machine
    )
    backend.index_prefix = "bench-statements"
    return backend, started


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--lines", type=int, default=20, help="Line items per statement.")
    ap.add_argument(
        "--swap",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="Elasticsearch: also rebuild behind the alias while searching.",
    )
    ap.add_argument("--backends", default="sqlite,elastic")
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs = records(args.docs, per_doc=args.lines)
    secs = time.perf_counter() - t0
    print(f"{len(docs):,} synthetic statements of {args.lines} lines made in {secs:.1f} s")
    qs = queries(docs, args.queries)
    table: dict[str, dict[str, str]] = {}
    for name in args.backends.split(","):
        started = False
        if name == "sqlite":
            from index.sqlite import SqliteBackend

            tmp = tempfile.TemporaryDirectory()
            backend = SqliteBackend(Path(tmp.name) / "search.sqlite3")
        else:
            backend, started = elastic_backend()
        try:
            col = table.setdefault(name, {})
            col["indexing"] = f"{load(backend, docs):,.0f} docs/s"
            for label, q in qs.items():
                latency(backend, q[:10])  # warm caches
                p50, p95 = latency(backend, q)
                col[label] = f"{p50:6.1f} / {p95:6.1f} ms"
            if name == "elastic" and args.swap:
                n, failed, secs = swap_under_load(backend, docs)
                col["rebuild behind alias"] = f"{secs:.0f} s, {failed} of {n} searches failed"
        finally:
            backend.close()
            if started:
                subprocess.run([str(ROOT / "tests" / "elasticsearch-node" / "stop")], check=False)
        print_table(table)  # after each backend: a long run still reports what it measured


def print_table(table: dict[str, dict[str, str]]) -> None:
    rows = list(dict.fromkeys(k for col in table.values() for k in col))
    names = list(table)
    print(f"\n{'(p50 / p95)':<28}" + "".join(f"{n:>30}" for n in names), flush=True)
    for row in rows:
        print(f"{row:<28}" + "".join(f"{table[n].get(row, '-'):>30}" for n in names), flush=True)


if __name__ == "__main__":
    main()
