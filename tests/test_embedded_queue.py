"""The embedded broker's queue folder: a worker listing it never takes a message that is
still being written (it would read it half, fail to decode it, and lose it)."""

from __future__ import annotations

import os
import threading
import time

from kombu import Connection

from services import broker, filequeue


def _connection(folder, transport: str) -> Connection:
    return Connection(
        f"{transport}://localhost/",
        transport_options={
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(folder),
            "control_folder": str(folder.parent / f"{folder.name}-control"),
            "store_processed": False,
            "polling_interval": 0.001,
        },
    )


def read_while_written(folder, transport: str) -> list:
    """Put large messages from one connection while another reads them as fast as it can."""
    body = "对账单" * 500_000  # a few MB: writing it takes long enough to be seen half done
    got: list = []
    with _connection(folder, transport) as reader, _connection(folder, transport) as writer:
        inbox = reader.SimpleQueue("q")
        outbox = writer.SimpleQueue("q")
        sending = threading.Thread(
            target=lambda: [outbox.put({"n": n, "body": body}) for n in range(3)]
        )
        sending.start()
        try:
            while len(got) < 3:
                message = inbox.get(block=True, timeout=30)
                got.append(message.payload)
                message.ack()
        finally:
            sending.join()
    assert all(p["body"] == body for p in got)
    return [p["n"] for p in got]


def test_messages_are_read_whole_and_in_order(tmp_path):
    assert broker.app  # the module registers the transport's name
    assert read_while_written(tmp_path, filequeue.ALIAS) == [0, 1, 2]
    assert not list(tmp_path.iterdir())  # nothing left behind, not even a part


def test_a_part_left_by_a_killed_writer_is_removed(tmp_path):
    """A writer killed before its rename leaves a part no reader takes; the next channel
    removes it once it is old, and leaves a part being written now alone."""
    abandoned, fresh = tmp_path / "1_a.q.msg.part", tmp_path / "2_b.q.msg.part"
    abandoned.write_bytes(b'{"half')
    fresh.write_bytes(b'{"half')
    old = time.time() - filequeue.ABANDONED_SECONDS - 60
    os.utime(abandoned, (old, old))
    with _connection(tmp_path, filequeue.ALIAS) as conn:
        conn.channel()
    assert not abandoned.exists() and fresh.exists()
