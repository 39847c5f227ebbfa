"""Commands for user accounts, API tokens and the HTTP server."""

from __future__ import annotations

from typing import Annotated

import typer

from reemploi.cli.common import (
    EXIT_INPUT,
    DbOpt,
    JsonOpt,
    LangOpt,
    Table,
    ctx,
    engine_for,
    fail,
    out,
    print_json,
    print_table,
    translated,
    unit_of_work,
)

users_app = typer.Typer(help="User accounts and their roles (admin, planner, technician, csr, auditor).",
                        no_args_is_help=True)  # fmt: skip
tokens_app = typer.Typer(help="API tokens for scripts and scanners (hashed at rest, shown once).",
                         no_args_is_help=True)  # fmt: skip


@users_app.command("create")
def users_create(
    name: Annotated[str, typer.Argument(metavar="NAME", help="User name (letters, digits, . _ - @).")],
    role: Annotated[str, typer.Option("--role", metavar="ROLE", help="admin, planner, technician, csr or auditor.")],
    password: Annotated[
        str | None,
        typer.Option("--password", metavar="P", help="Password (default: asked twice, hidden).", show_default=False),
    ] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Create a user with a role and a password (at least 10 characters, not trivial)."""
    from reemploi.accounts.service import check_password, create_user, parse_role, user_dict

    c = ctx(db, lang, json)
    with translated(c):
        r = parse_role(role)
        if password is None:
            password = typer.prompt(c.t("password_prompt"), hide_input=True, default="", show_default=False)
            check_password(name, password)
            again = typer.prompt(c.t("password_prompt_again"), hide_input=True, default="", show_default=False)
            if again != password:
                fail(c, "password_mismatch", EXIT_INPUT)
    with unit_of_work(c) as session:
        user = create_user(session, name, r, password)
        d = user_dict(user)
    if json:
        print_json(d)
    else:
        out.print(c.t("user_created", user=d["name"], role=d["role"]))


@users_app.command("list")
def users_list(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """List users with their role and whether they are disabled."""
    from reemploi.accounts.service import list_users

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_users(session)
    if json:
        print_json(rows)
        return
    if not rows:
        out.print(c.t("no_users"))
        return
    table = Table(*c.h("name", "role", "disabled", "created"))
    for r in rows:
        table.add_row(r["name"], r["role"], "x" if r["disabled"] else "", r["created_at"][:19])
    print_table(c, table)


@users_app.command("disable")
def users_disable(
    name: Annotated[str, typer.Argument(metavar="NAME", help="User name.")],
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Disable a user (kept for the audit log) and revoke their tokens."""
    from reemploi.accounts.service import disable_user

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        user, revoked = disable_user(session, name)
        uname = user.name
    if json:
        print_json({"name": uname, "disabled": True, "tokens_revoked": revoked})
    else:
        out.print(c.t("user_disabled_done", user=uname, tokens=revoked))


@tokens_app.command("create")
def tokens_create(
    user: Annotated[str, typer.Argument(metavar="USER", help="The user the token acts as.")],
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Create an API token for USER and print it once (send it as 'Authorization: Bearer TOKEN')."""
    from reemploi.accounts.service import create_token

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        issued = create_token(session, user)
    if json:
        print_json({"token": issued.token, "id": issued.id, "prefix": issued.prefix, "user": issued.user})
    else:
        out.print(c.t("token_created", user=issued.user))
        out.print(issued.token)


@tokens_app.command("revoke")
def tokens_revoke(
    token: Annotated[str, typer.Argument(metavar="PREFIX_OR_ID", help="The token's id, prefix or whole value.")],
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Revoke an API token (it stops working at once)."""
    from reemploi.accounts.service import revoke_token, token_dict

    c = ctx(db, lang, json)
    with unit_of_work(c) as session:
        d = token_dict(revoke_token(session, token))
    if json:
        print_json(d)
    else:
        out.print(c.t("token_revoked", token=d["prefix"], user=d["user"]))


@tokens_app.command("list")
def tokens_list(
    user: Annotated[str | None, typer.Option("--user", metavar="USER", help="Only this user's tokens.")] = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """List API tokens (prefix, user, created, last used, revoked); never the secret."""
    from reemploi.accounts.service import list_tokens

    c = ctx(db, lang, json)
    with unit_of_work(c, write=False) as session:
        rows = list_tokens(session, user)
    if json:
        print_json(rows)
        return
    if not rows:
        out.print(c.t("no_tokens"))
        return
    table = Table(*c.h("id", "prefix", "user", "created", "last used", "revoked"))
    for r in rows:
        table.add_row(
            str(r["id"]), r["prefix"], r["user"], r["created_at"][:19], (r["last_used"] or "")[:19],
            (r["revoked_at"] or "")[:19],
        )  # fmt: skip
    print_table(c, table)


def serve(
    host: Annotated[str, typer.Option("--host", metavar="HOST", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=1, max=65535, help="Port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", metavar="N", min=1, help="Server processes (PostgreSQL: more than one).")
    ] = 1,
    db: DbOpt = None,
    lang: LangOpt = None,
) -> None:
    """Serve the web UI (http://HOST:PORT/) and the HTTP API (/api/v1, OpenAPI at /api/v1/openapi.json).

    Log in with an account made by `reemploi users create NAME --role ROLE`; scripts and
    scanners use a token from `reemploi tokens create NAME`.
    """
    import os
    import secrets

    import uvicorn

    c = ctx(db, lang)
    engine_for(c).dispose()  # refuse a database that is missing or not at the code's schema
    os.environ["REEMPLOI_DATABASE_URL"] = c.url
    # Every worker must sign sessions with the same key; without one set, sessions last as long as the server.
    os.environ.setdefault("REEMPLOI_SECRET_KEY", secrets.token_urlsafe(32))
    out.print(c.t("serve_start", host=host, port=port, url=c.url))
    with translated(c):
        uvicorn.run(
            "reemploi.api.app:app_from_env", factory=True, host=host, port=port, workers=workers,
            log_level="warning", access_log=False,
        )  # fmt: skip
