"""Who is calling: an API token (``Authorization: Bearer``) or a signed session cookie.

Sessions carry the user's id and a CSRF token, signed (itsdangerous) with the server's
key; the browser must echo the CSRF token in ``X-CSRF-Token`` on every unsafe method
(double submit: the ``reemploi_csrf`` cookie is readable by the page's script, the
session cookie is not). Bearer requests need no CSRF token: browsers never add that
header on their own. Accounts are read on every request, so disabling one or revoking
a token takes effect at once.

Moves confirm the caller again inside their own transaction (``confirm``: one query per
kind of credentials for a whole group-committed batch). Their route may therefore start
from the principal last confirmed with the same credentials (``remembered``, per
application), answering 401/403 before the body is validated without a database round
trip per scan, and still refuse a token revoked before the batch's transaction began.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature
from sqlalchemy.orm import Session

from reemploi.accounts.service import (
    TOKEN_PREFIX,
    enabled_users,
    needs_touch,
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
    # False: an unsafe method by session without the right X-CSRF-Token. Refused with 403
    # once the account is known good (a disabled account is a 401 first, as it always was).
    csrf_ok: bool = True

    @property
    def key(self) -> tuple[str, object]:
        """How the principals memory knows these credentials (a token by its hash, never as is)."""
        if self.via == "token":
            return ("token", hashlib.sha256((self.token or "").encode()).digest())
        return ("session", self.user_id)


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the name the audit log records, and the role the matrix checks."""

    name: str
    role: str
    via: str  # "token" or "session"
    csrf: str | None = None
    credentials: Credentials | None = field(default=None, compare=False, repr=False)


class Principals:
    """Callers seen lately, by credentials, in one application: a hint for routes whose work
    confirms the caller again in its own transaction (moves), never an authority.

    Bounded (least recently confirmed go first); credentials refused are forgotten at once.
    """

    def __init__(self, size: int = 4096) -> None:
        self._seen: OrderedDict[tuple[str, object], Principal] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, c: Credentials) -> Principal | None:
        with self._lock:
            return self._seen.get(c.key)

    def confirmed(self, p: Principal) -> None:
        if p.credentials is None:
            return
        key = p.credentials.key
        with self._lock:
            self._seen[key] = p
            self._seen.move_to_end(key)
            while len(self._seen) > self._size:
                self._seen.popitem(last=False)

    def refused(self, c: Credentials) -> None:
        with self._lock:
            self._seen.pop(c.key, None)


def session_value(state: ApiState, user_id: int, csrf: str) -> str:
    return state.signer.dumps({"u": user_id, "c": csrf})


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def read_credentials(request: Request, state: ApiState) -> Credentials:
    """The request's credentials, or 401 (none, malformed, bad signature). No database.

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
    ok = True
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        ok = bool(sent) and secrets.compare_digest(sent, csrf)
    return Credentials("session", user_id=user_id, csrf=csrf, csrf_ok=ok)


def _resolve(session: Session, credentials: Sequence[Credentials]) -> tuple[list[Principal | None], set[int]]:
    """Who each of ``credentials`` is now (None: revoked, disabled or unknown), one query per kind;
    and the tokens whose ``last_used`` is due (at most once a minute, so reads stay reads)."""
    owners = resolve_tokens(session, [c.token for c in credentials if c.via == "token" and c.token])
    users = enabled_users(session, [c.user_id for c in credentials if c.via == "session" and c.user_id is not None])
    out: list[Principal | None] = []
    due: set[int] = set()
    for c in credentials:
        if c.via == "token":
            owner = owners.get(c.token or "")
            if owner is not None and needs_touch(owner):
                due.add(owner.token_id)
            out.append(None if owner is None else Principal(owner.user, owner.role, "token", credentials=c))
        else:
            user = users.get(c.user_id)  # type: ignore[arg-type]
            out.append(None if user is None else Principal(user[0], user[1], "session", c.csrf, credentials=c))
    return out, due


def _remember(state: ApiState, credentials: Sequence[Credentials], found: list[Principal | None]) -> None:
    for c, p in zip(credentials, found, strict=True):
        if p is None:
            state.principals.refused(c)
        else:
            state.principals.confirmed(p)


def confirm(state: ApiState, session: Session, credentials: Sequence[Credentials]) -> list[Principal | None]:
    """Who each of ``credentials`` is now, read in the caller's (write) transaction; see ``_resolve``."""
    found, due = _resolve(session, credentials)
    for token_id in due:
        touch_token(session, token_id)
    _remember(state, credentials, found)
    return found


def credentials_refused(c: Credentials) -> ApiError:
    return ApiError(401, "auth_failed" if c.via == "token" else "auth_required")


def _csrf_checked(p: Principal) -> Principal:
    if p.credentials is not None and not p.credentials.csrf_ok:
        raise ApiError(403, "csrf_failed")
    return p


def authenticate(state: ApiState, c: Credentials) -> Principal:
    """The caller behind ``c``, read now (a read unit of work; a write only to refresh ``last_used``)."""
    with state.read() as s:
        found, due = _resolve(s, [c])
    if due:
        with state.write() as s:
            for token_id in due:
                touch_token(s, token_id)
    _remember(state, [c], found)
    if found[0] is None:
        raise credentials_refused(c)
    return _csrf_checked(found[0])


def password_login(state: ApiState, request: Request, name: str, password: str) -> tuple[int, str, str]:
    """A name and password checked, throttled per account and client: the user's id, name and role.

    ``LoginThrottled`` after repeated failures, before any password check; a wrong password
    (``AuthenticationFailed``) stays counted, a right one is not.
    """
    from reemploi.accounts.service import authenticate

    client = request.client.host if request.client else "-"
    mark = state.logins.begin(name, client)
    with state.read() as s:
        user = authenticate(s, name, password)
        found = (user.id, user.name, user.role)
    state.logins.succeeded(name, client, mark)
    return found


def open_session(state: ApiState, response: Response, user_id: int, csrf: str) -> None:
    """Set the signed session cookie and the CSRF cookie (which the page's script echoes
    in X-CSRF-Token: double submit) on ``response``."""
    common = {"max_age": SESSION_MAX_AGE, "samesite": "lax", "secure": state.secure_cookies, "path": "/"}
    response.set_cookie(SESSION_COOKIE, session_value(state, user_id, csrf), httponly=True, **common)  # type: ignore[arg-type]
    response.set_cookie(CSRF_COOKIE, csrf, httponly=False, **common)  # type: ignore[arg-type]


def close_session(response: Response) -> None:
    """Clear the session and CSRF cookies (logging out)."""
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


def current_principal(request: Request, state: ApiState = Depends(api_state)) -> Principal:
    """The caller, read from the database now, or 401/403."""
    return authenticate(state, read_credentials(request, state))


def remembered(request: Request, state: ApiState) -> Principal | None:
    """The caller as last confirmed with these credentials (no database), or None when not seen lately.

    Raises 401 for credentials unusable on their face, 403 for a failed CSRF check. Only a
    hint: the work must ``confirm`` the caller in its own transaction.
    """
    c = read_credentials(request, state)
    p = state.principals.get(c)
    if p is None:
        return None
    return _csrf_checked(Principal(p.name, p.role, p.via, c.csrf, credentials=c))
