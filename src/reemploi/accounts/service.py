"""Accounts use cases: create, list and disable users; check passwords; issue, resolve
and revoke API tokens.

Passwords are hashed with argon2id (``argon2-cffi``); tokens are 32 random bytes shown
once and stored as their SHA-256. Nothing here commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from reemploi.accounts.models import ApiToken, Role, User
from reemploi.db import utcnow
from reemploi.errors import Conflict, InvalidInput, NotFound, ReemploiError

TOKEN_PREFIX = "rmp_"
PREFIX_LEN = 12  # "rmp_" and 8 random characters: enough to tell tokens apart in a list
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@\-]{0,119}$")
MIN_PASSWORD = 10
# Refreshing ``last_used`` on every request would make every read a write.
LAST_USED_EVERY = timedelta(minutes=1)

_hasher = PasswordHasher()


class UnknownUser(NotFound):
    code = "unknown_user"


class UnknownToken(NotFound):
    code = "unknown_token"


class AuthenticationFailed(ReemploiError):
    """Wrong name or password, unknown/revoked token, or a disabled account (never says which)."""

    code = "auth_failed"


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise InvalidInput("unknown_role", role=value, roles=", ".join(r.value for r in Role)) from None


def check_password(name: str, password: str) -> None:
    """Refuse empty, short or trivially guessable passwords."""
    if not password or not password.strip():
        raise InvalidInput("password_empty")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput("password_short", min=MIN_PASSWORD)
    lowered = password.lower()
    if len(set(password)) < 5 or name.lower() in lowered or lowered in _COMMON:
        raise InvalidInput("password_weak")


_COMMON = {"password123", "motdepasse", "azertyuiop", "qwertyuiop", "1234567890", "0123456789", "administrator"}


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def get_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise UnknownUser(user=name)
    return user


def create_user(session: Session, name: str, role: Role, password: str | None) -> User:
    """A new user; ``password`` may be None for an account used only with tokens."""
    name = name.strip()
    if not NAME_RE.match(name):
        raise InvalidInput("user_name_invalid", user=name)
    if password is not None:
        check_password(name, password)
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict("user_exists", user=name)
    user = User(
        name=name, role=role.value, password_hash=hash_password(password) if password is not None else None,
        disabled=False, created_at=utcnow(),
    )  # fmt: skip
    session.add(user)
    try:
        session.flush()
    except IntegrityError:  # created concurrently
        raise Conflict("user_exists", user=name) from None
    return user


def user_dict(user: User) -> dict[str, Any]:
    return {
        "name": user.name, "role": user.role, "disabled": user.disabled,
        "created_at": user.created_at.isoformat(), "has_password": user.password_hash is not None,
    }  # fmt: skip


def list_users(session: Session) -> list[dict[str, Any]]:
    return [user_dict(u) for u in session.scalars(select(User).order_by(User.name))]


def disable_user(session: Session, name: str) -> tuple[User, int]:
    """Disable a user and revoke their live tokens (how many, second); the row stays (the audit log names them)."""
    user = get_user(session, name)
    user.disabled = True
    revoked = session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)).values(revoked_at=utcnow())
    ).rowcount
    session.flush()
    return user, revoked


def authenticate(session: Session, name: str, password: str) -> User:
    """The user if the password matches and the account is enabled, else ``AuthenticationFailed``."""
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None or user.password_hash is None:
        _hasher.hash("x" * MIN_PASSWORD)  # same work either way: no timing hint that the name exists
        raise AuthenticationFailed()
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthenticationFailed() from None
    if user.disabled:
        raise AuthenticationFailed()
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str  # the secret: shown once, never stored
    id: int
    prefix: str
    user: str


def create_token(session: Session, user_name: str) -> IssuedToken:
    user = get_user(session, user_name)
    if user.disabled:
        raise Conflict("user_disabled", user=user.name)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, prefix=token[:PREFIX_LEN], token_hash=_digest(token), created_at=utcnow())
    session.add(row)
    session.flush()
    return IssuedToken(token, row.id, row.prefix, user.name)


@dataclass(frozen=True)
class TokenOwner:
    """What a request needs to know about a live token: whose it is, and when it was last used."""

    token_id: int
    user: str
    role: str
    last_used: datetime | None


def resolve_tokens(session: Session, tokens: Iterable[str]) -> dict[str, TokenOwner]:
    """The live tokens among ``tokens`` (token -> owner), in one query; others are left out."""
    by_digest = {_digest(tok): tok for tok in tokens if tok.startswith(TOKEN_PREFIX)}
    if not by_digest:
        return {}
    rows = session.execute(
        select(ApiToken.token_hash, ApiToken.id, User.name, User.role, ApiToken.last_used)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash.in_(by_digest), ApiToken.revoked_at.is_(None), User.disabled.is_(False))
    )
    return {by_digest[r.token_hash]: TokenOwner(r.id, r.name, r.role, r.last_used) for r in rows}


def enabled_users(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """The enabled users among ``ids`` (id -> (name, role)), in one query."""
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.name, User.role).where(User.id.in_(wanted), User.disabled.is_(False)))
    return {r.id: (r.name, r.role) for r in rows}


def needs_touch(owner: TokenOwner, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return owner.last_used is None or now - owner.last_used >= LAST_USED_EVERY


def touch_token(session: Session, token_id: int) -> None:
    row = session.get(ApiToken, token_id)
    if row is not None:
        row.last_used = utcnow()
        session.flush()


def _find_token(session: Session, prefix_or_id: str) -> ApiToken:
    key = prefix_or_id.strip()
    if key.isascii() and key.isdigit():  # "¹".isdigit() is True, but it is no id
        row = session.get(ApiToken, int(key))
        if row is not None:
            return row
    rows = list(session.scalars(select(ApiToken).where(ApiToken.prefix == key[:PREFIX_LEN])))
    if len(key) > PREFIX_LEN:  # the whole token was given
        rows = [r for r in rows if r.token_hash == _digest(key)]
    if not rows:
        raise UnknownToken(token=key[:PREFIX_LEN])
    if len(rows) > 1:
        raise Conflict("token_ambiguous", token=key)
    return rows[0]


def revoke_token(session: Session, prefix_or_id: str) -> ApiToken:
    row = _find_token(session, prefix_or_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()
    return row


def token_dict(row: ApiToken) -> dict[str, Any]:
    return {
        "id": row.id, "prefix": row.prefix, "user": row.user.name, "created_at": row.created_at.isoformat(),
        "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
        "last_used": row.last_used.isoformat() if row.last_used else None,
    }  # fmt: skip


def list_tokens(session: Session, user_name: str | None = None) -> list[dict[str, Any]]:
    q = select(ApiToken).join(User, ApiToken.user_id == User.id).order_by(ApiToken.id)
    if user_name:
        q = q.where(User.name == user_name.strip())
    return [token_dict(r) for r in session.scalars(q)]
