"""The authorisation matrix: which role may do what, in one place.

Every route declares one permission with ``Depends(Authorize("devices:move"))``; the
table below maps roles to permissions; ``Authorize`` is the only place that checks.
The auditor reads everything and changes nothing. ``tests/test_api_authz.py`` walks
every route of the app against this table.
"""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from reemploi.accounts.models import Role
from reemploi.api.auth import Principal, current_principal, remembered
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError

# permission -> what it allows (shown in the OpenAPI description as x-permission).
PERMISSIONS: dict[str, str] = {
    "session:read": "see who is logged in; log out",
    "devices:read": "list devices, see a device and its timeline",
    "devices:move": "move devices between states (one or in bulk)",
    "records:write": "record tests, repairs, sanitizations and disposals",
    "catalog:read": "list equipment models",
    "locations:read": "list locations",
    "lots:read": "list lots",
    "lots:reconcile": "reconcile a lot against scanned serials",
    "audit:read": "read the audit log and verify its chain",
    "sites:read": "list destination sites and their needs",
    "plans:read": "list and show allocation plans",
    "plans:create": "compute a new draft plan (a job)",
    "plans:approve": "approve or cancel a plan",
    "shipments:read": "list shipments",
    "imports:run": "import field exports (a job)",
    "jobs:read": "follow jobs (one's own; admins: all)",
    "users:manage": "create, list and disable users; issue and revoke their tokens",
    "impact:read": "see the impact figures (avoided emissions, e-waste, reuse rates)",
    "reports:read": "list and download CSR reports",
    "reports:create": "write a CSR report (a job)",
}

READ = frozenset(
    {"session:read", "devices:read", "catalog:read", "locations:read", "lots:read", "audit:read", "sites:read",
     "plans:read", "shipments:read", "jobs:read", "impact:read", "reports:read"}
)  # fmt: skip

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset(PERMISSIONS),
    Role.PLANNER: READ | {"plans:create", "plans:approve", "imports:run", "reports:create"},
    Role.TECHNICIAN: READ | {"devices:move", "records:write", "lots:reconcile", "imports:run"},
    Role.CSR: READ | {"reports:create"},
    Role.AUDITOR: READ,
}


def allowed(role: str, permission: str) -> bool:
    try:
        return permission in ROLE_PERMISSIONS[Role(role)]
    except ValueError:  # a role this code does not know: nothing
        return False


class Authorize:
    """The one dependency that checks a route's permission against the caller's role."""

    def __init__(self, permission: str) -> None:
        if permission not in PERMISSIONS:
            raise ValueError(f"unknown permission {permission!r}")
        self.permission = permission

    def check(self, principal: Principal) -> Principal:
        """The caller if its role allows this permission, else 403: the only check there is."""
        if not allowed(principal.role, self.permission):
            raise ApiError(403, "forbidden", role=principal.role, permission=self.permission)
        return principal

    async def __call__(self, principal: Principal = Depends(current_principal)) -> Principal:
        # async: a table look-up, no need for a worker thread.
        return self.check(principal)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.permission!r})"


class AuthorizeThenConfirm(Authorize):
    """For a route whose work confirms the caller again in its own transaction (moves).

    The route answers 401/403 up front from the principal last seen with these
    credentials (no database round trip); the work must then call ``check`` on the
    principal that ``reemploi.api.auth.confirm`` reads in its transaction, so a token
    revoked or a user disabled a moment ago is still refused.
    """

    async def __call__(self, request: Request, state: ApiState = Depends(api_state)) -> Principal:  # type: ignore[override]
        principal = remembered(request, state)
        if principal is not None and allowed(principal.role, self.permission):
            return principal
        # Not seen lately, or refused on what was seen: read it now, off the event loop.
        return self.check(await run_in_threadpool(current_principal, request, state))
