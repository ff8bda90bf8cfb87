"""Celery tasks scheduled by beat: fetching the statement mailbox (ingest/mail.py) and the
daily reminder digest (services/reminders.py)."""

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


@app.task(ignore_result=True)
def send_reminders() -> dict:
    """The daily digest (services/reminders.py); a mail server away is logged, and the items
    not mailed are mailed at the next run."""
    from archive import db
    from services import mailer, reminders

    try:
        smtp = mailer.SmtpSettings.from_env()
    except mailer.MailError as exc:
        log.error("reminders are off: %s", exc)
        return {"error": str(exc)}
    with db.session() as s:
        digests = [d.as_json() for d in reminders.run(s, send=True, smtp=smtp)]
    for d in digests:
        if d["error"]:
            log.error("reminders for %s not mailed: %s", d["user"], d["error"])
    return {"sent": sum(1 for d in digests if d["sent"])}
