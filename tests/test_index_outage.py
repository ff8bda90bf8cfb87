"""Losing the search index loses nothing: Elasticsearch stops in the middle of ingest,
ingest still succeeds, and every document is searchable once the node is back."""

from __future__ import annotations

import os
import subprocess
from urllib.parse import urlsplit

import pytest

from tests.elastic_node import NODE_DIR, wait_healthy
from tests.helpers import json_lines, stmt

pytestmark = pytest.mark.slow


def _node(script: str, **env: str) -> str:
    proc = subprocess.run(
        [str(NODE_DIR / script)], env=os.environ | env, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def test_node_stopped_mid_ingest(elasticsearch_url, tmp_path, corpus, customers_csv):
    if os.environ.get("STMT_TEST_ELASTICSEARCH_URL"):
        pytest.skip("the node is not this session's to stop")
    env = {"STMT_DATA_DIR": str(tmp_path / "data"), "STMT_SEARCH_URL": elasticsearch_url}
    stmt("customers", "import", str(customers_csv), env=env)
    stmt("reindex", env=env)  # a fresh, empty index behind the alias
    digital = [s for s in corpus if s.variant == "digital"]
    before, during = digital[:2], digital[2:4]
    stmt("ingest", *[str(s.path) for s in before], "--wait", env=env)
    assert json_lines(stmt("search", "--json", env=env).stdout)[0]["total"] == 2

    home = (NODE_DIR / "target" / "run" / "home").read_text().strip()
    _node("stop", ES_NODE_KEEP_DATA="1")
    try:
        lines = json_lines(
            stmt("ingest", *[str(s.path) for s in during], "--wait", "--json", env=env).stdout
        )
        assert [o["status"] for o in lines] == ["accepted", "accepted"]  # ingest goes on
        shown = json_lines(stmt("show", str(lines[0]["id"]), "--json", env=env).stdout)[0]
        assert shown["indexed"] is False
        down = json_lines(stmt("search", "--json", env=env).stdout)[0]
        assert "unavailable" in down["warning"] and "2 documents are waiting" in down["warning"]
    finally:
        port = str(urlsplit(elasticsearch_url).port)
        url = _node("start", ES_NODE_HOME=home, ES_NODE_PORT=port)
        assert url == elasticsearch_url
        wait_healthy(url)

    back = json_lines(stmt("search", "--json", env=env).stdout)[0]
    assert back["total"] == 2 and "2 documents are waiting" in back["warning"]
    assert "2 documents indexed" in stmt("reindex", "--pending", env=env).stdout
    after = json_lines(stmt("search", "--json", env=env).stdout)[0]
    assert after["total"] == 4 and "warning" not in after
    assert {h["id"] for h in after["hits"]} >= {o["id"] for o in lines}
