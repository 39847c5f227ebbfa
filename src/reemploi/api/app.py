"""The application factory: ``create_app(database_url)`` builds the whole HTTP API.

Routes live under ``/api/v1``; the OpenAPI description at ``/api/v1/openapi.json``
names each operation's permission (``x-permission``). No interactive docs page is
served: Swagger UI would load its assets from a CDN.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from itsdangerous import URLSafeTimedSerializer

from reemploi import __version__
from reemploi.api import audit, devices, errors, impact, imports, inventory, jobs, planning, records, users
from reemploi.api.authz import PERMISSIONS, Authorize
from reemploi.api.deps import ApiState
from reemploi.db import make_engine, migrate, resolve_url

PREFIX = "/api/v1"
# The only routes that need no authentication.
PUBLIC = frozenset({("POST", f"{PREFIX}/session"), ("GET", f"{PREFIX}/health")})

health = APIRouter(tags=["health"])


@health.get("/health", summary="The server answers (no authentication)")
def get_health() -> dict[str, Any]:
    return {"status": "ok", "version": __version__}


ROUTERS: tuple[APIRouter, ...] = (
    health,
    users.router,
    devices.router,
    records.router,
    inventory.router,
    audit.router,
    planning.router,
    imports.router,
    jobs.router,
    impact.router,
)


def api_routes() -> list[tuple[str, str, str | None]]:
    """Every API operation as (method, path, permission); permission None only for ``PUBLIC`` ones."""
    out = []
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods):
                    out.append((method, PREFIX + route.path, route_permission(route)))
    return out


def route_permission(route: APIRoute) -> str | None:
    """The permission a route declares through ``Authorize`` (None for public routes)."""
    found = [d.call.permission for d in route.dependant.dependencies if isinstance(d.call, Authorize)]
    return found[0] if found else None


def create_app(
    database_url: str | None = None,
    *,
    secret_key: str | None = None,
    secure_cookies: bool = False,
    job_workers: int = 2,
    warm: bool = False,
) -> FastAPI:
    """The API on ``database_url`` (default: $REEMPLOI_DATABASE_URL, else ./reemploi.db).

    ``secret_key`` signs session cookies (default: $REEMPLOI_SECRET_KEY, else random: sessions
    then end with the process). ``secure_cookies`` marks cookies Secure (behind HTTPS).
    ``warm`` computes the dashboard's figures in the background at start-up, so that the
    first view does not wait for them (seconds on a national fleet). The database must be
    at the code's schema revision (``reemploi init``).
    """
    url = resolve_url(database_url)
    # A steady pool: overflow connections are closed when returned, and opening one costs far
    # more than a request; requests beyond the pool wait for a connection instead. Two server
    # processes stay well within PostgreSQL's default max_connections (100).
    engine = make_engine(url, **({"pool_size": 20, "max_overflow": 4} if not url.endswith(":memory:") else {}))
    migrate.ensure_current(engine)
    key = secret_key or os.environ.get("REEMPLOI_SECRET_KEY") or secrets.token_urlsafe(32)
    state = ApiState(
        engine=engine,
        signer=URLSafeTimedSerializer(key, salt="reemploi-session"),
        jobs=jobs.JobManager(job_workers),
        secure_cookies=secure_cookies,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if warm:
            app.state.reemploi_web_dashboard.warm(state)
        yield
        app.state.reemploi_web_dashboard.stop()
        state.moves.stop()
        state.jobs.shutdown()  # waits for running jobs: a half-written plan would be rolled back anyway
        engine.dispose()

    app = FastAPI(
        title="reemploi",
        version=__version__,
        description="Second life for network equipment: inventory, chain of custody, refurbishment, allocation. "
        "Authenticate with `Authorization: Bearer TOKEN` (`reemploi tokens create USER`) or a session cookie "
        "(`POST /api/v1/session`; then send `X-CSRF-Token` on unsafe methods). Errors: "
        '`{"error": {"code", "message"}}`, in French or English (`Accept-Language` or `?lang=`).',
        openapi_url=f"{PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.reemploi = state
    errors.install(app)
    for router in ROUTERS:
        for route in router.routes:
            if isinstance(route, APIRoute):
                perm = route_permission(route)
                extra: dict[str, Any] = {"x-permission": perm}
                if perm:
                    extra["security"] = [{"bearer": []}, {"session": []}]
                    extra["x-permission-description"] = PERMISSIONS[perm]
                route.openapi_extra = {**(route.openapi_extra or {}), **extra}
        app.include_router(router, prefix=PREFIX)
    _add_security_schemes(app)
    from reemploi.web import mount as mount_web  # the web UI: pages at /, assets at /static

    mount_web(app)
    return app


def _add_security_schemes(app: FastAPI) -> None:
    original = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        schema.setdefault("components", {})["securitySchemes"] = {
            "bearer": {"type": "http", "scheme": "bearer", "description": "An API token (reemploi tokens create)."},
            "session": {"type": "apiKey", "in": "cookie", "name": "reemploi_session",
                        "description": "Set by POST /api/v1/session; unsafe methods also need X-CSRF-Token."},
        }  # fmt: skip
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory reemploi.api.app:app_from_env`` (what ``reemploi serve`` runs).

    ``REEMPLOI_SECURE_COOKIES=1`` marks the session cookies Secure (serving behind HTTPS).
    """
    return create_app(
        os.environ.get("REEMPLOI_DATABASE_URL"),
        secure_cookies=os.environ.get("REEMPLOI_SECURE_COOKIES") == "1",
        warm=True,
    )
