"""Session login and logout for the browser; user and token administration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from reemploi.accounts.models import Role
from reemploi.api.auth import Principal, close_session, new_csrf, open_session, password_login
from reemploi.api.authz import ROLE_PERMISSIONS, Authorize
from reemploi.api.deps import ApiState, api_state

router = APIRouter(tags=["accounts"])

UserName = Annotated[str, Path(min_length=1, max_length=120)]


class LoginIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    password: Annotated[str, Field(min_length=1, max_length=1000)]


def _me(who: Principal, csrf: str | None) -> dict[str, Any]:
    return {
        "name": who.name, "role": who.role, "via": who.via, "csrf_token": csrf,
        "permissions": sorted(ROLE_PERMISSIONS[Role(who.role)]),
    }  # fmt: skip


@router.post(
    "/session",
    summary="Log in with name and password: sets the session and CSRF cookies (429 after repeated failures)",
)
def login(body: LoginIn, request: Request, api: ApiState = Depends(api_state)) -> JSONResponse:
    uid, name, role = password_login(api, request, body.name, body.password)  # 429 after repeated failures
    csrf = new_csrf()
    resp = JSONResponse(_me(Principal(name, role, "session"), csrf))
    open_session(api, resp, uid, csrf)
    return resp


@router.get("/session", summary="Who is calling, with role, permissions and (for a session) the CSRF token")
def whoami(who: Principal = Depends(Authorize("session:read"))) -> dict[str, Any]:
    return _me(who, who.csrf)


@router.delete("/session", summary="Log out (clears the cookies)")
def logout(_: Principal = Depends(Authorize("session:read"))) -> JSONResponse:
    resp = JSONResponse({"logged_out": True})
    close_session(resp)
    return resp


class UserIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=120)]
    role: Role
    password: Annotated[str, Field(max_length=1000)] | None = Field(
        None, description="At least 10 characters; none for an account used only with tokens."
    )


@router.get("/users", summary="Users and their roles")
def list_users(_: Principal = Depends(Authorize("users:manage")), api: ApiState = Depends(api_state)) -> dict[str, Any]:
    from reemploi.accounts.service import list_users as users

    with api.read() as s:
        return {"items": users(s)}


@router.post("/users", status_code=201, summary="Create a user")
def create_user(
    body: UserIn, _: Principal = Depends(Authorize("users:manage")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.accounts.service import create_user as create
    from reemploi.accounts.service import user_dict

    with api.write() as s:
        return user_dict(create(s, body.name, body.role, body.password))


@router.post("/users/{name}/disable", summary="Disable a user and revoke their tokens")
def disable_user(
    name: UserName, _: Principal = Depends(Authorize("users:manage")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.accounts.service import disable_user as disable
    from reemploi.accounts.service import user_dict

    with api.write() as s:
        user, revoked = disable(s, name)
        return user_dict(user) | {"tokens_revoked": revoked}


@router.post("/users/{name}/tokens", status_code=201, summary="Issue an API token for a user (shown once)")
def create_token(
    name: UserName, _: Principal = Depends(Authorize("users:manage")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.accounts.service import create_token as issue

    with api.write() as s:
        t = issue(s, name)
    return {"token": t.token, "id": t.id, "prefix": t.prefix, "user": t.user}


@router.get("/tokens", summary="API tokens (never their secret)")
def list_tokens(
    _: Principal = Depends(Authorize("users:manage")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.accounts.service import list_tokens as tokens

    with api.read() as s:
        return {"items": tokens(s)}


@router.post("/tokens/{token}/revoke", summary="Revoke an API token by id or prefix")
def revoke_token(
    token: Annotated[str, Path(min_length=1, max_length=200)],
    _: Principal = Depends(Authorize("users:manage")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.accounts.service import revoke_token as revoke
    from reemploi.accounts.service import token_dict

    with api.write() as s:
        return token_dict(revoke(s, token))
