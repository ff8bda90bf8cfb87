"""The whole path through the real `stmt` command and a real Celery worker process:
customers import -> ingest --wait --json -> search / show / codes / reindex."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from tests.helpers import ROOT, bad_files, json_lines, stmt

pytestmark = pytest.mark.slow

REQUIRED = ("customer_code", "period", "amount_due")


@pytest.fixture(scope="module")
def run(stack, corpus, customers_csv):
    """The test corpus ingested once on each stack.

    On the production stack a worker with two pool processes is running before the ingest,
    and a second one joins while the documents are being read.
    """
    inbox = stack.root / "inbox"
    inbox.mkdir()
    for sample in corpus:
        shutil.copy(sample.path, inbox / sample.path.name)
    env = stack.env
    out = stmt("customers", "import", str(customers_csv), env=env).stdout
    assert "added" in out
    if not stack.production:
        proc = stmt("ingest", str(inbox), "--wait", "--json", env=env)
        stdout = proc.stdout
    else:
        stack.start_worker(concurrency=2)
        stack.wait_for_workers(1)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "ingest.cli", "ingest", str(inbox), "--wait", "--json"],
            cwd=ROOT,
            env=stack.full_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _until_some_are_done(stack, ingest)
        stack.start_worker(concurrency=2)
        stdout, stderr = ingest.communicate(timeout=900)
        assert ingest.returncode == 0, stderr[-3000:] + stack.worker_log()[-3000:]
    lines = {obj["file"]: obj for obj in json_lines(stdout)}
    return env, lines, {s.path.name: s for s in corpus}


def _until_some_are_done(stack, ingest: subprocess.Popen, count: int = 2) -> None:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and ingest.poll() is None:
        done = stack.query(
            "SELECT count(*) FROM documents WHERE status IN ('accepted', 'needs_review', 'failed')"
        )[0][0]
        if done >= count:
            return
        time.sleep(0.2)


def test_every_document_ended_exactly_once(run, stack):
    _, lines, _ = run
    ended = stack.finished_once()
    assert {o["id"]: ended.get(o["id"]) for o in lines.values()} == {
        o["id"]: 1 for o in lines.values()
    }
    assert stack.query("SELECT id FROM documents WHERE status IN ('received', 'processing')") == []


def test_one_json_line_per_file_with_the_contract_keys(run):
    _, lines, samples = run
    assert set(lines) == set(samples)
    for obj in lines.values():
        assert set(obj) >= {"id", "file", "status", "error", "fields"}
        assert obj["status"] in ("accepted", "needs_review", "failed")
        for name, f in obj["fields"].items():
            assert set(f) == {"value", "confidence", "source"}, name
            assert 0 <= f["confidence"] <= 1


def test_no_statement_fails(run):
    _, lines, _ = run
    failed = {k: v["error"] for k, v in lines.items() if v["status"] == "failed"}
    assert failed == {}


def test_our_qr_code_gives_exact_customer_period_and_amount(run):
    _, lines, samples = run
    with_qr = [name for name, s in samples.items() if s.has_qr]
    assert with_qr
    for name in with_qr:
        expected = samples[name].truth.expected()
        got = {k: lines[name]["fields"].get(k, {}).get("value") for k in REQUIRED}
        assert got == {k: expected[k] for k in REQUIRED}, name
        # the code makes them certain, whether they were printed too or not
        assert all(lines[name]["fields"][k]["confidence"] == 1.0 for k in REQUIRED), name


def test_digital_pdfs_read_every_field_exactly_from_the_text_layer(run):
    _, lines, samples = run
    digital = [name for name, s in samples.items() if s.variant == "digital"]
    assert digital
    for name in digital:
        expected = samples[name].truth.expected()
        got = {k: lines[name]["fields"].get(k, {}).get("value") for k in expected}
        assert got == expected, name
        assert lines[name]["status"] == "accepted", name
        sources = {f["source"] for f in lines[name]["fields"].values()}
        assert "ocr" not in sources, f"{name}: a digital PDF was OCR'd"


def test_clean_scans_read_the_required_fields(run):
    _, lines, samples = run
    clean = [name for name, s in samples.items() if s.variant == "scan300"]
    assert clean
    for name in clean:
        expected = samples[name].truth.expected()
        got = {k: lines[name]["fields"].get(k, {}).get("value") for k in REQUIRED}
        assert got == {k: expected[k] for k in REQUIRED}, name


def test_search_finds_statements_by_amount_customer_and_chinese_word(run):
    env, lines, samples = run
    name, sample = next((n, s) for n, s in samples.items() if s.variant == "digital")
    truth = sample.truth
    doc_id = lines[name]["id"]

    result = json_lines(
        stmt("search", "--amount", str(truth.amount_due), "--json", env=env).stdout
    )[0]
    assert doc_id in [h["id"] for h in result["hits"]]
    assert set(result) >= {"total", "hits", "facets"}
    facets = {"customer", "period", "status", "tag", "confirmation", "dispute"}
    assert set(result["facets"]) == facets
    hit = next(h for h in result["hits"] if h["id"] == doc_id)
    assert Decimal(hit["amount_due"]) == truth.amount_due
    assert (hit["customer_code"], hit["period"]) == (truth.customer_code, truth.period)

    result = json_lines(
        stmt("search", "--customer", truth.customer_code, "--json", env=env).stdout
    )[0]
    assert doc_id in [h["id"] for h in result["hits"]]
    assert set(result["facets"]["customer"]) == {truth.customer_code}

    result = json_lines(stmt("search", "对账单", "--json", env=env).stdout)[0]
    assert result["total"] >= 1
    assert all("<mark>" in h["snippet"] for h in result["hits"] if h["snippet"])

    result = json_lines(
        stmt("search", "--period", truth.period, "--amount-min", "0", "--json", env=env).stdout
    )[0]
    assert all(h["period"] == truth.period for h in result["hits"])


def test_a_line_items_amount_finds_its_statement(run):
    """Any amount of a stored line item, searched for in lines, finds the statement and says
    which line matched; the same amount is no summary figure."""
    env, _, _ = run
    every = json_lines(
        stmt("search", "--amount-min", "0.01", "--in", "lines", "--json", "--limit", "1000",
             env=env).stdout
    )[0]  # fmt: skip
    hit = next(h for h in every["hits"] if h["matched"])
    line = hit["matched"][0]
    assert line["where"] == "line"
    found = json_lines(
        stmt("search", "--amount", line["amount"], "--in", "lines", "--json", env=env).stdout
    )[0]
    mine = next(h for h in found["hits"] if h["id"] == hit["id"])
    assert line in mine["matched"]
    shown = json_lines(stmt("show", str(hit["id"]), "--json", env=env).stdout)[0]
    printed = next(r for r in shown["lines"] if r["line"] == line["line"])
    assert line["amount"] in (printed["debit"], printed["credit"], printed["balance"])
    summary = json_lines(
        stmt("search", "--amount", line["amount"], "--in", "summary", "--json", env=env).stdout
    )[0]
    for other in summary["hits"]:
        assert all(m["where"] == "summary" for m in other["matched"])


def test_show_json_and_reindex_give_the_same_answers(run):
    env, lines, _ = run
    obj = next(iter(lines.values()))
    shown = json_lines(stmt("show", str(obj["id"]), "--json", env=env).stdout)[0]
    assert shown["id"] == obj["id"] and shown["fields"] == obj["fields"]
    assert shown["pages"] and "codes" in shown
    before = json_lines(stmt("search", "--json", "--limit", "1000", env=env).stdout)[0]
    assert f"{len(lines)} documents indexed" in stmt("reindex", env=env).stdout
    after = json_lines(stmt("search", "--json", "--limit", "1000", env=env).stdout)[0]
    assert before["total"] == after["total"] == len(lines)
    assert before["facets"] == after["facets"]


def test_a_reviewers_correction_is_searchable_at_once(run, monkeypatch):
    """The web API's correction on the stack's own database, broker and index."""
    env, lines, _ = run
    for name in ("STMT_DATABASE_URL", "STMT_BROKER_URL", "STMT_SEARCH_URL", "STMT_SEARCH_INDEX"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from archive import db
    from archive.users import add_user, create_token
    from web.app import create_app

    with db.session() as s:
        token = create_token(s, add_user(s, "e2e-reviewer", "reviewer", "a long pass phrase 42"))
    doc = next(o for o in lines.values() if o["status"] in ("accepted", "needs_review"))
    api = create_app().test_client()
    resp = api.patch(
        f"/api/v1/documents/{doc['id']}/fields",
        json={"amount_due": "13579.24"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert resp.status_code == 200, resp.json
    found = json_lines(stmt("search", "--amount", "13579.24", "--json", env=env).stdout)[0]
    assert [h["id"] for h in found["hits"]] == [doc["id"]]


def test_codes_lists_our_qr_code_on_every_statement_that_has_one(run, corpus):
    env, _, _ = run
    from extract.qrpayload import parse

    with_qr = [s for s in corpus if s.has_qr]
    proc = stmt("codes", *[str(s.path) for s in with_qr], "--json", env=env)
    found = {o["file"]: o for o in json_lines(proc.stdout)}
    for s in with_qr:
        parsed = [parse(c["data"]) for c in found[s.path.name]["codes"]]
        codes = [p for p in parsed if p]
        assert codes and codes[0].customer == s.truth.customer_code, s.path.name


def test_ingesting_the_same_files_again_gives_the_same_documents(run, corpus):
    env, lines, _ = run
    sample = corpus[0]
    again = json_lines(stmt("ingest", str(sample.path), "--wait", "--json", env=env).stdout)
    assert again[0]["id"] == lines[sample.path.name]["id"]


def test_bad_input_fails_clearly_and_the_run_goes_on(fresh_stack, corpus):
    tmp_path = fresh_stack.root
    good = next(s for s in corpus if s.variant == "digital")
    folder = tmp_path / "bad"
    folder.mkdir()
    files = bad_files(folder, good.path.read_bytes())
    shutil.copy(good.path, folder / "good.pdf")
    env = fresh_stack.env
    if fresh_stack.production:
        fresh_stack.start_worker(concurrency=2)
        fresh_stack.wait_for_workers(1)
    proc = stmt("ingest", str(folder), "--wait", "--json", env=env, timeout=600)
    lines = {o["file"]: o for o in json_lines(proc.stdout)}
    lines["back\\..\\..\\slashes.pdf"] = lines.pop("slashes.pdf")  # shown without directories
    assert set(lines) == {*files, "good.pdf"}
    assert lines["good.pdf"]["status"] in ("accepted", "needs_review")
    for name in files:
        assert lines[name]["status"] == "failed", name
        assert lines[name]["error"], name
    assert "empty" in lines["empty.pdf"]["error"]
    assert "encrypted" in lines["encrypted.pdf"]["error"]
    assert "megapixels" in lines["bomb.png"]["error"]
    assert "not a PDF" in lines["notes.png"]["error"]
    assert not (tmp_path / "PWNED").exists() and not list(tmp_path.rglob("PWNED"))
    # every original is kept, under its hash
    kept = [p for p in (tmp_path / "data" / "originals").rglob("*") if p.is_file()]
    assert len(kept) == len({*files.values(), good.path.read_bytes()})


def test_a_real_worker_on_redis(tmp_path, redis_url, corpus, customers_csv):
    """The same path with a separate `stmt worker` process on a real Redis broker."""
    from tests.corpus import SECRET_KEY

    env = {
        "STMT_DATA_DIR": str(tmp_path / "data"),
        "STMT_BROKER_URL": redis_url,
        "STMT_SECRET_KEY": SECRET_KEY,  # the corpus's QR codes are signed with it
    }
    stmt("customers", "import", str(customers_csv), env=env)
    full = {k: v for k, v in os.environ.items() if not k.startswith("STMT_")} | env
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ingest.cli",
            "worker",
            "--concurrency",
            "2",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=full,
    )
    try:
        samples = [s for s in corpus if s.variant == "digital"][:3]
        files = [str(s.path) for s in samples]
        lines = json_lines(stmt("ingest", *files, "--wait", "--json", env=env, timeout=300).stdout)
        assert [o["status"] for o in lines] == ["accepted"] * len(samples)
        assert worker.poll() is None  # the worker still runs
    finally:
        worker.terminate()
        worker.wait(60)
