"""People and programs that use the web app and API: users with roles, API tokens, settings.

Passwords are stored as scrypt hashes (werkzeug); API tokens are random and only their
SHA-256 is stored, so a copy of the database gives no working token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from enum import StrEnum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from archive.models import Base, utc_text, utcnow


class Role(StrEnum):
    """What a user may do: mailroom uploads, finance searches, reviewers correct, admins all."""

    MAILROOM = "mailroom"
    FINANCE = "finance"
    REVIEWER = "reviewer"
    ADMIN = "admin"


MAILROOM, FINANCE, REVIEWER, ADMIN = Role
ROLES = tuple(r.value for r in Role)  # plain strings: click.Choice matches enums by name
LOCALES = ("zh", "en")
MIN_PASSWORD = 10
TOKEN_PREFIX = "stmt_"  # noqa: S105  (a public prefix, not a secret)

# A hash to compare against when the user does not exist, so timing does not tell.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(255))  # where reminders go
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]
    # Part of every session cookie's user id: raising it (sign-out, a new password, a new
    # role) ends every session the user has, in every process, at their next request.
    session_version: Mapped[int] = mapped_column(default=0)

    tokens: Mapped[list[ApiToken]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's protocol, without importing Flask here.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def end_sessions(self) -> None:
        self.session_version = (self.session_version or 0) + 1

    def set_password(self, password: str) -> None:
        check_password_strength(password)
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.end_sessions()

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(16))  # first characters, to tell tokens apart
    name: Mapped[str | None] = mapped_column(String(64))  # what it is for, e.g. "billing"
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]  # None: until revoked
    revoked: Mapped[bool] = mapped_column(default=False)

    def as_json(self) -> dict[str, object]:
        """What `stmt tokens list --json` prints and the admin page shows: never the token."""

        def when(value: dt.datetime | None) -> str | None:
            return utc_text(value) if value else None

        return {
            "id": self.id,
            "user": self.user.name,
            "name": self.name,
            "hint": self.hint,
            "state": self.state(),
            "created_at": when(self.created_at),
            "expires_at": when(self.expires_at),
            "last_used_at": when(self.last_used_at),
        }

    def state(self, now: dt.datetime | None = None) -> str:
        if self.revoked:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or utcnow()):
            return "expired"
        return "active"

    user: Mapped[User] = relationship(back_populates="tokens")


class Setting(Base):
    """Settings admins change in the web app (e.g. review_threshold), as text."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by: Mapped[str | None] = mapped_column(String(64))


class UserError(ValueError):
    """A request about users that cannot be done; the message is shown as is."""


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if password.strip() != password or password.isdigit() or len(set(password)) < 4:
        raise UserError("the password is too simple")


def by_name(s: Session, name: str) -> User | None:
    return s.scalar(select(User).where(User.name == name))


def add_user(s: Session, name: str, role: str, password: str, email: str | None = None) -> User:
    name = name.strip()
    if not name or len(name) > 64 or any(c.isspace() for c in name):
        raise UserError("a user name is 1 to 64 characters without spaces")
    if role not in ROLES:
        raise UserError(f"the role must be one of {', '.join(ROLES)}")
    if by_name(s, name) is not None:
        raise UserError(f"user {name!r} already exists")
    user = User(name=name, role=role, password_hash="")
    set_email(user, email)
    user.set_password(password)
    s.add(user)
    s.flush()
    return user


def set_email(user: User, email: str | None) -> None:
    """Where the user's reminders go; empty clears it."""
    from archive.userinput import valid_email

    email = (email or "").strip() or None
    if email is not None and not valid_email(email):
        raise UserError(f"{email} is not an e-mail address")
    user.email = email


def authenticate(s: Session, name: str, password: str) -> User | None:
    """The active user with this name and password, else None (in about the same time)."""
    user = by_name(s, name)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


MAX_TOKEN_DAYS = 3650


def create_token(
    s: Session, user: User, *, name: str | None = None, expires_days: int | None = None
) -> str:
    """A new API token for `user`; returned once, only its hash is kept. With `expires_days`
    it stops working that many days from now."""
    if expires_days is not None and not 1 <= expires_days <= MAX_TOKEN_DAYS:
        raise UserError(f"a token expires after 1 to {MAX_TOKEN_DAYS} days")
    if name is not None and len(name) > 64:
        raise UserError("a token name has at most 64 characters")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + dt.timedelta(days=expires_days) if expires_days else None
    s.add(
        ApiToken(
            user=user,
            token_hash=_token_hash(token),
            hint=token[:10],
            name=name or None,
            expires_at=expires,
        )
    )
    s.flush()
    return token


def list_tokens(s: Session, user: str | None = None) -> list[ApiToken]:
    stmt = select(ApiToken).join(User).order_by(ApiToken.id)
    if user:
        stmt = stmt.where(User.name == user)
    return list(s.scalars(stmt))


def revoke_token(s: Session, token_id: int) -> ApiToken:
    row = s.get(ApiToken, token_id)
    if row is None:
        raise UserError(f"no token {token_id}")
    row.revoked = True
    return row


def user_for_token(s: Session, token: str) -> User | None:
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = _token_hash(token)
    row = s.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if row is None or row.state() != "active" or not row.user.active:
        return None
    if not hmac.compare_digest(row.token_hash, digest):  # belt and braces
        return None
    row.last_used_at = utcnow()
    return row.user


def get_setting(s: Session, key: str, default: str | None = None) -> str | None:
    row = s.get(Setting, key)
    return row.value if row else default


def set_setting(s: Session, key: str, value: str, user: str | None = None) -> None:
    row = s.get(Setting, key)
    if row is None:
        s.add(Setting(key=key, value=value, updated_by=user))
    else:
        row.value, row.updated_by = value, user


def review_threshold(s: Session, default: float) -> float:
    """The review threshold admins set in the web app, else `default` (the environment's)."""
    raw = get_setting(s, "review_threshold")
    try:
        return float(raw) if raw is not None else default
    except ValueError:
        return default
