"""Who is calling: an API token (``Authorization: Bearer``) or a signed session cookie.

Sessions carry the user's id and a CSRF token, signed (itsdangerous) with the server's
key; the browser must echo the CSRF token in ``X-CSRF-Token`` on every unsafe method
(double submit: the ``reemploi_csrf`` cookie is readable by the page's script, the
session cookie is not). Bearer requests need no CSRF token: browsers never add that
header on their own. Accounts are read on every request, so disabling one or revoking
a token takes effect at once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Depends, Request
from itsdangerous import BadSignature

from reemploi.accounts.service import AuthenticationFailed, needs_touch, resolve_token, touch_token
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError

SESSION_COOKIE = "reemploi_session"
CSRF_COOKIE = "reemploi_csrf"
CSRF_HEADER = "X-CSRF-Token"
SESSION_MAX_AGE = 12 * 3600  # a working day; then log in again
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class Principal:
    """The authenticated caller: the name the audit log records, and the role the matrix checks."""

    name: str
    role: str
    via: str  # "token" or "session"
    csrf: str | None = None


def session_value(state: ApiState, user_id: int, csrf: str) -> str:
    return state.signer.dumps({"u": user_id, "c": csrf})


def new_csrf() -> str:
    return secrets.token_urlsafe(24)


def _from_token(state: ApiState, token: str) -> Principal:
    with state.read() as s:
        owner = resolve_token(s, token)
    if needs_touch(owner):  # at most once a minute per token: reads stay reads
        with state.write() as s:
            touch_token(s, owner.token_id)
    return Principal(owner.user, owner.role, "token")


def _from_session(state: ApiState, request: Request, cookie: str) -> Principal:
    from reemploi.accounts.models import User

    try:
        data = state.signer.loads(cookie, max_age=SESSION_MAX_AGE)
        user_id, csrf = int(data["u"]), str(data["c"])
    except (BadSignature, KeyError, TypeError, ValueError):
        raise ApiError(401, "auth_required") from None
    with state.read() as s:
        user = s.get(User, user_id)
        if user is None or user.disabled:
            raise ApiError(401, "auth_required")
        principal = Principal(user.name, user.role, "session", csrf)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or not secrets.compare_digest(sent, csrf):
            raise ApiError(403, "csrf_failed")
    return principal


def current_principal(request: Request, state: ApiState = Depends(api_state)) -> Principal:
    """The caller, or 401. A bearer token wins over a cookie when both are sent."""
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "auth_failed")
        try:
            return _from_token(state, token.strip())
        except AuthenticationFailed:
            raise ApiError(401, "auth_failed") from None
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return _from_session(state, request, cookie)
    raise ApiError(401, "auth_required")
