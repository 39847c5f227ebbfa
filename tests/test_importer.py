"""The device importer takes field exports as they come, and loses nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from reemploi.inventory.models import Device
from reemploi.workflow.models import AuditEvent

pytestmark = pytest.mark.usefixtures("venues")

MESSY = (
    "Export inventaire JO 2024\r\n"
    "\r\n"
    "N° de série;Adresse MAC;Modèle;Lieu;Commentaire\r\n"
    'FOC2301A1BC;a0:b1:c2:d3:e4:f5;c9130axi-e;Arena Bercy;"ok; bon état"\r\n'
    "foc2301a1bd;A0-B1-C2-D3-E4-F6;C9120AXI;PAR-BERCY;\r\n"
    "\r\n"
    "unknown;;C9130AXI;PAR-BERCY;x\r\n"
    "1.23457E+11;;C9130AXI;PAR-BERCY;\r\n"
    "FOC2301A1BC;;C9130AXI;PAR-BERCY;copie\r\n"
    "FOC2301A1BE;01:00:5e:00:00:01;C9130AXI;PAR-BERCY;\r\n"
    "FOC2301A1BF;;XYZ;PAR-BERCY;\r\n"
    "FOC2301A1BG;;C9124AXE-E;Nowhere;\r\n"
    'FOC2301A1BH;a0b1.c2d3.e4f7;MR46;arena bercy;"sur\r\ndeux lignes"\r\n'
    "FOC2301A1BJ;A0B1C2D3E4F6;C9130AXI;PAR-BERCY;\r\n"
)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def import_json(cli, path: Path, *extra: str):  # type: ignore[no-untyped-def]
    r = cli("devices", "import", str(path), "--json", *extra)
    return r, (json.loads(r.stdout) if r.stdout.strip().startswith("{") else None)


def devices(session) -> dict[str, Device]:  # type: ignore[no-untyped-def]
    return {d.serial: d for d in session.scalars(select(Device))}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_messy_export_gets_exact_counts_and_rejects(cli, session, tmp_path, encoding):
    src = write(tmp_path / "export.csv", MESSY, encoding)
    r, res = import_json(cli, src)
    assert r.exit_code == 1, r.output
    assert res == {"rows": 10, "created": 3, "updated": 0, "unchanged": 0, "rejected": 7,
                   "rejects_file": str(tmp_path / "export.rejects.csv")}  # fmt: skip
    got = devices(session)
    assert set(got) == {"FOC2301A1BC", "FOC2301A1BD", "FOC2301A1BH"}
    assert got["FOC2301A1BD"].mac == "a0:b1:c2:d3:e4:f6"
    assert got["FOC2301A1BH"].mac == "a0:b1:c2:d3:e4:f7"
    assert got["FOC2301A1BC"].attributes == {"Commentaire": "ok; bon état"}
    assert got["FOC2301A1BH"].attributes == {"Commentaire": "sur\r\ndeux lignes"}
    assert {d.state for d in got.values()} == {"deployed"}
    with open(res["rejects_file"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["reject_line", "reject_reason", "N° de série", "Adresse MAC", "Modèle", "Lieu", "Commentaire"]
    by_line = {int(row[0]): row for row in rows[1:]}
    assert sorted(by_line) == [7, 8, 9, 10, 11, 12, 15]
    assert "placeholder" in by_line[7][1]
    assert "Excel" in by_line[8][1]
    assert "line 4" in by_line[9][1] and by_line[9][2:] == ["FOC2301A1BC", "", "C9130AXI", "PAR-BERCY", "copie"]
    assert "multicast" in by_line[10][1]
    assert "catalog" in by_line[11][1]
    assert "Nowhere" in by_line[12][1]
    assert "line 5" in by_line[15][1]  # the MAC of FOC2301A1BD, in another notation


def test_second_import_of_same_file_changes_nothing(cli, session, tmp_path):
    src = write(tmp_path / "export.csv", MESSY)
    import_json(cli, src)
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    r, res = import_json(cli, src)
    assert res["created"] == 0 and res["updated"] == 0 and res["unchanged"] == 3 and res["rejected"] == 7
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_fixed_rejects_reimport_cleanly(cli, session, tmp_path):
    src = write(tmp_path / "export.csv", MESSY)
    _, res = import_json(cli, src)
    rejects = Path(res["rejects_file"])
    fixes = {
        "unknown": "FOC2301A1CA", "1.23457E+11": "FOC2301A1CB", "FOC2301A1BE": "FOC2301A1BE",
        "FOC2301A1BF": "FOC2301A1BF", "FOC2301A1BG": "FOC2301A1BG", "FOC2301A1BJ": "FOC2301A1BJ",
    }  # fmt: skip
    with rejects.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    fixed = [rows[0]]
    for row in rows[1:]:
        if row[2] == "FOC2301A1BC":
            continue  # the copied row: the user deletes it
        row[2] = fixes[row[2]]
        if row[2] == "FOC2301A1BE":
            row[3] = "a0:b1:c2:d3:e4:99"
        if row[2] == "FOC2301A1BF":
            row[4] = "MR56"
        if row[2] == "FOC2301A1BG":
            row[5] = "WH-IDF"
        if row[2] == "FOC2301A1BJ":
            row[3] = ""
        fixed.append(row)
    with rejects.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(fixed)
    r, res2 = import_json(cli, rejects, "--rejects", str(tmp_path / "again.csv"))
    assert r.exit_code == 0, r.output
    assert res2 == {"rows": 6, "created": 6, "updated": 0, "unchanged": 0, "rejected": 0, "rejects_file": None}
    got = devices(session)
    assert len(got) == 9
    # The reject bookkeeping columns are not kept as attributes.
    assert all("reject_line" not in (d.attributes or {}) for d in got.values())


def test_changed_field_is_updated_with_old_and_new_in_audit(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,model,location,asset tag\nFOC2301A1BC,C9130AXI,PAR-BERCY,T-1\n")
    write(tmp_path / "b.csv", "serial,model,location,asset tag\nFOC2301A1BC,C9130AXI,PAR-BERCY,T-2\n")
    import_json(cli, tmp_path / "a.csv")
    r, res = import_json(cli, tmp_path / "b.csv")
    assert r.exit_code == 0 and res["updated"] == 1 and res["created"] == 0
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.subject == "FOC2301A1BC").order_by(AuditEvent.seq)
    ).all()
    assert [e.action for e in events] == ["create", "update"]
    assert json.loads(events[1].data) == {"asset_tag": ["T-1", "T-2"]}
    assert devices(session)["FOC2301A1BC"].asset_tag == "T-2"


def test_mac_of_another_device_in_database_is_rejected(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,mac,model,location\nFOC2301A1BC,a0:b1:c2:d3:e4:f5,C9130AXI,PAR-BERCY\n")
    write(tmp_path / "b.csv", "serial,mac,model,location\nFOC2301A1XX,A0B1C2D3E4F5,C9130AXI,PAR-BERCY\n")
    import_json(cli, tmp_path / "a.csv")
    r, res = import_json(cli, tmp_path / "b.csv")
    assert r.exit_code == 1 and res["rejected"] == 1
    assert "FOC2301A1BC" in (tmp_path / "b.rejects.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (None, "missing"),
        ("model,location\nC9130AXI,PAR-BERCY\n", "no serial column"),
        (b"\x81\x8d\x8f\x90\x9d serial\n", "undecodable"),
    ],
)
def test_unusable_input_exits_2_and_writes_nothing(cli, session, tmp_path, content, code):
    path = tmp_path / "in.csv"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    r = cli("devices", "import", str(path))
    assert r.exit_code == 2, (code, r.output)
    assert "Traceback" not in r.output
    assert session.scalar(select(func.count()).select_from(Device)) == 0
    assert not (tmp_path / "in.rejects.csv").exists()


def test_header_found_below_title_rows_but_not_after_ten(cli, tmp_path):
    body = "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\n"
    ok = write(tmp_path / "ok.csv", "Title\n" * 9 + body)
    late = write(tmp_path / "late.csv", "Title\n" * 10 + body)
    assert cli("devices", "import", str(ok)).exit_code == 0
    r = cli("devices", "import", str(late))
    assert r.exit_code == 2 and "serial" in r.output


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(cli, session, tmp_path, delimiter):
    rows = [["SN", "PID", "Site", "Note"], ["FOC2301A1BC", "C9130AXI-E", "PAR-BERCY", "a,b;c"]]
    path = tmp_path / "d.csv"
    with path.open("w", newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    r = cli("devices", "import", str(path))
    assert r.exit_code == 0, r.output
    assert devices(session)["FOC2301A1BC"].attributes == {"Note": "a,b;c"}


def test_map_names_a_header_explicitly(cli, session, tmp_path):
    write(tmp_path / "m.csv", "Serial,Product,Where\nFOC2301A1BC,C9130AXI,PAR-BERCY\n")
    r = cli("devices", "import", str(tmp_path / "m.csv"), "--map", "model=Product", "--map", "location=where")
    assert r.exit_code == 0, r.output
    assert devices(session)["FOC2301A1BC"].equipment_model.model == "C9130AXI"
    bad = cli("devices", "import", str(tmp_path / "m.csv"), "--map", "colour=Product")
    assert bad.exit_code == 2 and "colour" in bad.output
    missing = cli("devices", "import", str(tmp_path / "m.csv"), "--map", "model=Nope")
    assert missing.exit_code == 2 and "Nope" in missing.output


def test_xlsx_with_sheet_and_numeric_cells(cli, session, tmp_path):
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["nothing here"])
    ws = wb.create_sheet("Parc")
    ws.append(["Inventaire"])
    ws.append(["Numéro de série", "Modèle", "Emplacement", "Étage"])
    ws.append(["FOC2301A1BC", "C9130AXI", "Arena Bercy", 2])
    ws.append([123456789, "C9120AXI", "PAR-BERCY", 3])
    ws.append(["unknown", "C9120AXI", "PAR-BERCY", 3])
    path = tmp_path / "parc.xlsx"
    wb.save(path)
    r = cli("devices", "import", str(path), "--sheet", "Parc", "--json")
    assert r.exit_code == 1, r.output
    assert json.loads(r.stdout)["created"] == 2
    got = devices(session)
    assert got["FOC2301A1BC"].attributes == {"Étage": "2"}
    assert "123456789" in got
    rejects = (tmp_path / "parc.xlsx.rejects.csv").read_text(encoding="utf-8-sig")  # not parc.csv's
    assert rejects.splitlines()[1].startswith("5,")
    wrong = cli("devices", "import", str(path), "--sheet", "Nope")
    assert wrong.exit_code == 2 and "Parc" in wrong.output


def test_dry_run_writes_nothing_but_reports(cli, session, tmp_path):
    src = write(tmp_path / "export.csv", MESSY)
    events = session.scalar(select(func.count()).select_from(AuditEvent))  # the locations' own
    session.rollback()
    r, res = import_json(cli, src, "--dry-run")
    assert r.exit_code == 1 and res["created"] == 3 and res["dry_run"] is True
    assert session.scalar(select(func.count()).select_from(Device)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent)) == events


def test_state_column_accepts_early_states_only(cli, session, tmp_path):
    write(
        tmp_path / "s.csv",
        "serial,model,location,état\nFOC2301A1BC,C9130AXI,REFURB-IDF,reçu\nFOC2301A1BD,C9130AXI,PAR-BERCY,ready\n"
        "FOC2301A1BE,C9130AXI,PAR-BERCY,collected\nFOC2301A1BF,C9130AXI,PAR-BERCY,bogus\n",
    )
    r, res = import_json(cli, tmp_path / "s.csv")
    assert res["created"] == 2 and res["rejected"] == 2
    got = devices(session)
    assert got["FOC2301A1BC"].state == "received" and got["FOC2301A1BE"].state == "collected"
    text = (tmp_path / "s.rejects.csv").read_text(encoding="utf-8-sig")
    assert "state 'ready' cannot be imported (at most 'received')" in text and "bogus" in text


def test_state_change_on_reimport_goes_through_the_lifecycle(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\nFOC2301A1BD,C9130AXI,PAR-BERCY\n")
    write(tmp_path / "b.csv", "serial,model,location,state\nFOC2301A1BC,C9130AXI,PAR-BERCY,collected\n"
                              "FOC2301A1BD,C9130AXI,PAR-BERCY,received\n")  # fmt: skip
    import_json(cli, tmp_path / "a.csv")
    r, res = import_json(cli, tmp_path / "b.csv")
    assert res["updated"] == 1 and res["rejected"] == 1
    assert devices(session)["FOC2301A1BC"].state == "collected"
    assert "not allowed" in (tmp_path / "b.rejects.csv").read_text(encoding="utf-8-sig")


def test_default_location_for_rows_without_one(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,model\nFOC2301A1BC,C9130AXI\n")
    r = cli("devices", "import", str(tmp_path / "a.csv"))
    assert r.exit_code == 1
    r = cli("devices", "import", str(tmp_path / "a.csv"), "--location", "wh-idf", "--rejects", str(tmp_path / "r.csv"))
    assert r.exit_code == 0
    assert devices(session)["FOC2301A1BC"].location.code == "WH-IDF"


def test_export_neutralises_formulas(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,model,location,asset tag\nFOC2301A1BC,C9130AXI,PAR-BERCY,=HYPERLINK(1)\n")
    cli("devices", "import", str(tmp_path / "a.csv"))
    for name in ("out.csv", "out.xlsx"):
        r = cli("devices", "export", str(tmp_path / name))
        assert r.exit_code == 0, r.output
    text = (tmp_path / "out.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "out.xlsx").active
    assert ws.cell(row=2, column=9).value == "'=HYPERLINK(1)"
    assert cli("devices", "export", str(tmp_path / "out.txt")).exit_code == 2


def test_two_columns_that_could_be_one_field_are_read_by_their_data_or_not_guessed(cli, session, tmp_path):
    # "Site" empty and "Lieu" filled: the filled one is the location.
    src = write(tmp_path / "a.csv", "N° de série;Modèle;Site;Lieu\nFOC2301A1BC;C9130AXI;;PAR-BERCY\n")
    r, res = import_json(cli, src)
    assert r.exit_code == 0 and res["created"] == 1
    session.rollback()
    assert devices(session)["FOC2301A1BC"].location.code == "PAR-BERCY"
    # Both filled and different on a row: which is the location is the user's call.
    src = write(tmp_path / "b.csv", "serial,model,site,lieu\nFOC2301A1BD,C9130AXI,PAR-BERCY,PAR-BERCY\n"
                                    "FOC2301A1BE,C9130AXI,STD-SDF,PAR-BERCY\n")  # fmt: skip
    r = cli("devices", "import", str(src))
    assert r.exit_code == 2 and "several columns could be 'location': 'site', 'lieu'" in r.output
    assert "--map location=site" in r.output and "FOC2301A1BD" not in devices(session)
    r, res = import_json(cli, src, "--map", "location=lieu")
    assert r.exit_code == 0 and res["created"] == 2
    session.rollback()
    assert devices(session)["FOC2301A1BE"].location.code == "PAR-BERCY"
    assert devices(session)["FOC2301A1BE"].attributes == {"site": "STD-SDF"}  # the other column is kept


def test_an_export_with_an_attribute_named_like_a_field_reimports_unchanged(cli, tmp_path):
    # "Site" and "Lieu" could be the location, but a column named "location" is: the others stay attributes.
    src = write(tmp_path / "a.csv", "serial,model,location,Site,Lieu\nFOC2301A1BC,C9130AXI,PAR-BERCY,Hall 1,Bercy\n")
    r, res = import_json(cli, src)
    assert r.exit_code == 0 and res["created"] == 1
    assert cli("devices", "export", str(tmp_path / "out.csv")).exit_code == 0
    r, res = import_json(cli, tmp_path / "out.csv")
    assert r.exit_code == 0 and (res["unchanged"], res["updated"], res["created"]) == (1, 0, 0)
    shown = json.loads(cli("devices", "show", "FOC2301A1BC", "--json").stdout)
    assert shown["location"] == "PAR-BERCY" and shown["attributes"] == {"Site": "Hall 1", "Lieu": "Bercy"}


def test_a_mapped_serial_header_that_is_absent_is_named(cli, tmp_path):
    src = write(tmp_path / "a.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\n")
    r = cli("devices", "import", str(src), "--map", "serial=Numéro")
    assert r.exit_code == 2 and "no 'Numéro' column in the first 10 rows" in r.output


def test_serials_excel_rounded_are_rejected_from_csv_and_xlsx(cli, tmp_path):
    # Excel shows 123456789012 as 1.23457E+11; a file saved from that view, or a workbook that read it
    # back as a number, holds 123457000000. A 12-digit serial with its digits is a serial.
    write(tmp_path / "a.csv",
          "serial,model,location\n123457000000,C9130AXI,PAR-BERCY\n123456789012,C9130AXI,PAR-BERCY\n")  # fmt: skip
    wb = Workbook()
    wb.active.append(["serial", "model", "location"])
    wb.active.append([1.23457e11, "C9130AXI", "PAR-BERCY"])
    wb.active.append([123456789013, "C9130AXI", "PAR-BERCY"])
    wb.save(tmp_path / "b.xlsx")
    for name in ("a.csv", "b.xlsx"):
        r, res = import_json(cli, tmp_path / name)
        assert r.exit_code == 1 and (res["created"], res["rejected"]) == (1, 1), name
        rejects = Path(res["rejects_file"]).read_text(encoding="utf-8-sig")
        assert "mangled by Excel '123457000000'" in rejects, name


def test_export_never_overwrites_a_file_unless_told(cli, tmp_path):
    write(tmp_path / "a.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\n")
    cli("devices", "import", str(tmp_path / "a.csv"))
    field_export = (tmp_path / "a.csv").read_bytes()
    r = cli("devices", "export", str(tmp_path / "a.csv"))
    assert r.exit_code == 2 and "already exists" in r.output and "--replace" in r.output
    assert (tmp_path / "a.csv").read_bytes() == field_export
    assert cli("devices", "export", str(tmp_path / "a.csv"), "--replace").exit_code == 0
    assert (tmp_path / "a.csv").read_text(encoding="utf-8-sig").startswith("serial,")
    assert (tmp_path / "a.csv").read_bytes() != field_export
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_reimport_records_old_and_new_mac_model_and_location(cli, session, tmp_path):
    write(tmp_path / "a.csv", "serial,mac,model,location\nFOC2301A1BC,a0:b1:c2:d3:e4:f5,C9130AXI,PAR-BERCY\n")
    write(tmp_path / "b.csv", "serial,mac,model,location\nFOC2301A1BC,a0:b1:c2:d3:e4:f6,C9120AXI,STD-SDF\n")
    import_json(cli, tmp_path / "a.csv")
    r, res = import_json(cli, tmp_path / "b.csv")
    assert res["updated"] == 1
    last = session.scalars(
        select(AuditEvent).where(AuditEvent.subject == "FOC2301A1BC").order_by(AuditEvent.seq)
    ).all()[-1]
    assert json.loads(last.data) == {
        "mac": ["a0:b1:c2:d3:e4:f5", "a0:b1:c2:d3:e4:f6"],
        "model": ["C9130AXI", "C9120AXI"],
        "location": ["PAR-BERCY", "STD-SDF"],
    }
    assert last.location == "STD-SDF"  # where the device is after the change, as a move's event says


def test_new_device_imported_as_received_must_be_at_a_receiving_place(cli, session, tmp_path):
    write(tmp_path / "s.csv", "serial,model,location,state\nFOC2301A1BC,C9130AXI,PAR-BERCY,received\n"
                              "FOC2301A1BD,C9130AXI,WH-IDF,received\n")  # fmt: skip
    r, res = import_json(cli, tmp_path / "s.csv")
    assert r.exit_code == 1 and res["created"] == 1 and res["rejected"] == 1
    assert "refurb_centre" in (tmp_path / "s.rejects.csv").read_text(encoding="utf-8-sig")
    assert set(devices(session)) == {"FOC2301A1BD"}


def test_reimport_does_not_carry_a_device_past_collection_back_to_its_venue(cli, session, tmp_path):
    write(tmp_path / "field.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\n"
                                  "FOC2301A1BD,C9130AXI,PAR-BERCY\nFOC2301A1BE,C9130AXI,PAR-BERCY\n")  # fmt: skip
    import_json(cli, tmp_path / "field.csv")
    assert cli("move", "--to", "collected", "FOC2301A1BC", "FOC2301A1BD").exit_code == 0
    assert cli("move", "--to", "received", "--at", "REFURB-IDF", "FOC2301A1BC").exit_code == 0
    # The same field export again, with a venue correction for the device still deployed.
    write(tmp_path / "field2.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,PAR-BERCY\n"
                                   "FOC2301A1BD,C9130AXI,STD-SDF\nFOC2301A1BE,C9130AXI,STD-SDF\n")  # fmt: skip
    r, res = import_json(cli, tmp_path / "field2.csv")
    assert r.exit_code == 1 and (res["updated"], res["rejected"]) == (1, 2)
    by = devices(session)
    assert by["FOC2301A1BC"].location.code == "REFURB-IDF" and by["FOC2301A1BC"].state == "received"
    assert by["FOC2301A1BD"].location.code == "PAR-BERCY" and by["FOC2301A1BE"].location.code == "STD-SDF"
    rows = list(csv.DictReader((tmp_path / "field2.rejects.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [r["serial"] for r in rows] == ["FOC2301A1BC", "FOC2301A1BD"]
    assert "FOC2301A1BC is 'received' at REFURB-IDF: an import does not move it back to PAR-BERCY" in (
        rows[0]["reject_reason"]
    )
    # An unchanged location is not a move: the original export re-imports quietly for the rows that kept it.
    write(tmp_path / "same.csv", "serial,model,location\nFOC2301A1BC,C9130AXI,REFURB-IDF\n")
    assert import_json(cli, tmp_path / "same.csv")[1]["unchanged"] == 1
