"""Celery task that fetches the statement mailbox (scheduled by beat; see ingest/mail.py)."""

from __future__ import annotations

from celery.utils.log import get_task_logger

from ingest import mail
from services import broker

app = broker.app()

log = get_task_logger(__name__)


@app.task(ignore_result=True)
def fetch_mail() -> dict:
    """One fetch; an unreachable mailbox is logged and tried again at the next beat."""
    try:
        result = mail.fetch_once()
    except mail.MailError as exc:
        log.error("mail fetch failed: %s", exc)
        return {"error": str(exc)}
    if result.processed or result.failed or result.error:
        log.info("mail fetch: %s", result.as_dict())
    return result.as_dict()
