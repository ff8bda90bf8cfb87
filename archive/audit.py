"""The audit log: who did what to which document, and when."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from archive.models import AuditEvent


def record(
    s: Session,
    action: str,
    *,
    user: str | None = None,
    document_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    event = AuditEvent(action=action, user=user, document_id=document_id, detail=detail)
    s.add(event)
    return event
