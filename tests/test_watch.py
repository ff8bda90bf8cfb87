"""Hot folders: files are archived once, complete, and moved to done/ or failed/."""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from sqlalchemy import select

from archive import db
from archive.models import Document
from ingest.watch import Folder, Watcher
from services import processing


def _run(watcher: Watcher):
    stop = threading.Event()
    thread = threading.Thread(target=watcher.run, args=(stop,), daemon=True)
    thread.start()
    return stop, thread


def _wait(cond, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _documents() -> list[Document]:
    with db.session() as s:
        return list(s.scalars(select(Document)))


@pytest.mark.slow
def test_a_file_copied_slowly_is_archived_once_and_complete(data_dir, tmp_path, corpus):
    hot = tmp_path / "hot"
    (hot / "done").mkdir(parents=True)
    data = corpus[0].path.read_bytes()
    watcher = Watcher([Folder(hot, "scanner-2F")], settle=1.0)
    stop, thread = _run(watcher)
    try:
        target = hot / "slow.pdf"
        with target.open("wb") as fh:  # a slow network copy: pauses shorter than `settle`
            for i in range(0, len(data), max(1, len(data) // 8)):
                fh.write(data[i : i + max(1, len(data) // 8)])
                fh.flush()
                time.sleep(0.4)
        _wait(lambda: (hot / "done" / "slow.pdf").exists())
        time.sleep(1.5)  # a few more scans: nothing else happens
    finally:
        stop.set()
        thread.join(10)
    docs = _documents()
    assert len(docs) == 1
    assert docs[0].sha256 == hashlib.sha256(data).hexdigest() and docs[0].size == len(data)
    assert docs[0].source == "scanner-2F"
    assert not target.exists() and (hot / "done" / "slow.pdf").read_bytes() == data


def test_files_left_from_before_are_taken_and_failures_explained(data_dir, tmp_path):
    hot, other = tmp_path / "hot", tmp_path / "second"
    for folder in (hot, other):
        folder.mkdir()
    (hot / "empty.pdf").write_bytes(b"")
    (hot / "notes.pdf").write_bytes("不是PDF".encode() * 50)
    (other / "sub").mkdir()
    (other / "sub" / "b.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (hot / "~$lock.pdf").write_bytes(b"x")  # an editor's lock file: never taken
    (hot / "copying.part").write_bytes(b"x")
    watcher = Watcher([Folder(hot, "scanner-2F"), Folder(other, "scanner-2F")], settle=0.2)
    for _ in range(5):
        watcher.tick()
        time.sleep(0.25)
    assert (hot / "failed" / "empty.pdf").exists()
    assert "empty" in (hot / "failed" / "empty.pdf.reason.txt").read_text()
    assert (hot / "done" / "notes.pdf").exists() and (other / "done" / "b.pdf").exists()
    assert (hot / "~$lock.pdf").exists() and (hot / "copying.part").exists()
    for doc in _documents():  # reading fails later: the file follows to failed/ with why
        processing.process(doc.id)
    watcher.tick()
    assert (hot / "failed" / "notes.pdf").exists()
    assert "not a PDF" in (hot / "failed" / "notes.pdf.reason.txt").read_text()
    assert {d.source for d in _documents()} == {"scanner-2F"}


def test_same_name_twice_keeps_both_files(data_dir, tmp_path):
    hot = tmp_path / "hot"
    hot.mkdir()
    watcher = Watcher([Folder(hot, "folder")], settle=0.1)
    for content in (b"%PDF-1.4 one\n", b"%PDF-1.4 two\n"):
        (hot / "scan.pdf").write_bytes(content)
        for _ in range(4):
            watcher.tick()
            time.sleep(0.15)
    assert sorted(p.name for p in (hot / "done").iterdir()) == ["scan (2).pdf", "scan.pdf"]
    assert len(_documents()) == 2


def test_watch_once_warns_without_a_worker_and_a_later_failure_moves_the_file(
    data_dir, tmp_path
):
    from click.testing import CliRunner

    from ingest.cli import main

    hot = tmp_path / "hot"
    hot.mkdir()
    (hot / "letter.pdf").write_bytes(b"This is a letter, not a statement.\n" * 20)
    result = CliRunner().invoke(main, ["watch", str(hot), "--once", "--settle", "0.1"])
    assert result.exit_code == 0, result.output
    assert "no worker is running" in result.output
    assert (hot / "done" / "letter.pdf").exists()
    [doc] = _documents()
    assert processing.process(doc.id) == "failed"  # read later, by a worker
    # the next run of the watcher finds the file's document by its content and moves it
    result = CliRunner().invoke(main, ["watch", str(hot), "--once", "--settle", "0.1"])
    assert not (hot / "done" / "letter.pdf").exists()
    assert (hot / "failed" / "letter.pdf").exists()
    assert f"document {doc.id}" in (hot / "failed" / "letter.pdf.reason.txt").read_text()
