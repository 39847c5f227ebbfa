"""Who is calling: an API token (``Authorization: Bearer``) or a signed session cookie.

Sessions carry the user's id and a CSRF token, signed (itsdangerous) with the server's
key; the browser must echo the CSRF token in ``X-CSRF-Token`` on every unsafe method
(double submit: the ``reemploi_csrf`` cookie is readable by the page's script, the
session cookie is not). Bearer requests need no CSRF token: browsers never add that
header on their own. Accounts are read on every request, so disabling one or revoking
a token takes effect at once.

Moves confirm the caller again inside their own transaction (``confirm``: one query for
a whole group-committed batch). Their route may therefore start from a remembered
principal (``remembered``), answering 401/403 before it reads the body without a
database round trip per scan, and still refuse a token revoked a moment ago.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import Depends, Request
from itsdangerous import BadSignature
from sqlalchemy.orm import Session

from reemploi.accounts.service import (
    TOKEN_PREFIX,
    AuthenticationFailed,
    enabled_users,
    needs_touch,
    resolve_token,
    resolve_tokens,
    touch_token,
)
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError

SESSION_COOKIE = "reemploi_session"
CSRF_COOKIE = "reemploi_csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_MAX_AGE = 12 * 3600  # a working day; then log in again
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Credentials:
    """What a request presents, checked without the database: a bearer token or a signed session."""

    via: str  # "token" or "session"
    token: str | None = None
    user_id: int | None = None
    csrf: str | None = None

    @property
    def key(self) -> tuple[str, object]:
        return (self.via, self.token if self.via == "token" else self.user_id)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the name the audit log records, and the role the matrix checks."""

    name: str
    role: str
    via: str  # "token" or "session"
    csrf: str | None = None
    credentials: Credentials | None = field(default=None, compare=False, repr=False)


def session_value(state: ApiState, user_id: int, csrf: str) -> str:
    return state.signer.dumps({"u": user_id, "c": csrf})


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def read_credentials(request: Request, state: ApiState) -> Credentials:
    """The request's credentials, or 401 (none, malformed, bad signature) / 403 (CSRF). No database.

    A bearer token wins over a cookie when both are sent.
    """
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(TOKEN_PREFIX):
            raise ApiError(401, "auth_failed")
        return Credentials("token", token=token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise ApiError(401, "auth_required")
    try:
        data = state.signer.loads(cookie, max_age=SESSION_MAX_AGE)
        user_id, csrf = int(data["u"]), str(data["c"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ApiError(401, "auth_required") from None
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not secrets.compare_digest(sent, csrf):
            raise ApiError(403, "csrf_failed")
    return Credentials("session", user_id=user_id, csrf=csrf)


def confirm(session: Session, credentials: Sequence[Credentials]) -> list[Principal | None]:
    """Who each of ``credentials`` is now (None: revoked, disabled or unknown), in one query per kind.

    Refreshes a token's ``last_used`` at most once a minute, so reads stay reads.
    """
    owners = resolve_tokens(session, [c.token for c in credentials if c.via == "token" and c.token])
    users = enabled_users(session, [c.user_id for c in credentials if c.via == "session" and c.user_id is not None])
    out: list[Principal | None] = []
    touched: set[int] = set()
    for c in credentials:
        if c.via == "token":
            owner = owners.get(c.token or "")
            if owner is None:
                out.append(None)
                continue
            if needs_touch(owner) and owner.token_id not in touched:
                touched.add(owner.token_id)
            out.append(Principal(owner.user, owner.role, "token", credentials=c))
        else:
            user = users.get(c.user_id)  # type: ignore[arg-type]
            out.append(None if user is None else Principal(user[0], user[1], "session", c.csrf, credentials=c))
    for token_id in touched:
        touch_token(session, token_id)
    for p in out:
        if p is not None:
            _remember(p)
    return out


def credentials_refused(c: Credentials) -> ApiError:
    return ApiError(401, "auth_failed" if c.via == "token" else "auth_required")


def authenticate(state: ApiState, c: Credentials) -> Principal:
    """The caller behind ``c``, read now (a read unit of work; a write only to refresh ``last_used``)."""
    if c.via == "token":
        with state.read() as s:
            try:
                owner = resolve_token(s, c.token or "")
            except AuthenticationFailed:
                raise credentials_refused(c) from None
        if needs_touch(owner):
            with state.write() as s:
                touch_token(s, owner.token_id)
        principal = Principal(owner.user, owner.role, "token", credentials=c)
    else:
        with state.read() as s:
            user = enabled_users(s, [c.user_id]).get(c.user_id)  # type: ignore[list-item,arg-type]
        if user is None:
            raise credentials_refused(c)
        principal = Principal(user[0], user[1], "session", c.csrf, credentials=c)
    _remember(principal)
    return principal


def current_principal(request: Request, state: ApiState = Depends(api_state)) -> Principal:
    """The caller, read from the database now, or 401/403."""
    return authenticate(state, read_credentials(request, state))


# Principals seen lately, by credentials: a hint for routes whose work confirms the caller
# again in its own transaction (moves), never an authority. Bounded; the oldest go first.
_REMEMBERED: OrderedDict[tuple[str, object], Principal] = OrderedDict()
_REMEMBERED_MAX = 4096
_remembered_lock = threading.Lock()


def _remember(p: Principal) -> None:
    if p.credentials is None:
        return
    with _remembered_lock:
        _REMEMBERED[p.credentials.key] = p
        _REMEMBERED.move_to_end(p.credentials.key)
        while len(_REMEMBERED) > _REMEMBERED_MAX:
            _REMEMBERED.popitem(last=False)


def remembered(request: Request, state: ApiState) -> Principal | None:
    """The caller as last seen with these credentials (no database), or None when not seen lately.

    Raises 401/403 for credentials that are unusable on their face. Only a hint: the
    work must ``confirm`` the caller in its own transaction.
    """
    c = read_credentials(request, state)
    with _remembered_lock:
        p = _REMEMBERED.get(c.key)
    return None if p is None else Principal(p.name, p.role, p.via, c.csrf, credentials=c)
