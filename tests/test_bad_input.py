"""Bad input never gets a traceback and never loses data (found by a new-user trial)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from reemploi.inventory.models import Device, UnmatchedScan

pytestmark = pytest.mark.usefixtures("venues")

GOOD_AND_BAD = (
    "Serial,MAC,Model,Location\nFDO6666A001,ZZ:00:00:00:00:01,C9300-48P,PAR-BERCY\nFDO6666A002,,C9300-48P,PAR-BERCY\n"
)


def count(session, model=Device) -> int:  # type: ignore[no-untyped-def]
    session.rollback()
    return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("dry", [True, False])
def test_rejects_file_may_not_overwrite_the_input(cli, session, tmp_path, dry):
    src = tmp_path / "dry.csv"
    src.write_text(GOOD_AND_BAD)
    args = ["devices", "import", str(src), "--rejects", str(src)] + (["--dry-run"] if dry else [])
    r = cli(*args)
    assert r.exit_code == 2 and "overwritten" in r.output
    assert src.read_text() == GOOD_AND_BAD
    assert count(session) == 0


def test_rejects_path_may_not_be_a_folder(cli, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(GOOD_AND_BAD)
    (tmp_path / "adir").mkdir()
    r = cli("devices", "import", str(src), "--rejects", str(tmp_path / "adir"))
    assert r.exit_code == 2 and "folder" in r.output


def test_folder_empty_and_binary_inputs_say_why(cli, tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "bin.csv").write_bytes(bytes(range(256)) * 40)
    assert "folder" in cli("devices", "import", str(tmp_path)).output
    assert "empty" in cli("devices", "import", str(tmp_path / "empty.csv")).output
    r = cli("devices", "import", str(tmp_path / "bin.csv"))
    assert r.exit_code == 2 and "neither" in r.output


def test_pipe_delimited_files_import(cli, session, tmp_path):
    (tmp_path / "p.csv").write_text("serial|model|location\nFOC0000D001|C9130AXI|PAR-BERCY\n")
    assert cli("devices", "import", str(tmp_path / "p.csv")).exit_code == 0
    assert count(session) == 1


def test_empty_scan_list_cannot_lose_a_lot(cli, session, tmp_path):
    (tmp_path / "a.csv").write_text("serial,model,location\nFOC0000D001,C9130AXI,PAR-BERCY\n")
    cli("devices", "import", str(tmp_path / "a.csv"))
    cli("lots", "create", "PAL-9")
    cli("lots", "add", "PAL-9", "FOC0000D001")
    r = cli("lots", "reconcile", "PAL-9", "--scanned", "-", "--mark-missing-lost", input="")
    assert r.exit_code == 2 and "empty" in r.output
    session.rollback()
    assert session.scalar(select(Device.state)) == "deployed"


def test_binary_scan_file_stores_no_garbage(cli, session, tmp_path):
    cli("lots", "create", "PAL-1")
    (tmp_path / "scan.bin").write_bytes(bytes(range(256)) * 8)
    r = cli("lots", "reconcile", "PAL-1", "--scanned", str(tmp_path / "scan.bin"))
    assert r.exit_code == 2
    assert count(session, UnmatchedScan) == 0


def test_move_with_nothing_on_stdin_is_an_error(cli):
    r = cli("move", "--to", "collected", "-", input="")
    assert r.exit_code == 2 and "No serial" in r.output


def test_export_then_import_changes_nothing(cli, session, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(
        "serial,mac,model,location,asset tag,Comment\n"
        "FOC0000D001,a0:b1:c2:d3:e4:f5,C9130AXI,PAR-BERCY,=1+1,first\n"
        "FOC0000D002,,C9124AXE,STD-SDF,-7,\n"
    )
    assert cli("devices", "import", str(src)).exit_code == 0
    cli("move", "--to", "lost", "--reason", "test", "FOC0000D002")
    for name in ("out.csv", "out.xlsx"):
        assert cli("devices", "export", str(tmp_path / name)).exit_code == 0
        r = cli("devices", "import", str(tmp_path / name), "--json")
        res = json.loads(r.stdout)
        assert r.exit_code == 0, r.output
        assert (res["unchanged"], res["updated"], res["created"]) == (2, 0, 0), name
    session.rollback()
    d1 = session.scalar(select(Device).where(Device.serial == "FOC0000D001"))
    assert d1.asset_tag == "=1+1" and d1.attributes == {"Comment": "first"}
    with (tmp_path / "out.csv").open(encoding="utf-8-sig") as fh:
        header = next(csv.reader(fh))
    assert header[-1] == "Comment"


def test_identifiers_with_excel_marks_and_full_width_letters(cli, session, tmp_path):
    (tmp_path / "a.csv").write_text(
        "serial,mac,model,location\n'FDO5555A001,,C9130AXI,PAR-BERCY\nＦＤＯ5555A002,,C9130AXI,PAR-BERCY\n"
        "FDO5555A003,1.12233E+11,C9130AXI,PAR-BERCY\n",
        encoding="utf-8",
    )
    r = cli("devices", "import", str(tmp_path / "a.csv"), "--json")
    assert json.loads(r.stdout)["created"] == 2
    session.rollback()
    assert set(session.scalars(select(Device.serial))) == {"FDO5555A001", "FDO5555A002"}
    assert "Excel" in (tmp_path / "a.rejects.csv").read_text(encoding="utf-8-sig")


def test_xlsx_formula_without_value_is_rejected_naming_the_column(cli, session, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["serial", "model", "location", "asset tag"])
    ws.append(["FOC0000D001", "C9130AXI", "PAR-BERCY", "=1+1"])
    ws.append(["FOC0000D002", "C9130AXI", "PAR-BERCY", "T-2"])
    path = tmp_path / "renamed.csv"  # an XLSX whatever its name says
    wb.save(path)
    r = cli("devices", "import", str(path), "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["created"] == 1
    rejects = (tmp_path / "renamed.rejects.csv").read_text(encoding="utf-8-sig")
    assert "column D" in rejects and "'=1+1" in rejects


def test_devices_import_from_standard_input(cli, session, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = cli("devices", "import", "-", "--json", input=GOOD_AND_BAD)
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and res["created"] == 1 and res["rejects_file"] == "stdin.rejects.csv"
    assert Path(tmp_path / "stdin.rejects.csv").exists()
    shown = json.loads(cli("devices", "show", "FDO6666A002", "--json").stdout)
    assert shown["history"][0]["data"]["source"] == "stdin:3"


@pytest.mark.parametrize(
    ("url", "code", "words"),
    [
        ("foo://bar", 2, "Invalid database URL"),
        ("sqlite:///{tmp}/notadb.db", 5, "not a readable"),
        ("sqlite:///{tmp}/nothere/x.db", 5, "reemploi init"),
    ],
)
def test_bad_database_urls_are_clear(cli, tmp_path, url, code, words):
    (tmp_path / "notadb.db").write_text("hello, I am not a database" * 100)
    r = cli("devices", "list", "--db", url.format(tmp=tmp_path), db=False)
    assert r.exit_code == code, r.output
    assert words in r.output


def test_plain_path_means_sqlite_file(cli, tmp_path):
    path = tmp_path / "plain.db"
    assert cli("init", "--db", str(path), db=False).exit_code == 0
    assert cli("devices", "list", "--db", str(path), db=False).exit_code == 0


def test_read_only_command_creates_no_database_file(cli, tmp_path):
    r = cli("devices", "list", "--db", f"sqlite:///{tmp_path / 'fresh.db'}", db=False)
    assert r.exit_code == 5 and not (tmp_path / "fresh.db").exists()


def test_unknown_language_is_refused(cli):
    r = cli("devices", "list", "--lang", "de")
    assert r.exit_code == 2 and "fr or en" in r.output


def test_json_mode_errors_are_json(cli):
    r = cli("devices", "show", "NOPE-0001", "--json")
    assert r.exit_code == 3
    err = json.loads(r.stderr.strip().splitlines()[-1])
    assert err["error"] == "unknown_device" and err["exit_code"] == 3


def test_french_table_headers(cli, tmp_path):
    (tmp_path / "a.csv").write_text("serial,model,location\nFOC0000D001,C9130AXI,PAR-BERCY\n")
    cli("devices", "import", str(tmp_path / "a.csv"))
    r = cli("devices", "list", lang="fr")
    assert "n° de série" in r.output and "état" in r.output


def test_unwritable_outputs_are_clear(cli, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(GOOD_AND_BAD)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = cli("devices", "import", str(src), "--rejects", str(blocker / "r.csv"))
    assert r.exit_code == 2 and "Traceback" not in r.output
    r = cli("devices", "export", str(blocker / "out.csv"))
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_overlong_values_are_clear(cli):
    r = cli("lots", "create", "P9", "--seal", "S" * 61)
    assert r.exit_code == 2 and "60" in r.output
    assert cli("move", "--to", "collected", "X" * 300).exit_code == 1  # kept as an unmatched scan, cut


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_rejects_of_inputs_with_the_same_stem_do_not_collide(cli, tmp_path):
    (tmp_path / "rig.csv").write_text(GOOD_AND_BAD)
    (tmp_path / "rig.json").write_text(json.dumps([{"serial": "GHOST-0001", "power_on": "pass"}]))
    assert cli("devices", "import", str(tmp_path / "rig.csv")).exit_code == 1
    r = cli("refurb", "import", str(tmp_path / "rig.json"), "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["rejects_file"] == str(tmp_path / "rig.json.rejects.csv")
    assert "FDO6666A001" in (tmp_path / "rig.rejects.csv").read_text(encoding="utf-8-sig")  # still the CSV's
    assert "GHOST-0001" in (tmp_path / "rig.json.rejects.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize("explicit", [False, True])
def test_an_existing_rejects_file_is_never_overwritten(cli, tmp_path, explicit):
    (tmp_path / "rig.csv").write_text(GOOD_AND_BAD)
    kept = tmp_path / "rig.rejects.csv"
    kept.write_text("my fixes in progress\n")
    extra = ["--rejects", str(kept)] if explicit else []
    r = cli("devices", "import", str(tmp_path / "rig.csv"), *extra, "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and kept.read_text() == "my fixes in progress\n"
    assert res["rejects_file"] == str(tmp_path / "rig.rejects-2.csv") and res["rejects_kept"] == str(kept)
    assert "FDO6666A001" in (tmp_path / "rig.rejects-2.csv").read_text(encoding="utf-8-sig")
    r = cli("devices", "import", str(tmp_path / "rig.csv"), *extra)
    assert f"Rejects: {tmp_path / 'rig.rejects-3.csv'}" in r.output
    assert f"({kept} already existed: left as it was, the rejects went to a new file)" in r.output


def test_other_importers_keep_existing_rejects_files_too(cli, tmp_path):
    (tmp_path / "l.csv").write_text("code,name,kind\nWH-X,Warehouse X,warehouse\nBAD-1,,warehouse\n")
    (tmp_path / "l.rejects.csv").write_text("keep me\n")
    r = cli("locations", "import", str(tmp_path / "l.csv"), "--json")
    assert json.loads(r.stdout)["rejects_file"] == str(tmp_path / "l.rejects-2.csv")
    assert (tmp_path / "l.rejects.csv").read_text() == "keep me\n"
    (tmp_path / "rig.csv").write_text("serial,power_on\nGHOST-0001,pass\n")
    (tmp_path / "rig.rejects.csv").write_text("keep me\n")
    r = cli("refurb", "import", str(tmp_path / "rig.csv"), "--json")
    assert json.loads(r.stdout)["rejects_file"] == str(tmp_path / "rig.rejects-2.csv")


def test_reimporting_a_rejects_file_replaces_its_reject_columns(cli, tmp_path):
    (tmp_path / "rig.csv").write_text(GOOD_AND_BAD)
    cli("devices", "import", str(tmp_path / "rig.csv"))
    first = read_rows(tmp_path / "rig.rejects.csv")
    assert first[0] == ["reject_line", "reject_reason", "Serial", "MAC", "Model", "Location"]
    cli("devices", "import", str(tmp_path / "rig.rejects.csv"))  # as is, not fixed: rejected again
    again = read_rows(tmp_path / "rig.rejects.rejects.csv")
    assert again[0] == first[0]  # one pair of reject columns, not two
    assert [row[2:] for row in again[1:]] == [row[2:] for row in first[1:]]
    assert again[1][0] == "2"  # the line in the file that was read
    (tmp_path / "t.json").write_text(json.dumps([{"serial": "GHOST-0001", "power_on": "pass"}]))
    cli("refurb", "import", str(tmp_path / "t.json"))
    cli("refurb", "import", str(tmp_path / "t.json.rejects.csv"))
    header = read_rows(tmp_path / "t.json.rejects.rejects.csv")[0]
    assert header == ["reject_line", "reject_reason", "serial", "power_on"]
