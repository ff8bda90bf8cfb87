"""Elasticsearch figures for the sizing plan (docs/elasticsearch-sizing.md); prints, never fails.

    python -m bench.es_sizing [--docs 100000] [--lines 20] [--queries 100] [--baseline-docs N]

Loads the synthetic statements of bench/search.py twice, side by side in the same run:
  plain     helpers.bulk of the same documents with its defaults (500 per request, one at a
            time) into an index with the live settings (refresh every second, replica policy);
  product   ElasticBackend.rebuild(): parallel bulk requests into an index loading without
            refreshes, fsyncs or replicas, settings restored and the alias swapped at the end.
Then, on the product's index: bytes per statement on disk (primary store from _stats) as
loaded and after a force-merge to one segment (what an older year looks like under the
lifecycle policy), Lucene documents per statement (more than one only if a mapping nests),
heap the node holds for the index, and search p50/p95 before and after the force-merge.
Finally the same figures scaled to 100 million statements.
Elasticsearch: STMT_SEARCH_URL, else a node started by tests/elasticsearch-node/start.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elasticsearch import helpers  # noqa: E402
from elasticsearch.serializer import JsonSerializer  # noqa: E402

from bench.search import elastic_backend, latency, p95, queries, records  # noqa: E402
from index.elastic import MAPPINGS, SETTINGS, _source  # noqa: E402

PLAN_DOCS = 100_000_000
QUERIES = (
    "full text (English word)",
    "Chinese word",
    "exact amount",
    "line amount in lines",
    "customer + facets",
    "Chinese word, 1/4 hidden",
    "combined",
)
GB = 1024**3


def plain_load(client, name: str, docs) -> float:
    """docs/s of the plain helpers.bulk with its defaults, up to searchable."""
    client.indices.delete(index=name, ignore_unavailable=True)
    client.indices.create(index=name, settings=SETTINGS, mappings=MAPPINGS)
    t0 = time.perf_counter()
    helpers.bulk(client, ({"_index": name, "_id": str(d.id), "_source": _source(d)} for d in docs))
    client.indices.refresh(index=name)
    rate = len(docs) / (time.perf_counter() - t0)
    client.indices.delete(index=name)
    return rate


def product_load(backend, docs) -> float:
    t0 = time.perf_counter()
    backend.rebuild(docs)
    backend.refresh()
    return len(docs) / (time.perf_counter() - t0)


def index_figures(backend, statements: int) -> dict[str, float]:
    """Disk and heap of the live index, per statement."""
    client = backend.client
    name = backend.alias_targets()[0]
    stats = client.indices.stats(index=name, metric="store,segments")
    prim = stats["indices"][name]["primaries"]
    # _cat counts Lucene documents, nested ones included if any (_count only the statements)
    lucene = int(client.cat.indices(index=name, h="docs.count", format="json")[0]["docs.count"])
    return {
        "bytes/statement": prim["store"]["size_in_bytes"] / statements,
        "lucene docs/statement": lucene / statements,
        "segments": prim["segments"]["count"],
        # heap the index pins for nested documents (their parents' bitsets; zero without any)
        # (terms, points and doc values are off heap, memory-mapped)
        "bitset heap bytes/statement": prim["segments"]["fixed_bit_set_memory_in_bytes"]
        / statements,
    }


def p95s(backend, qs) -> dict[str, tuple[float, float]]:
    """p50 and p95 wall-clock milliseconds of each query kind, after a few to warm caches."""
    out = {}
    for label in QUERIES:
        latency(backend, qs[label][:10])
        wall = sorted(latency(backend, qs[label])[0])
        out[label] = (wall[len(wall) // 2], p95(wall))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=100_000)
    ap.add_argument("--lines", type=int, default=20, help="Line items per statement.")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument(
        "--baseline-docs",
        type=int,
        default=None,
        help="Statements for the plain load (default: all; fewer saves time on a busy machine).",
    )
    args = ap.parse_args()
    t0 = time.perf_counter()
    docs = list(records(args.docs, per_doc=args.lines))  # loaded twice, sampled for queries
    print(
        f"{len(docs):,} statements of {args.lines} lines made in {time.perf_counter() - t0:.0f} s"
    )
    sample = docs[:1000]
    json_bytes = sum(len(JsonSerializer().dumps(_source(d))) for d in sample) / len(sample)
    backend, started = elastic_backend()
    try:
        plain_docs = docs[: args.baseline_docs] if args.baseline_docs else docs
        plain = plain_load(backend.client, "bench-plain-bulk", plain_docs)
        print(f"plain helpers.bulk: {plain:,.0f} docs/s ({len(plain_docs):,})", flush=True)
        product = product_load(backend, docs)
        print(f"product rebuild():  {product:,.0f} docs/s ({len(docs):,})", flush=True)
        loaded = index_figures(backend, len(docs))
        qs = queries(docs, args.queries)
        before = p95s(backend, qs)
        t1 = time.perf_counter()
        backend.client.options(request_timeout=3600).indices.forcemerge(
            index=backend.alias, max_num_segments=1, wait_for_completion=True
        )
        # the merged-away segment files are deleted only once no reader holds them
        backend.client.indices.refresh(index=backend.alias)
        backend.client.indices.flush(index=backend.alias)
        merge_secs = time.perf_counter() - t1
        merged = index_figures(backend, len(docs))
        after = p95s(backend, qs)
    finally:
        backend.close()
        if started:
            subprocess.run([str(ROOT / "tests" / "elasticsearch-node" / "stop")], check=False)

    print(
        f"\nbulk load, docs/s           plain {plain:8,.0f}   product {product:8,.0f}"
        f"   ratio {product / plain:.2f}"
    )
    print(f"request JSON per statement   {json_bytes:,.0f} bytes")
    print(f"{'index (primary)':<28}{'as loaded':>14}{'force-merged':>14}")
    for key in loaded:
        print(f"{key:<28}{loaded[key]:>14,.1f}{merged[key]:>14,.1f}")
    print(f"force-merge to 1 segment     {merge_secs:.0f} s")
    print(f"\n{'query (ms, p50 / p95)':<28}{'as loaded':>18}{'force-merged':>18}")
    for label in QUERIES:
        b, a = before[label], after[label]
        print(f"{label:<28}{b[0]:>8.1f} / {b[1]:<7.1f}{a[0]:>8.1f} / {a[1]:<7.1f}")
    per_year = PLAN_DOCS / 10
    print(f"\nscaled to {PLAN_DOCS:,} statements (10 years, {per_year:,.0f} a year):")
    merged_gib = merged["bytes/statement"] * PLAN_DOCS / GB
    print(f"  primary store, force-merged   {merged_gib:8,.0f} GiB")
    print(f"  with one replica              {2 * merged_gib:8,.0f} GiB")
    print(f"  one year, as loaded           {loaded['bytes/statement'] * per_year / GB:8,.0f} GiB")
    print(f"  full reindex at product rate  {PLAN_DOCS / product / 3600:8,.1f} h (one loader)")
    print(f"  one year's reindex            {per_year / product / 3600:8,.1f} h")


if __name__ == "__main__":
    main()
