"""Celery tasks: thin wrappers around services.processing."""

from __future__ import annotations

from celery.exceptions import Reject
from celery.utils.log import get_task_logger
from sqlalchemy.exc import OperationalError

from services import broker, processing

app = broker.app()

log = get_task_logger(__name__)


@app.task(
    autoretry_for=(OperationalError,),  # the database was busy or away: try again later
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=8,
    name=broker.PROCESS_DOCUMENT,
)
def process_document(document_id: int) -> str:
    try:
        status = processing.process(document_id)
    except processing.Stopping:  # the worker is stopping: the message is for another one
        raise Reject("the worker is stopping", requeue=True) from None
    log.info("document %s: %s", document_id, status, extra={"document_id": document_id})
    return status


@app.task
def recover() -> dict:
    """Re-queue stale documents and index what is waiting (runs every minute under beat)."""
    return processing.recover(enqueue=process_document.delay)
