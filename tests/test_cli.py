"""The command line as a user meets it: help, languages, errors without tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from reemploi.cli.docgen import command_paths


@pytest.mark.parametrize("path", [" ".join(p) for p in command_paths()])
def test_every_command_has_help(cli, path):
    r = cli(*path.split(), "--help", db=False)
    assert r.exit_code == 0
    assert "Usage:" in r.output
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) >= 3  # usage, a description, options


def test_every_leaf_command_takes_db_and_lang(cli):
    for path in command_paths():
        r = cli(*path, "--help", db=False)
        if "Commands:" in r.output or not path:
            continue
        if path[0] == "factors":  # factor sets are files, not database content
            assert "--lang" in r.output and "--db" not in r.output, path
            continue
        if path in (["demo"], ["refurb", "rules"]):
            continue  # the demo makes its own database in --out; the rules are a file
        assert "--db" in r.output and "--lang" in r.output, path


def test_uninitialised_database_says_run_init(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    r = cli("devices", "list", "--db", url, db=False)
    assert r.exit_code == 5 and "reemploi init" in r.output


def test_unreachable_database_is_a_clear_error(cli):
    r = cli("devices", "list", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none", db=False)
    assert r.exit_code == 5 and "unreachable" in r.output.lower()


def test_init_then_db_current(cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert cli("init", "--db", url, db=False).exit_code == 0
    assert cli("init", "--db", url, db=False).exit_code == 0
    res = json.loads(cli("db", "current", "--db", url, "--json", db=False).stdout)
    assert res["up_to_date"] is True and res["current"] == res["head"]
    assert cli("db", "upgrade", "--db", url, db=False).exit_code == 0


def test_database_url_from_environment(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from reemploi.cli.app import app

    url = f"sqlite:///{tmp_path / 'env.db'}"
    env = {"REEMPLOI_DATABASE_URL": url, "REEMPLOI_LANG": "en"}
    r = CliRunner().invoke(app, ["init"], env=env)
    assert r.exit_code == 0 and "env.db" in r.output
    assert (tmp_path / "env.db").exists()


def test_messages_follow_the_language(cli):
    from typer.testing import CliRunner

    from reemploi.cli.app import app

    fr = cli("devices", "show", "NOPE-0001", lang="fr")
    en = cli("devices", "show", "NOPE-0001", lang="en")
    assert fr.exit_code == en.exit_code == 3
    assert "Équipement inconnu" in fr.output and "Unknown device" in en.output
    forced = cli("devices", "show", "NOPE-0001", "--lang", "en", lang="fr")
    assert "Unknown device" in forced.output
    # Before the command too; the command's own --lang wins.
    before = CliRunner().invoke(app, ["--lang", "fr", "devices", "show", "NOPE-0001", "--db", cli.url],
                                env={"REEMPLOI_LANG": "en"})  # fmt: skip
    assert before.exit_code == 3 and "Équipement inconnu" in before.output
    both = CliRunner().invoke(app, ["--lang", "fr", "devices", "show", "NOPE-0001", "--db", cli.url, "--lang", "en"])
    assert "Unknown device" in both.output
    after = CliRunner().invoke(app, ["devices", "show", "NOPE-0001", "--db", cli.url], env={"REEMPLOI_LANG": "en"})
    assert "Unknown device" in after.output  # the root's language is not kept from one run to the next


@pytest.mark.usefixtures("venues")
def test_devices_list_filters_and_show_history(cli, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("serial,model,location\nFOC0000C001,C9130AXI,PAR-BERCY\nFOC0000C002,C9124AXE,STD-SDF\n")
    cli("devices", "import", str(src))
    rows = json.loads(cli("devices", "list", "--location", "std-sdf", "--json").stdout)
    assert [r["serial"] for r in rows] == ["FOC0000C002"]
    rows = json.loads(cli("devices", "list", "--model", "C9130AXI-E", "--json").stdout)
    assert [r["serial"] for r in rows] == ["FOC0000C001"]
    assert json.loads(cli("devices", "list", "--state", "lost", "--json").stdout) == []
    assert cli("devices", "list", "--model", "nope").exit_code == 3
    shown = json.loads(cli("devices", "show", "foc0000c001", "--json").stdout)
    assert shown["state"] == "deployed" and shown["history"][0]["action"] == "create"
    assert shown["history"][0]["data"]["source"] == "a.csv:2"


def test_console_script_runs_outside_pytest(db_url):
    r = subprocess.run(
        [sys.executable, "-m", "reemploi.cli", "audit", "verify", "--db", db_url, "--lang", "en"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "intact" in r.stdout


@pytest.mark.usefixtures("venues")
def test_narrow_terminals_leave_columns_out_and_never_cut_serials(cli, db_url, tmp_path):
    from typer.testing import CliRunner

    from reemploi.cli.app import app

    (tmp_path / "d.csv").write_text("serial,model,location,state\nFOC2301A1BCDEFGH,C9130AXI,REFURB-IDF,received\n")
    assert cli("devices", "import", str(tmp_path / "d.csv")).exit_code == 0

    def listing(columns: int, terminal: bool = True) -> list[str]:
        env = {"COLUMNS": str(columns), "REEMPLOI_LANG": "en", "TTY_COMPATIBLE": "1" if terminal else "0",
               "NO_COLOR": "1"}  # fmt: skip
        r = CliRunner().invoke(app, ["devices", "list", "--db", db_url], env=env)
        assert r.exit_code == 0 and "…" not in r.output
        return re.sub(r"\x1b\[[0-9;]*m", "", r.output).splitlines()  # no styles: plain text to compare

    wide = listing(200)
    assert "mac" in wide[1] and "left out" not in " ".join(wide)
    # To a file or a pipe, whatever COLUMNS says: every column at its natural width.
    piped = listing(50, terminal=False)
    assert "mac" in piped[1] and "left out" not in " ".join(piped)
    assert any("FOC2301A1BCDEFGH" in line for line in piped)
    # 60 columns: the MAC and kind go (and the user is told), the serial stays whole on its line.
    lines = listing(60)
    assert all(len(line) <= 60 for line in lines[:-2])
    assert any(line.startswith("FOC2301A1BCDEFGH ") for line in lines)
    assert "mac" not in lines[0] and "left out for lack of width: mac, kind" in " ".join(lines)
    # 50 columns cannot hold the serial whole beside the rest: folded over lines, never cut.
    lines = listing(50)
    width = lines[0].index("model")
    rows = lines[2 : next(i for i, line in enumerate(lines) if line.startswith("Columns left out"))]
    assert "".join(line[:width].strip() for line in rows) == "FOC2301A1BCDEFGH"


@pytest.mark.usefixtures("venues")
def test_a_device_history_reads_one_event_a_line_in_80_columns(cli, db_url, tmp_path):
    from typer.testing import CliRunner

    from reemploi.cli.app import app

    (tmp_path / "d.csv").write_text("serial,model,location,asset tag\nFOC2301A1BCD,C9130AXI,PAR-BERCY,JOP-1\n")
    assert cli("devices", "import", str(tmp_path / "d.csv")).exit_code == 0
    assert cli("move", "--to", "collected", "--reason", "take-down", "FOC2301A1BCD").exit_code == 0
    r = CliRunner().invoke(app, ["devices", "show", "FOC2301A1BCD", "--db", db_url], env={"COLUMNS": "80",
                                                                                          "REEMPLOI_LANG": "fr"})
    lines = r.output.splitlines()
    head = lines.index("n° · date (UTC) · acteur · action · de → vers · lieu")
    created, data, moved = lines[head + 1 : head + 4]
    # In French, actions and states read as words (the codes are in --json).
    assert re.match(r"#\d+ · \d{4}-\d\d-\d\d \d\d:\d\d:\d\d · tester · création · - → en place · PAR-BERCY$", created)
    assert data.startswith("    ") and "asset_tag=JOP-1" in data and "source=d.csv:2" in data
    assert re.match(r"#\d+ · .* · changement d'état · en place → collecté", moved)
    assert int(moved[1:].split(" ")[0]) > int(created[1:].split(" ")[0])
