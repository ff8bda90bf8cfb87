"""The audit log in words: what an action code means, and its details as `label: value`,
in the user's language (the codes stay in the database and the CSV/CLI output)."""

from __future__ import annotations

from typing import Any

from web.i18n import _

ACTIONS = {
    "access_denied": "Access refused",
    "access_exported": "Access rules exported",
    "access_granted": "Access granted",
    "access_revoked": "Access withdrawn",
    "backup": "Backup made",
    "restored": "Restored from a backup",
    "customer_added": "Customer added",
    "customer_changed": "Customer changed",
    "customer_sensitive": "Customer sensitivity changed",
    "coded": "Our code read; searchable before the full reading",
    "customers_import": "Customers imported",
    "disposal_approved": "Disposal list approved",
    "disposal_cancelled": "Disposal list cancelled",
    "disposal_done": "Disposal list carried out",
    "disposal_proposed": "Disposal list proposed",
    "disposed": "Document destroyed",
    "download": "Original downloaded",
    "duplicate": "Same file received again",
    "export": "Search exported",
    "failed": "Reading failed",
    "group_added": "Group added",
    "group_member_added": "Added to a group",
    "group_member_removed": "Taken out of a group",
    "group_removed": "Group removed",
    "hold_placed": "Legal hold placed",
    "hold_released": "Legal hold released",
    "login": "Signed in",
    "login_failed": "Sign-in refused",
    "logout": "Signed out",
    "possible_duplicate": "Possible duplicate",
    "processed": "Read",
    "received": "Received",
    "record_class_set": "Record class set",
    "retention_period_set": "Retention period set",
    "reviewed": "Reviewed",
    "settings_changed": "Settings changed",
    "split": "Cut into parts",
    "tag_created": "Tag created",
    "tag_deleted": "Tag deleted",
    "tag_added": "Tag added",
    "tag_removed": "Tag removed",
    "tag_rule_added": "Tag rule added",
    "tag_rule_deleted": "Tag rule deleted",
    "token_created": "API token created",
    "token_revoked": "API token revoked",
    "user_added": "User added",
    "user_changed": "User changed",
    "user_unlocked": "User unlocked",
    "view": "Viewed",
    "view_original": "Original opened",
}

# Detail keys, as labels. Keys not listed are shown as they are.
KEYS = {
    "name": "Name",
    "role": "Role",
    "code": "Code",
    "changed": "Changed",
    "fields": "Fields",
    "seconds": "Seconds",
    "status": "Status",
    "reason": "Reason",
    "ip": "Address",
    "added": "Added",
    "updated": "Updated",
    "before": "Before",
    "after": "After",
    "tag": "Tag",
    "documents": "Documents",
    "what": "What",
    "customer": "Customer",
    "active": "Active",
    "password": "Password",
    "email": "E-mail",
    "expires_days": "Expires after (days)",
    "review_threshold": "Review threshold",
}


def action_label(code: str) -> str:
    text = ACTIONS.get(code)
    return _(text) if text else code.replace("_", " ")


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value is None:
        return "—"
    if isinstance(value, list | tuple):
        return "、".join(_value(v) for v in value) if value else "—"
    if isinstance(value, dict):
        return "; ".join(f"{key_label(k)}: {_value(v)}" for k, v in value.items())
    if isinstance(value, str) and value in ACTIONS:
        return action_label(value)
    return str(value)


def key_label(key: str) -> str:
    from web.i18n import field_label

    text = KEYS.get(key)
    if text:
        return _(text)
    named = field_label(key)  # amount_due, period, … as the review page names them
    return named if named != key else key.replace("_", " ")


def details(detail: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs; a change is shown as `before → after` per key."""
    before, after = detail.get("before"), detail.get("after")
    out = [
        (key_label(k), "、".join(key_label(x) for x in v) if k == "changed" else _value(v))
        for k, v in detail.items()
        if k not in ("before", "after") and not (k == "changed" and not isinstance(v, list))
    ]
    if isinstance(before, dict) and isinstance(after, dict):
        for key in after:
            if before.get(key) != after.get(key):
                change = f"{_value(before.get(key))} → {_value(after.get(key))}"
                out.append((key_label(key), change))
    elif after is not None or before is not None:
        out += [(key_label("before"), _value(before)), (key_label("after"), _value(after))]
    return out
