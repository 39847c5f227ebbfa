"""Errors as JSON, in the caller's language, translated once for the whole API.

Body: ``{"error": {"code": CODE, "message": TEXT, ...details}}``. The language is
``?lang=`` if given, else the best of ``Accept-Language``, else English. Domain errors
map to a status by class (``STATUS``), first match wins.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from reemploi import errors
from reemploi.accounts.service import AuthenticationFailed
from reemploi.accounts.throttle import LoginThrottled
from reemploi.i18n import LANGS, current_lang, t

log = logging.getLogger("reemploi.api")

# Domain error class -> HTTP status; the first class the error is an instance of wins.
STATUS: list[tuple[type[errors.ReemploiError], int]] = [
    (AuthenticationFailed, 401),
    (LoginThrottled, 429),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.TransitionNotAllowed, 409),
    (errors.InvalidInput, 422),
    (errors.DatabaseNotReady, 503),
    (errors.ReemploiError, 400),
]


class ApiError(Exception):
    """An error the API itself raises (authentication, permission, CSRF, a refused move)."""

    def __init__(self, status: int, code: str, extra: dict[str, Any] | None = None, **params: Any) -> None:
        super().__init__(code)
        self.status, self.code, self.params, self.extra = status, code, params, extra or {}


def status_for(exc: errors.ReemploiError) -> int:
    return next(status for cls, status in STATUS if isinstance(exc, cls))


def request_lang(request: Request) -> str:
    """``?lang=`` when valid, else the first supported language of Accept-Language by weight, else the
    server's own (its locale or REEMPLOI_LANG: French on a French server)."""
    q = (request.query_params.get("lang") or "").lower()[:2]
    if q in LANGS:
        return q
    best, best_q = current_lang(), -1.0
    for part in request.headers.get("accept-language", "").split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower()[:2]
        if lang not in LANGS:
            continue
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if weight > best_q:
            best, best_q = lang, weight
    return best


def error_response(request: Request, status: int, code: str, params: dict[str, Any], **extra: Any) -> JSONResponse:
    body = {"error": {"code": code, "message": t(code, request_lang(request), **params), **extra}}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if "retry_after" in extra:
        headers = {"Retry-After": str(extra["retry_after"])}
    return JSONResponse(body, status_code=status, headers=headers)


def install(app: FastAPI) -> None:
    """Register the handlers: every error leaves the API as the same JSON shape."""

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.params, **exc.extra)

    @app.exception_handler(errors.ReemploiError)
    async def _domain(request: Request, exc: errors.ReemploiError) -> JSONResponse:
        retry = getattr(exc, "retry_after", None)  # an error that says when to come back (429)
        return error_response(request, status_for(exc), exc.code, exc.params,
                              **({"retry_after": retry} if retry is not None else {}))  # fmt: skip

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
            for e in exc.errors()
        ]
        text = "; ".join(f"{'.'.join(d['loc'])}: {d['msg']}" for d in details)
        return error_response(request, 422, "validation_error", {"details": text}, details=details)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return http_error(request, exc)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        return error_response(request, 409, "database_conflict", {"error": _first_line(exc)})

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        # A value the database refuses (a NUL character for PostgreSQL, a number out of range).
        return error_response(request, 422, "database_bad_value", {"error": _first_line(exc)})

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        line = _first_line(exc)
        if "locked" in line or "busy" in line or "deadlock" in line or "could not serialize" in line:
            return error_response(request, 503, "database_busy", {"error": line})
        return _internal(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return _internal(request, exc)


def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    """No such route, method not allowed…, in the API's JSON shape."""
    if exc.status_code == 404:
        return error_response(request, 404, "route_not_found", {"path": request.url.path})
    if exc.status_code == 405:
        return error_response(request, 405, "method_not_allowed", {"method": request.method})
    return error_response(request, exc.status_code, "http_error", {"status": exc.status_code})


def _internal(request: Request, exc: Exception) -> JSONResponse:
    ref = uuid.uuid4().hex[:12]
    log.error("internal error %s on %s %s", ref, request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "api_internal_error", {"ref": ref})


def _first_line(exc: Any) -> str:
    text = (str(exc.orig) if getattr(exc, "orig", None) is not None else str(exc)).strip().splitlines()
    return text[0] if text else exc.__class__.__name__
