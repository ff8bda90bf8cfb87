"""The embedded broker's transport: kombu's file queue, with every message file whole before
any worker can see it.

kombu's own file transport creates the message file under its final name and then writes
into it. A worker listing the folder at that moment takes the file (it moves it away),
reads it empty or half-written, cannot decode it, and the message is gone: the document
waits in `received` until a worker's start-up recovery queues it again. Here the message is
written under a name no reader takes, then renamed, which is atomic within one folder.
"""

from __future__ import annotations

import os
import time
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps

ALIAS = "stmtfiles"  # the broker URL's scheme: stmtfiles://localhost/
PART = ".part"  # readers take only names ending in "<queue>.msg"
# A message is written in milliseconds: a part an hour old lost its writer (killed mid-write)
ABANDONED_SECONDS = 3600


class Channel(filesystem.Channel):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _remove_abandoned(self.data_folder_out)

    def _put(self, queue, payload, **kwargs):
        # The name sorts as kombu's does (milliseconds first): the queue stays first in,
        # first out.
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        path = os.path.join(self.data_folder_out, name)
        try:
            with open(path + PART, "wb") as fh:
                fh.write(str_to_bytes(dumps(payload)))
            os.replace(path + PART, path)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {path!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def _remove_abandoned(folder: str) -> None:
    """Remove parts whose writer died before the rename: no reader ever takes them, so
    nothing else would. The message was never sent; a worker queues its document again
    when it starts (its recovery of documents left in `received`)."""
    cutoff = time.time() - ABANDONED_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:  # not created yet: nothing to remove
        return
    for entry in entries:
        if not entry.name.endswith(PART):
            continue
        try:
            if entry.stat().st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:  # removed by another worker's channel meanwhile
            pass
