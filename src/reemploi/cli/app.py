"""The ``reemploi`` command: set-up, database, and the sub-command groups."""

from __future__ import annotations

import typer

from reemploi import __version__
from reemploi.cli import accounts, common, design, impact, inventory, planning, refurb, scan, stats, workflow
from reemploi.cli.common import (
    EXIT_OK,
    DbOpt,
    JsonOpt,
    LangOpt,
    ctx,
    engine_for,
    out,
    print_json,
    translated,
)
from reemploi.cli.localize import LocalizedGroup
from reemploi.db import migrate, transaction

app = typer.Typer(
    name="reemploi",
    help="Second life for network and IT equipment: inventory, chain of custody, refurbishment, "
    "allocation and impact.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    cls=LocalizedGroup,
)
db_app = typer.Typer(help="Database schema: upgrade and current revision.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(inventory.catalog_app, name="catalog")
app.add_typer(inventory.locations_app, name="locations")
app.add_typer(inventory.devices_app, name="devices")
app.add_typer(workflow.lots_app, name="lots")
app.add_typer(workflow.audit_app, name="audit")
app.add_typer(workflow.scans_app, name="scans")
app.add_typer(refurb.refurb_app, name="refurb")
app.add_typer(refurb.settings_app, name="settings")
app.add_typer(refurb.labels_app, name="labels")
app.add_typer(planning.sites_app, name="sites")
app.add_typer(planning.zones_app, name="zones")
app.add_typer(planning.needs_app, name="needs")
app.add_typer(design.floors_app, name="floors")
app.add_typer(design.aps_app, name="aps")
app.add_typer(design.survey_app, name="survey")
app.add_typer(design.design_app, name="design")
app.add_typer(planning.plan_app, name="plan")
app.add_typer(planning.ship_app, name="ship")
app.add_typer(planning.install_app, name="install")
app.command("asbuilt")(planning.asbuilt)
app.add_typer(stats.stats_app, name="stats")
app.add_typer(impact.factors_app, name="factors")
app.command("impact")(impact.impact)
app.command("report")(impact.report)
app.command("move")(workflow.move)
app.command("scan")(scan.scan)
app.add_typer(accounts.users_app, name="users")
app.add_typer(accounts.tokens_app, name="tokens")
app.command("serve")(accounts.serve)


def _version(value: bool) -> None:
    if value:
        out.print(f"reemploi {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main_callback(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    lang: LangOpt = None,
) -> None:
    """Second life for network equipment."""
    # `reemploi --lang fr COMMAND` as well as `reemploi COMMAND --lang fr` (the command's own wins).
    common.ROOT_LANG = lang


@app.command()
def init(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Create or upgrade the database and load the default catalog (idempotent)."""
    from reemploi.catalog.service import load_default

    c = ctx(db, lang, json)
    engine = engine_for(c, check_schema=False)
    with translated(c):
        migrate.upgrade(engine)
        with transaction(engine) as session:
            result = load_default(session)
    engine.dispose()
    if json:
        print_json({"database": c.url, "revision": migrate.head(), "catalog": result.as_dict()})
        return
    out.print(
        c.t(
            "init_done",
            url=c.url,
            rev=migrate.head(),
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )


@db_app.command("upgrade")
def db_upgrade(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Apply pending schema migrations."""
    c = ctx(db, lang, json)
    engine = engine_for(c, check_schema=False)
    with translated(c):
        before = migrate.current(engine)
        migrate.upgrade(engine)
        rev = migrate.current(engine)
    engine.dispose()
    if json:
        print_json({"previous": before, "current": rev, "head": migrate.head(), "upgraded": before != rev})
        return
    out.print(c.t("schema_upgraded", rev=rev))


@db_app.command("current")
def db_current(db: DbOpt = None, lang: LangOpt = None, json: JsonOpt = False) -> None:
    """Show the database's schema revision and the code's."""
    c = ctx(db, lang, json)
    engine = engine_for(c, check_schema=False)
    with translated(c):
        rev = migrate.current(engine)
    engine.dispose()
    head = migrate.head()
    if json:
        print_json({"current": rev, "head": head, "up_to_date": rev == head})
        return
    out.print(c.t("schema_current" if rev == head else "schema_behind", rev=rev or "-", head=head))


@app.command()
def demo(
    out_dir: str = typer.Option("demo-out", "--out", metavar="DIR", help="Folder for the demo database and files."),
    seed: int = typer.Option(2024, "--seed", metavar="N", help="Random seed: same seed, same demo."),
    aps: int = typer.Option(3000, "--aps", min=1, metavar="N", help="Access points deployed at the venues."),
    switches: int = typer.Option(1000, "--switches", min=0, metavar="N", help="Switches deployed at the venues."),
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Run the Paris 2024 -> La Poste scenario on a fresh SQLite database in --out."""
    from reemploi.cli.demo import run_demo

    run_demo(out_dir, seed, aps, switches, lang, json)


def main() -> None:
    """Entry point: a bug gets a short message and a saved traceback, not a wall of text."""
    import os
    import sys
    import tempfile
    import traceback

    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception:
        if os.environ.get("REEMPLOI_DEBUG"):
            raise
        fd, path = tempfile.mkstemp(prefix="reemploi-crash-", suffix=".txt")
        with os.fdopen(fd, "w") as fh:
            traceback.print_exc(file=fh)
        from reemploi.i18n import current_lang, t

        sys.stderr.write(t("internal_error", current_lang(), path=path) + "\n")
        sys.exit(70)
