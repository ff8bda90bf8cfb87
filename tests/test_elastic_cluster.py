"""A three-node Elasticsearch cluster on loopback (tests/elasticsearch-node/start-cluster): one
node is killed with SIGKILL while documents are indexed and searched through the product's
ElasticBackend, configured with the three node URLs as STMT_SEARCH_URL would give them. The
client's own retries (index/elastic.py: another node on a lost connection or a timeout) and
the index's replica must hide the loss: no failed call, no document lost, no search that
misses a document already acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from elasticsearch import helpers

from index.base import SearchQuery
from index.elastic import ElasticBackend
from tests.test_elastic_backend import doc

NODE_DIR = Path(__file__).resolve().parent / "elasticsearch-node"
BATCH = 50  # documents per upsert
BEFORE_KILL = 6  # batches acknowledged before the kill
AFTER_KILL = 12  # batches acknowledged after it


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The three node URLs, comma-separated."""
    try:
        proc = subprocess.run(
            [str(NODE_DIR / "start-cluster"), "3"],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if proc.returncode != 0:
            pytest.fail(f"start-cluster failed:\n{proc.stderr[-4000:]}")
        yield proc.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(NODE_DIR / "stop-cluster")], check=False, timeout=180)


def primary_node_pid(backend: ElasticBackend) -> int:
    """The launcher PID of the node holding the index's primary shard (the harshest loss)."""
    rows = backend.client.cat.shards(index=backend.alias, format="json", h="prirep,node")
    node = next(r["node"] for r in rows if r["prirep"] == "p")
    return int((NODE_DIR / "target" / "cluster" / node / "pid").read_text())


@pytest.mark.slow
def test_a_killed_node_loses_no_document_and_fails_no_search(cluster):
    backend = ElasticBackend.from_url(cluster, index_prefix="t-cluster")
    try:
        assert len(backend.client.transport.node_pool.all()) == 3
        backend.ensure_index()
        backend.client.cluster.health(index=backend.alias, wait_for_status="green", timeout="120s")
        index = backend.alias_targets()[0]
        settings = backend.client.indices.get_settings(index=index)[index]["settings"]["index"]
        assert settings["number_of_replicas"] == "1"
        victim = primary_node_pid(backend)

        acked: list[int] = []  # ids whose upsert returned (searchable: refresh wait_for)
        errors: list[str] = []
        searches_after_kill = [0]
        killed = threading.Event()
        done = threading.Event()

        def writer() -> None:
            next_id = 1
            try:
                for batch in range(BEFORE_KILL + AFTER_KILL):
                    if batch == BEFORE_KILL:
                        os.kill(victim, signal.SIGKILL)
                        killed.set()
                    ids = range(next_id, next_id + BATCH)
                    backend.upsert(doc(i, text=f"货款 statement {i}") for i in ids)
                    acked.extend(ids)
                    next_id += BATCH
            except Exception as exc:  # reported by the assertion below
                errors.append(f"upsert: {exc!r}")
            finally:
                done.set()

        def searcher() -> None:
            while not done.is_set():
                seen_before = len(acked)
                try:
                    total = backend.search(SearchQuery(text="货款", limit=1)).total
                except Exception as exc:
                    errors.append(f"search: {exc!r}")
                    continue
                if total < seen_before:
                    errors.append(f"search found {total} of {seen_before} acknowledged documents")
                if killed.is_set():
                    searches_after_kill[0] += 1

        threads = [threading.Thread(target=writer), threading.Thread(target=searcher)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        assert not any(t.is_alive() for t in threads)

        assert errors == []
        assert killed.is_set() and searches_after_kill[0] > 0
        health = backend.client.cluster.health()
        assert health["number_of_nodes"] == 2
        backend.refresh()
        found = {
            int(hit["_id"])
            for hit in helpers.scan(backend.client, index=backend.alias, _source=False)
        }
        assert found == set(acked)
        assert len(acked) == BATCH * (BEFORE_KILL + AFTER_KILL)
    finally:
        backend.close()
