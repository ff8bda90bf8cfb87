"""Reminders: what needs someone's attention, as an in-app list and a daily e-mail digest.

Each rule is one function `(session, today, limits) -> list[Item]` in RULES; an item names the
user it is for and a key that identifies the thing (e.g. `missing:C002:2026-09`). A rule for
another kind of work is one more such function appended to RULES, with its limit in Limits.

A digest is one e-mail per user with every item of theirs not yet mailed today; what was
mailed is recorded (archive.management.SentReminder), so running it twice a day sends nothing
new. Users without an e-mail address see their reminders in the app only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import config
from archive.access import hidden_customers
from archive.ledger import Confirmation, Dispute
from archive.management import SentReminder
from archive.models import ACCEPTED, NEEDS_REVIEW, Customer, Document, FieldRow
from archive.users import ADMIN, REVIEWER, User, get_setting
from services import completeness, mailer
from services.disputes import OPEN_STATUSES


@dataclass(frozen=True)
class Limits:
    """When the rules speak up (admins' settings, else the environment, else these)."""

    missing_after_day: int = 5  # statements of last month missing after this day of the month
    review_older_than_days: int = 3  # documents waiting for review longer than this
    confirmation_days: int = 30  # statements the customer has neither confirmed nor disputed
    dispute_days: int = 14  # disputes neither resolved nor written off

    @classmethod
    def load(cls, s: Session) -> Limits:
        settings = config.settings()

        def number(key: str, configured: int | None, default: int) -> int:
            raw = get_setting(s, key)
            if raw and raw.strip().isdigit():
                return int(raw)
            return default if configured is None else configured

        return cls(
            missing_after_day=number(
                "remind_missing_after_day", settings.remind_missing_after_day, cls.missing_after_day
            ),
            review_older_than_days=number(
                "remind_review_days", settings.remind_review_days, cls.review_older_than_days
            ),
            confirmation_days=number(
                "remind_confirmation_days",
                settings.remind_confirmation_days,
                cls.confirmation_days,
            ),
            dispute_days=number(
                "remind_dispute_days", settings.remind_dispute_days, cls.dispute_days
            ),
        )


@dataclass(frozen=True)
class Item:
    rule: str
    key: str
    to: str  # user name
    text: str  # English with {placeholders}; translated where it is shown
    values: dict[str, object] = field(default_factory=dict, hash=False, compare=False)
    link: str = ""  # a path in the web app
    customer: str | None = None  # left out for users who may not see this customer

    def as_json(self) -> dict[str, object]:
        return {"rule": self.rule, "key": self.key, "to": self.to,
                "text": self.text.format(**self.values), "link": self.link}  # fmt: skip


def _active(s: Session, *roles: str) -> list[str]:
    return list(
        s.scalars(select(User.name).where(User.active, User.role.in_(roles)).order_by(User.name))
    )


def missing_statements(s: Session, today: dt.date, limits: Limits) -> list[Item]:
    """Last month's statements still missing after day N: to the customer's owner (to the
    admins for a customer without one)."""
    if today.day <= limits.missing_after_day:
        return []
    period = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    missing = completeness.audit(s, period).codes("missing")
    if not missing:
        return []
    owners = _owners(s, set(missing))
    names = dict(
        s.execute(select(Customer.code, Customer.name).where(Customer.code.in_(missing))).all()
    )
    admins = _active(s, ADMIN)
    return [
        Item(
            rule="missing",
            key=f"missing:{code}:{period}",
            to=to,
            text="The statement of {code} {name} for {period} has not arrived.",
            values={"code": code, "name": names.get(code, ""), "period": period},
            link=f"/finance/completeness?period={period}",
            customer=code,
        )
        for code in missing
        for to in ([owners[code]] if code in owners else admins)
    ]


def review_backlog(s: Session, today: dt.date, limits: Limits) -> list[Item]:
    """Documents waiting for review longer than N days: to the reviewers (the admins when
    there are none)."""
    edge = dt.datetime.combine(today, dt.time()) - dt.timedelta(days=limits.review_older_than_days)
    rows = s.execute(
        select(Document.id, Document.filename, Document.processed_at, FieldRow.value)
        .outerjoin(
            FieldRow, (FieldRow.document_id == Document.id) & (FieldRow.name == "customer_code")
        )
        .where(Document.status == NEEDS_REVIEW, Document.processed_at < edge)
        .order_by(Document.processed_at)
    ).all()
    reviewers = _active(s, REVIEWER) or _active(s, ADMIN)
    return [
        Item(
            rule="review_backlog",
            key=f"review:{doc_id}",
            to=to,
            text="Document {id} ({file}) has waited for review since {since}.",
            values={"id": doc_id, "file": filename, "since": processed.date().isoformat()},
            link=f"/review/{doc_id}",
            customer=code,
        )
        for doc_id, filename, processed, code in rows
        for to in reviewers
    ]


def _owners(s: Session, codes: set[str]) -> dict[str, str]:
    """The active owner of each of these customers (customers without one are left out)."""
    if not codes:
        return {}
    return dict(
        s.execute(
            select(Customer.code, User.name)
            .join(User, User.id == Customer.owner_id)
            .where(Customer.code.in_(codes), User.active)
        ).all()
    )


def _edge(today: dt.date, days: int) -> dt.datetime:
    return dt.datetime.combine(today, dt.time(), dt.UTC) - dt.timedelta(days=days)


def unconfirmed_statements(s: Session, today: dt.date, limits: Limits) -> list[Item]:
    """Statements received more than N days ago that the customer has neither confirmed
    (a signed copy back) nor disputed: to the customer's owner (the admins for a customer
    without one). A signed copy is itself a document; it is no statement awaiting an answer."""
    signed_copies = select(Confirmation.signed_document_id).where(
        Confirmation.signed_document_id.is_not(None)
    )
    rows = s.execute(
        select(Document.id, Document.filename, Document.created_at, FieldRow.value)
        .join(FieldRow, (FieldRow.document_id == Document.id) & (FieldRow.name == "customer_code"))
        .where(
            Document.status.in_((ACCEPTED, NEEDS_REVIEW)),
            Document.record_class == "statement",
            Document.created_at < _edge(today, limits.confirmation_days),
            Document.id.not_in(select(Confirmation.document_id)),
            Document.id.not_in(signed_copies),
        )
        .order_by(Document.created_at, Document.id)
    ).all()
    owners = _owners(s, {code for *_rest, code in rows})
    admins = _active(s, ADMIN)
    return [
        Item(
            rule="unconfirmed",
            key=f"unconfirmed:{doc_id}",
            to=to,
            text="{code}'s statement {id} ({file}), received {since}, is neither confirmed "
            "nor disputed.",
            values={"code": code, "id": doc_id, "file": filename,
                    "since": received.date().isoformat()},  # fmt: skip
            link=f"/documents/{doc_id}#answer",
            customer=code,
        )
        for doc_id, filename, received, code in rows
        for to in ([owners[code]] if code in owners else admins)
    ]


def open_disputes(s: Session, today: dt.date, limits: Limits) -> list[Item]:
    """Disputes opened more than N days ago and neither resolved nor written off: to the
    dispute's owner (the admins when the owner is no active user)."""
    rows = s.execute(
        select(Dispute.id, Dispute.document_id, Dispute.owner, Dispute.created_at, FieldRow.value)
        .outerjoin(
            FieldRow,
            (FieldRow.document_id == Dispute.document_id) & (FieldRow.name == "customer_code"),
        )
        .where(
            Dispute.status.in_(OPEN_STATUSES),
            Dispute.created_at < _edge(today, limits.dispute_days),
        )
        .order_by(Dispute.created_at, Dispute.id)
    ).all()
    named = {owner for _i, _d, owner, _c, _v in rows}
    users = set(s.scalars(select(User.name).where(User.active, User.name.in_(named))))
    admins = _active(s, ADMIN)
    return [
        Item(
            rule="dispute",
            key=f"dispute:{dispute_id}",
            to=to,
            text="Dispute {id} on document {document} has been open since {since}.",
            values={"id": dispute_id, "document": doc_id, "since": opened.date().isoformat()},
            link=f"/documents/{doc_id}#answer",
            customer=code,
        )
        for dispute_id, doc_id, owner, opened, code in rows
        for to in ([owner] if owner in users else admins)
    ]


Rule = Callable[[Session, dt.date, Limits], list[Item]]
RULES: list[Rule] = [missing_statements, review_backlog, unconfirmed_statements, open_disputes]


def collect(s: Session, today: dt.date | None = None) -> dict[str, list[Item]]:
    """Every user's reminders today, by user name; a user's sensitive customers they may not
    see are left out."""
    today = today or dt.date.today()
    limits = Limits.load(s)
    by_user: dict[str, list[Item]] = {}
    for rule in RULES:
        for item in rule(s, today, limits):
            by_user.setdefault(item.to, []).append(item)
    users = {u.name: u for u in s.scalars(select(User).where(User.name.in_(list(by_user))))}
    for name, items in list(by_user.items()):
        hidden = hidden_customers(s, users[name]) if name in users else frozenset()
        by_user[name] = [i for i in items if i.customer not in hidden]
    return {name: items for name, items in sorted(by_user.items()) if items}


def for_user(s: Session, user: User, today: dt.date | None = None) -> list[Item]:
    return collect(s, today).get(user.name, [])


# -- the daily digest -----------------------------------------------------------------------


@dataclass
class Digest:
    user: str
    email: str | None
    items: list[Item]
    new: list[Item]
    sent: bool = False
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "user": self.user,
            "email": self.email,
            "items": [i.as_json() for i in self.items],
            "new": len(self.new),
            "sent": self.sent,
            "error": self.error,
        }


def translate(text: str, locale: str, **values: object) -> str:
    from archive.translations_zh import ZH  # the interface's one dictionary (plain data)

    out = ZH.get(text, text) if locale == "zh" else text
    return out.format(**values) if values else out


def message(user: User, items: list[Item], base_url: str) -> EmailMessage:
    lang = user.locale or "zh"
    msg = EmailMessage()
    msg["To"] = user.email
    msg["Subject"] = translate("Statement Archive: {n} reminders", lang, n=len(items))
    lines = [translate("Good morning {name}, these need your attention:", lang, name=user.name), ""]
    for item in items:
        lines.append("- " + translate(item.text, lang, **item.values))
        if item.link:
            lines.append("  " + base_url.rstrip("/") + item.link)
    lines += ["", translate("All reminders: {url}", lang, url=base_url.rstrip("/") +
                            "/finance/reminders")]  # fmt: skip
    msg.set_content("\n".join(lines))
    return msg


def run(
    s: Session,
    *,
    send: bool,
    today: dt.date | None = None,
    smtp: mailer.SmtpSettings | None = None,
    base_url: str | None = None,
) -> list[Digest]:
    """One digest per user. With `send`, mail what is new today and record it."""
    today = today or dt.date.today()
    base_url = base_url or config.settings().base_url
    by_user = collect(s, today)
    sent = set(
        s.execute(
            select(SentReminder.user_name, SentReminder.key).where(SentReminder.day == today)
        ).all()
    )
    users = {u.name: u for u in s.scalars(select(User).where(User.name.in_(list(by_user))))}
    digests = []
    down: str | None = None  # the server refused once: the others are not tried this run
    for name, items in by_user.items():
        user = users[name]
        new = [i for i in items if (name, i.key) not in sent]
        digest = Digest(user=name, email=user.email, items=items, new=new)
        digests.append(digest)
        if not send or not new:
            continue
        if not user.email:
            digest.error = "no e-mail address"
            continue
        if smtp is None or down:
            digest.error = down or "STMT_SMTP_URL is not set"
            continue
        try:
            mailer.send(smtp, [message(user, new, base_url)])
        except mailer.MailError as exc:
            digest.error = down = str(exc)
            continue
        s.add_all(SentReminder(day=today, user_name=name, key=i.key) for i in new)
        s.commit()  # what went out is kept even if a later user's mail fails
        digest.sent = True
    return digests


def beat_schedule() -> dict:
    """The Celery beat entry that mails the digests once a day (at STMT_REMIND_AT, HH:MM in
    UTC, default 00:30 — 08:30 in China); none while no mail server is configured."""
    from celery.schedules import crontab

    settings = config.settings()
    if not settings.smtp_url:
        return {}
    hour, minute = settings.remind_at
    return {
        "send-reminders": {
            "task": "ingest.mail_tasks.send_reminders",
            "schedule": crontab(hour=hour, minute=minute),
            "options": {"expires": 6 * 3600.0},  # a day missed is not made up twice
        }
    }
