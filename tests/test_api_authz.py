"""The authorisation matrix, exhaustively: every route of the app for every role.

The expected answer of each cell comes from ``reemploi.api.authz`` (the one table), and a
few key cells are also written out by hand, so a wrong table cannot pass unnoticed.
Requests are harmless: paths name things that do not exist and write bodies are
invalid, so an allowed call answers 404/409/422, a forbidden one 403, and nothing changes.
"""

from __future__ import annotations

import re

import pytest

from reemploi.accounts.models import Role
from reemploi.api.app import PUBLIC, api_routes
from reemploi.api.authz import PERMISSIONS, READ, ROLE_PERMISSIONS, allowed

ROUTES = api_routes()
ROLES = [r.value for r in Role]

# Values for path parameters: none of them exists.
PATH_VALUES = {"serial": "NOSUCH-1", "code": "NOLOT", "plan_id": "999999", "job_id": "nojob", "name": "nobody",
               "token": "999999"}  # fmt: skip
# Bodies that fail validation, so an allowed write changes nothing.
INVALID_BODY = {"time_limit": -1, "to": "nowhere", "role": "boss", "scanned": "x", "serials": []}


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)


def test_every_route_is_public_or_declares_a_known_permission(api_app):
    listed = {(m, p) for m, p, _ in ROUTES}
    in_openapi = {(m.upper(), p) for p, ops in api_app.openapi()["paths"].items() for m in ops}
    assert listed == in_openapi  # the walk below covers every operation the app serves
    for method, path, perm in ROUTES:
        if (method, path) in PUBLIC:
            assert perm is None
        else:
            assert perm in PERMISSIONS, (method, path)


def test_the_matrix_by_hand():
    assert not allowed("auditor", "devices:move")
    assert not allowed("technician", "plans:approve")
    assert not allowed("planner", "users:manage")
    assert allowed("technician", "devices:move") and allowed("planner", "plans:approve")
    assert allowed("auditor", "audit:read") and allowed("csr", "devices:read")
    assert ROLE_PERMISSIONS[Role.AUDITOR] == READ  # read-only: every permission it has is a read
    assert all(p.endswith(":read") for p in READ)
    assert ROLE_PERMISSIONS[Role.ADMIN] == frozenset(PERMISSIONS)
    assert not allowed("no-such-role", "devices:read")


def _call(client, method: str, path: str, token: str):
    return client.request(
        method, concrete(path), headers={"Authorization": f"Bearer {token}"},
        json=INVALID_BODY if method in ("POST", "PUT", "PATCH") else None,
    )  # fmt: skip


def test_every_route_for_every_role_follows_the_matrix(api_client, role_tokens):
    cells = []
    for method, path, perm in ROUTES:
        if perm is None:
            continue
        for role in ROLES:
            r = _call(api_client, method, path, role_tokens[role])
            expected_ok = allowed(role, perm)
            cells.append((method, path, role, r.status_code))
            if expected_ok:
                assert r.status_code not in (401, 403), (method, path, role, r.status_code, r.text)
                assert r.status_code < 500, (method, path, role, r.text)
            else:
                assert r.status_code == 403, (method, path, role, r.status_code, r.text)
                assert r.json()["error"] == {
                    "code": "forbidden", "message": f"Role '{role}' does not allow '{perm}'.",
                }  # fmt: skip
    assert len(cells) == len([r for r in ROUTES if r[2]]) * len(ROLES)


@pytest.mark.parametrize(
    ("role", "method", "path", "denied"),
    [
        ("auditor", "POST", "/api/v1/devices/{serial}/move", True),
        ("auditor", "POST", "/api/v1/devices/move", True),
        ("auditor", "GET", "/api/v1/audit/verify", False),
        ("technician", "POST", "/api/v1/plans/{plan_id}/approve", True),
        ("technician", "POST", "/api/v1/devices/{serial}/move", False),
        ("planner", "GET", "/api/v1/users", True),
        ("planner", "POST", "/api/v1/users", True),
        ("planner", "POST", "/api/v1/plans/{plan_id}/approve", False),
        ("csr", "POST", "/api/v1/lots/{code}/reconcile", True),
        ("admin", "POST", "/api/v1/users/{name}/disable", False),
    ],
)
def test_key_cells_answer_as_written(api_client, role_tokens, role, method, path, denied):
    r = _call(api_client, method, path, role_tokens[role])
    assert (r.status_code == 403) is denied, r.text


def test_without_credentials_every_protected_route_is_401(api_client):
    for method, path, perm in ROUTES:
        if perm is None:
            continue
        r = api_client.request(method, concrete(path), json=INVALID_BODY if method == "POST" else None)
        assert r.status_code == 401, (method, path, r.status_code)
        assert r.headers["www-authenticate"] == "Bearer"


def test_a_session_follows_the_same_matrix(api_client, role_tokens):
    r = api_client.post("/api/v1/session", json={"name": "auditor", "password": "Horse-Battery-Staple-2026"})
    csrf = r.json()["csrf_token"]
    assert set(r.json()["permissions"]) == READ
    r = api_client.post("/api/v1/devices/X/move", json={"to": "collected"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    assert api_client.get("/api/v1/audit/verify").status_code == 200
