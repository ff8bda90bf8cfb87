"""Search at scale (prints figures; not a pass/fail test).

    python -m bench.search [--docs 1000000] [--queries 200] [--backends sqlite,elastic]
                           [--keep DIR] [--copies K] [--no-swap] [--shards N]

Loads synthetic statement records (20 line items each, every line's amount and running
balance indexed with its place, two fees as page amounts), made one at a time while loading,
straight into each backend (no OCR). Prints the build's time, the loader's CPU time and peak
RSS, the index's size (for Elasticsearch also its heap and the node's peak RSS), then p50/p95
wall-clock latency (and, for SQLite, the p95 CPU time) of: the plain engine's floor (the
matching ids of a word), full text, a Chinese word, an invoice number, customer and period
filters with facets, facets alone, exact amounts and amount ranges in summaries, lines, pages
and anywhere, and per-customer access (a quarter of the customers hidden). Kinds whose p95 is
over 50 ms are marked "!" and listed with the reason (docs/scale.md). For Elasticsearch it
then rebuilds the whole index behind the alias while another thread keeps searching, and
counts failures.
Elasticsearch: STMT_SEARCH_URL or STMT_TEST_ELASTICSEARCH_URL, else a node started by
tests/elasticsearch-node/start.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import pickle
import random
import sqlite3
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

from index.base import LINE, PAGE, PlacedAmount, SearchDoc, SearchQuery  # noqa: E402

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


def records(n: int, seed: int = 7, per_doc: int = 20, sample: list | None = None):
    """`n` statements of `per_doc` transaction lines each, made one at a time (a million do
    not fit in memory at once); every line's amount and running balance is indexed with its
    place, as index/documents.py does for real statements, and two fees printed in the footer
    are page amounts. The same seed gives the same statements, so each backend loads the same.
    `sample`: filled with about 2,000 of the statements, spread evenly, to draw queries from."""
    rng = random.Random(seed)
    rand = rng.random
    customers = [
        (f"C{i:04d}", f"{rng.choice(CITIES)}{rng.choice(TRADES)}{i}有限公司") for i in range(800)
    ]
    statuses = ["accepted"] * 90 + ["needs_review"] * 9 + ["failed"]
    sources = ["upload", "mail", "folder", "cli"]
    step = max(1, n // 2000)
    start = dt.datetime(2026, 1, 1)

    def pick(seq):  # rng.choice, without its per-call overhead
        return seq[int(rand() * len(seq))]

    for i in range(1, n + 1):
        code, name = pick(customers)
        year, month = 2021 + int(rand() * 6), 1 + int(rand() * 12)
        amount = Decimal(int(rand() * 50_050_001) - 50_000).scaleb(-2)
        lines = [f"{name} 对账单 {year}年{month}月 客户编号 {code}"]
        placed: list[PlacedAmount] = []
        balance = 0
        for number in range(1, per_doc + 1):
            value = 100 + int(rand() * 9_999_901)  # cents
            balance += value
            lines.append(
                f"{year}-{month:02d}-{1 + int(rand() * 28):02d} {pick(CN_WORDS)} "
                f"{pick(EN_WORDS)} INV-{10000 + int(rand() * 90000)} "
                f"{value // 100:,}.{value % 100:02d} {balance // 100:,}.{balance % 100:02d}"
            )
            placed.append(PlacedAmount(LINE, Decimal(value).scaleb(-2), "debit", number, 1))
            placed.append(PlacedAmount(LINE, Decimal(balance).scaleb(-2), "balance", number, 1))
        fees = [100 + int(rand() * 99_901) for _ in range(2)]  # cents: 1.00 to 1,000.00
        lines.append(f"手续费 Handling {fees[0] // 100}.{fees[0] % 100:02d}")
        lines.append(f"邮费 Postage {fees[1] // 100}.{fees[1] % 100:02d}")
        placed += [PlacedAmount(PAGE, Decimal(f).scaleb(-2), page=1) for f in fees]
        lines.append(f"应付金额 Amount due {amount:,}")
        doc = SearchDoc(
            id=i,
            file=f"statement-{i}.pdf",
            status=pick(statuses),
            customer_code=code,
            customer_name=name,
            period=f"{year}-{month:02d}",
            statement_no=f"ST-{year}{month:02d}-{i}",
            statement_date=dt.date(year, month, 28),
            amount_due=amount,
            closing_balance=amount,
            currency="CNY",
            source=pick(sources),
            text="\n".join(lines),
            created=start + dt.timedelta(minutes=i),
            amounts=placed,
        )
        if sample is not None and i % step == 0:
            sample.append(doc)
        yield doc


def queries(docs: list[SearchDoc], n: int, seed: int = 11) -> dict[str, list[SearchQuery]]:
    """Query sets by kind; `docs` (a sample of the loaded statements) supplies real values."""
    rng = random.Random(seed)
    pick = lambda: rng.choice(docs)  # noqa: E731

    def placed(where: str) -> Decimal:
        return rng.choice([a.amount for a in pick().placed_amounts() if a.where == where])

    def window(low: int, high: int, width: int) -> tuple[Decimal, Decimal]:
        a = rng.randint(low, high)
        return Decimal(a), Decimal(a + width)

    return {
        "full text (English word)": [SearchQuery(text=rng.choice(EN_WORDS)) for _ in range(n)],
        "Chinese word": [SearchQuery(text=rng.choice(CN_WORDS)) for _ in range(n)],
        "invoice number": [
            SearchQuery(text="INV-" + pick().text.split("INV-", 2)[1].split()[0]) for _ in range(n)
        ],
        "customer + facets": [SearchQuery(customer=pick().customer_code) for _ in range(n)],
        "period + facets": [
            SearchQuery(period_from=p, period_to=p) for p in (pick().period for _ in range(n))
        ],
        "facets, no filter": [SearchQuery(limit=20) for _ in range(n)],
        "exact amount": [SearchQuery(amount=pick().amount_due) for _ in range(n)],
        "exact amount in summaries": [
            SearchQuery(amount=pick().amount_due, amount_in="summary") for _ in range(n)
        ],
        "line amount (all places)": [SearchQuery(amount=placed(LINE)) for _ in range(n)],
        "line amount in lines": [
            SearchQuery(amount=placed(LINE), amount_in="lines") for _ in range(n)
        ],
        "page amount in pages": [
            SearchQuery(amount=placed(PAGE), amount_in="page") for _ in range(n)
        ],
        "amount range in summaries": [
            SearchQuery(amount_min=lo, amount_max=hi, amount_in="summary")
            for lo, hi in (window(0, 400_000, 50) for _ in range(n))
        ],
        "amount range in lines": [
            SearchQuery(amount_min=lo, amount_max=hi, amount_in="lines")
            for lo, hi in (window(0, 100_000, 50) for _ in range(n))
        ],
        "amount range in pages": [
            SearchQuery(amount_min=lo, amount_max=hi, amount_in="page")
            for lo, hi in (window(0, 1_000, 1) for _ in range(n))
        ],
        "amount range": [
            SearchQuery(amount_min=lo, amount_max=hi)
            for lo, hi in (window(0, 400_000, 5000) for _ in range(n))
        ],
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


def latency(backend, qs: list[SearchQuery]) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each search. On a machine shared with other work
    the wall clock also counts waiting for a core; this process's CPU time does not (for
    SQLite, in process, it is the search's own cost; for Elasticsearch only the client's)."""
    times, cpu = [], []
    for q in qs:
        t0, c0 = time.perf_counter(), time.process_time()
        backend.search(q)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return times, cpu


def peak_rss_reset() -> None:
    """Start measuring this process's peak RSS afresh (Linux: VmHWM is reset by writing 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def peak_rss(pid: int | str = "self") -> int:
    """Peak resident set size (VmHWM) of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def load(backend, docs) -> tuple[int, float]:
    """Rebuild the index from `docs` (a generator); returns (documents, seconds)."""
    t0 = time.perf_counter()
    n = backend.rebuild(docs)
    if hasattr(backend, "refresh"):
        backend.refresh()
    return n, time.perf_counter() - t0


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"


def sqlite_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def elastic_figures(backend) -> dict[str, str]:
    """Index size on disk, the node's JVM heap (max, in use, old generation's peak) and the
    node process's peak RSS, as Elasticsearch and /proc report them."""
    stats = backend.client.indices.stats(index=backend.alias, metric="store").body
    size = stats["_all"]["primaries"]["store"]["size_in_bytes"]
    node = next(iter(backend.client.nodes.stats(metric="jvm").body["nodes"].values()))
    mem = node["jvm"]["mem"]
    old = mem["pools"].get("old", {})
    out = {
        "index size": mib(size),
        "ES heap max / used": f"{mib(mem['heap_max_in_bytes'])} / {mib(mem['heap_used_in_bytes'])}",
        "ES heap old-gen peak": mib(old.get("peak_used_in_bytes", 0)),
    }
    pid_file = ROOT / "tests" / "elasticsearch-node" / "target" / "run" / "pid"
    if pid_file.exists():
        with contextlib.suppress(OSError):  # the node may have been started elsewhere
            out["ES node peak RSS"] = mib(peak_rss(pid_file.read_text().strip()))
    return out


def swap_under_load(backend, docs) -> tuple[int, int, float]:
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


def elastic_backend(shards: int = 1):
    from index.elastic import ElasticBackend

    url = os.environ.get("STMT_SEARCH_URL") or os.environ.get("STMT_TEST_ELASTICSEARCH_URL")
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
        shards=shards,
    )
    backend.index_prefix = "bench-statements"
    return backend, started


TARGET_MS = 50.0  # p95 of every query kind


def sample_from_index(path: Path, n: int = 2000) -> list[SearchDoc]:
    """About `n` statements, spread evenly, read back from a kept SQLite index (an earlier
    run stopped before it saved its sample)."""
    conn = sqlite3.connect(path)
    top = conn.execute("SELECT max(id) FROM docs").fetchone()[0]
    out = []
    for i in range(1, top + 1, max(1, top // n)):
        row = conn.execute(
            "SELECT d.customer_code, d.period, d.amount_due, f.text FROM docs d "
            "JOIN fts f ON f.rowid = d.id WHERE d.id = ?",
            (i,),
        ).fetchone()
        placed = [
            PlacedAmount(w, Decimal(a), f, line, page)
            for w, f, line, page, a in conn.execute(
                "SELECT place, field, line, page, amount FROM amounts WHERE doc_id = ?", (i,)
            )
            if f not in ("amount_due", "closing_balance")
        ]
        amount = Decimal(row[2])
        out.append(
            SearchDoc(i, "", "accepted", row[0], None, row[1], amount_due=amount,
                      closing_balance=amount, text=row[3], amounts=placed)
        )  # fmt: skip
    conn.close()
    return out


def replicate(path: Path, n: int, copies: int) -> float:
    """Copy statements 1..n inside the index `copies - 1` times with new ids (n+1.., 2n+1..),
    as a rebuild would: secondary indexes dropped first and made again after. Seconds."""
    from index.sqlite import BUILD_PRAGMAS, INDEXES, fill_bins

    t0 = time.perf_counter()
    conn = sqlite3.connect(path)
    for pragma in BUILD_PRAGMAS:
        conn.execute(pragma)
    names = [line.split()[5] for line in INDEXES.splitlines() if line.startswith("CREATE")]
    for name in names:
        conn.execute(f"DROP INDEX {name}")
    cols = [r[1] for r in conn.execute("PRAGMA table_info(docs)")][1:]
    for k in range(1, copies):
        off = k * n
        conn.execute(
            f"INSERT INTO docs SELECT id + ?, {', '.join(cols)} FROM docs WHERE id <= ?",  # noqa: S608
            (off, n),
        )
        conn.execute(
            "INSERT INTO amounts SELECT doc_id + ?, place, field, line, page, cents, amount "
            "FROM amounts WHERE doc_id <= ?",
            (off, n),
        )
        conn.execute(
            "INSERT INTO fts(rowid, terms, text) SELECT rowid + ?, terms, text FROM fts "
            "WHERE rowid <= ?",
            (off, n),
        )
        conn.commit()
    conn.executescript(INDEXES)
    fill_bins(conn)
    conn.execute("INSERT INTO fts(fts) VALUES ('optimize')")
    conn.execute("UPDATE meta SET changes = changes + 1")
    conn.commit()
    conn.close()
    return time.perf_counter() - t0


def plain_sqlite(path: Path, words: list[str]) -> tuple[list[float], list[float]]:
    """The floor under a full-text search: FTS5 alone handing over the matching rowids."""
    conn = sqlite3.connect(path)
    times, cpu = [], []
    for w in words:
        t0, c0 = time.perf_counter(), time.process_time()
        conn.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [f'"{w}"']).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    conn.close()
    return times, cpu


def plain_elastic(backend, words: list[str]) -> list[float]:
    """The floor under a full-text search: a bare match query counted, nothing else."""
    times = []
    for w in words:
        t0 = time.perf_counter()
        backend.client.search(index=backend.alias, query={"match": {"text": w}}, size=0)
        times.append((time.perf_counter() - t0) * 1000)
    return times


def p95(times: list[float]) -> float:
    return sorted(times)[int(len(times) * 0.95) - 1]


def p50_p95(times: list[float], cpu: list[float] | None = None) -> str:
    """p50 / p95 wall ms, then the CPU p95 in brackets; "!" where the p95 is over target
    (the CPU p95 where measured: the wall clock of a shared machine says more about the
    machine than about the search)."""
    over = p95(cpu if cpu else times) > TARGET_MS
    text = f"{statistics.median(times):6.1f} / {p95(times):6.1f} ms"
    if cpu:
        text += f" ({p95(cpu):5.1f})"
    return text + (" !" if over else "  ")


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
    ap.add_argument(
        "--shards",
        type=int,
        default=1,
        help="Elasticsearch: primary shards of the index (STMT_SEARCH_SHARDS); a search runs "
        "on its shards at once, one core each.",
    )
    ap.add_argument(
        "--keep",
        type=Path,
        help="SQLite: build the index in this folder and keep it; a later run with the same "
        "--docs and --lines measures the searches again without building.",
    )
    ap.add_argument(
        "--copies",
        type=int,
        default=1,
        help="SQLite: after building, copy the statements inside SQLite this many times in all "
        "(new ids), to measure searches over a larger index than the machine can build in "
        "Python in the time at hand. Build figures stay those of --docs.",
    )
    args = ap.parse_args()
    print(f"{args.docs:,} synthetic statements of {args.lines} lines each, made while loading")
    table: dict[str, dict[str, str]] = {}
    for name in args.backends.split(","):
        started = False
        path = None
        if name == "sqlite":
            from index.sqlite import SqliteBackend

            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                folder = args.keep
            else:
                tmp = tempfile.TemporaryDirectory()
                folder = Path(tmp.name)
            path = folder / "search.sqlite3"
            backend = SqliteBackend(path)
        else:
            backend, started = elastic_backend(args.shards)
        try:
            col = table.setdefault(name, {})
            stem = f"sample-{args.docs}-{args.lines}-x{args.copies}"
            kept = args.keep / f"{stem}.pickle" if args.keep else None
            if path is not None and kept is not None and kept.exists():
                sample = pickle.loads(kept.read_bytes())  # noqa: S301 (our own file)
                col["build (made + indexed)"] = f"kept from an earlier run in {args.keep}"
            elif path is not None and args.keep and path.stat().st_size > 1 << 20:
                sample = sample_from_index(path)
                col["build (made + indexed)"] = f"kept from an earlier run in {args.keep}"
            else:
                sample = []
                peak_rss_reset()
                cpu = time.process_time()
                n, secs = load(backend, records(args.docs, per_doc=args.lines, sample=sample))
                cpu = time.process_time() - cpu
                col["build (made + indexed)"] = f"{secs:,.0f} s, {n / secs:,.0f} docs/s"
                col["build CPU (this process)"] = f"{cpu:,.0f} s"
                col["loader peak RSS"] = mib(peak_rss())
                if path is not None and args.copies > 1:
                    secs = replicate(path, n, args.copies)
                    col[f"copied to {n * args.copies:,} (SQL)"] = f"{secs:,.0f} s"
                if kept is not None and path is not None:
                    kept.write_bytes(pickle.dumps(sample))
            if path is not None:
                col["index size"] = mib(sqlite_size(path))
            else:
                col.update(elastic_figures(backend))
            print_table(table)
            qs = queries(sample, args.queries)
            words = [q.text for q in qs["full text (English word)"]]
            if path is not None:
                plain = p50_p95(*plain_sqlite(path, words))
            else:
                plain = p50_p95(plain_elastic(backend, words))
            col["plain engine: word's matches"] = plain
            for label, q in qs.items():
                latency(backend, q[:10])  # warm caches
                wall, cpu = latency(backend, q)
                col[label] = p50_p95(wall, cpu if path is not None else None)
                print(f"  {name}: {label}: {col[label]}", flush=True)
            if name == "elastic" and args.swap:
                again = records(args.docs, per_doc=args.lines)
                n, failed, secs = swap_under_load(backend, again)
                col["rebuild behind alias"] = f"{secs:.0f} s, {failed} of {n} searches failed"
        finally:
            backend.close()
            if started:
                subprocess.run([str(ROOT / "tests" / "elasticsearch-node" / "stop")], check=False)
        print_table(table)  # after each backend: a long run still reports what it measured
    over = [(n, r) for n, col in table.items() for r, v in col.items() if v.endswith("!")]
    if over:
        print(f"\n! p95 over {TARGET_MS:.0f} ms at {args.docs:,} statements:")
        for n, r in over:
            print(f"  {n}: {r}: {LIMITS.get((n, r), 'see docs/scale.md')}")


# Why a query kind stays over the target on a backend (measured; docs/scale.md explains).
_WORD = "FTS5 hands over every statement with the word; cost grows with its matches"
LIMITS: dict[tuple[str, str], str] = {
    ("sqlite", "full text (English word)"): _WORD,
    ("sqlite", "Chinese word"): _WORD,
    ("sqlite", "Chinese word, 1/4 hidden"): _WORD,
    ("sqlite", "combined"): _WORD + " (the other filters apply after)",
    ("sqlite", "plain engine: word's matches"): _WORD + " (the floor, in Python rows)",
    ("sqlite", "amount range"): "a statement id per amount in the range, from its bins",
    ("sqlite", "amount range in lines"): "a statement id per line amount in the range",
    ("sqlite", "facets, no filter"): "array passes over every document in memory",
    ("sqlite", "period + facets"): "array passes over every document in memory",
}


def print_table(table: dict[str, dict[str, str]]) -> None:
    rows = list(dict.fromkeys(k for col in table.values() for k in col))
    names = list(table)
    print(f"\n{'(p50 / p95 wall, CPU p95)':<28}" + "".join(f"{n:>32}" for n in names), flush=True)
    for row in rows:
        print(f"{row:<28}" + "".join(f"{table[n].get(row, '-'):>32}" for n in names), flush=True)


if __name__ == "__main__":
    main()
