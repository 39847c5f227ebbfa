"""From a design position to an as-built record: positions in the plan, labels and packing by floor,
the installer's scan at the right (or wrong) place, acceptance by position, as-built exports."""

from __future__ import annotations

import csv
import json

import pytest

from reemploi.demo.building import Block, office_floor, to_geojson
from reemploi.planning.positions import Position, fits, place, split_needs
from reemploi.planning.stock import Need

SITE = "code,name,kind,city,lat,lon,controller_vendor\nLP-POS,Site posé,office,Nantes,47.2,-1.55,Cisco\n"


def _ready(cli, tmp_path, serials, model):  # type: ignore[no-untyped-def]
    (tmp_path / f"{model}.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},{model},REFURB-IDF,received\n" for s in serials))  # fmt: skip
    assert cli("devices", "import", str(tmp_path / f"{model}.csv")).exit_code == 0
    cli("refurb", "test", *serials, "--firmware", "17.9.4")
    cli("refurb", "sanitize", *serials, "--method", "reimage", "--verifier", "v")
    assert cli("move", "--to", "ready", *serials).exit_code == 0


@pytest.fixture
def shipped(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    """A designed two-floor site, its APs and switches planned to positions, shipped."""
    (tmp_path / "sites.csv").write_text(SITE)
    assert cli("sites", "import", str(tmp_path / "sites.csv")).exit_code == 0
    floors = [office_floor("R", 0.0, 4.0, Block(40, 24, 10, 6, 2, 4), occupants=60),
              office_floor("R+1", 4.0, 3.6, Block(40, 24, 10, 6, 2, 4), occupants=60)]  # fmt: skip
    (tmp_path / "plan.geojson").write_text(json.dumps(to_geojson(floors)))
    _ready(cli, tmp_path, [f"FCW0000A{i:03d}" for i in range(30)], "C9130AXI")
    _ready(cli, tmp_path, [f"FOC0000S{i:03d}" for i in range(6)], "C9300-48P")
    assert cli("floors", "import", "LP-POS", str(tmp_path / "plan.geojson")).exit_code == 0
    design = json.loads(cli("design", "run", "LP-POS", "--json", "--time-limit", "20").stdout)
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    assert cli("plan", "approve", str(plan)).exit_code == 0
    shown = json.loads(cli("plan", "show", str(plan), "--devices", "--json").stdout)
    cli("settings", "set", "box_capacity", "50")
    ship = json.loads(cli("ship", "create", str(plan), "--json").stdout)[0]["shipment"]
    return {"design": design, "plan": plan, "assignment": shown["assignment"], "shipment": ship,
            "dir": tmp_path}  # fmt: skip


def test_every_device_of_a_designed_site_is_planned_to_a_position(shipped) -> None:  # type: ignore[no-untyped-def]
    names = {a["name"] for f in shipped["design"]["floors"] for a in f["aps"]}
    floor_of = {a["name"]: f["floor"] for f in shipped["design"]["floors"] for a in f["aps"]}
    aps = [r for r in shipped["assignment"] if r["class"] == "indoor"]
    assert len(aps) == len(names) and {r["position"] for r in aps} == names  # one device a position, all filled
    assert all(r["floor"] == floor_of[r["position"]] and r["closet"] for r in aps)
    sw = [r for r in shipped["assignment"] if r["class"] == "switch"]
    assert sw and all("/SW" in r["position"] and r["position"].startswith(r["closet"] + "/") for r in sw)
    assert len({r["position"] for r in shipped["assignment"]}) == len(shipped["assignment"])


def test_packing_list_and_labels_carry_floor_closet_and_position_boxes_by_floor(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    out = shipped["dir"] / "p.csv"
    assert cli("ship", "packing-list", shipped["shipment"], "--out", str(out)).exit_code == 0
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))[1:]
    head, body = rows[0], rows[1:]
    assert head[-3:] == ["floor", "closet", "position"]
    floors_of_box: dict[str, set[str]] = {}
    for r in body:
        floors_of_box.setdefault(r[0], set()).add(r[6])
    assert all(len(f) == 1 for f in floors_of_box.values())  # a box goes to one floor
    assert {f for fs in floors_of_box.values() for f in fs} == {"R", "R+1"}
    lab = shipped["dir"] / "l.pdf"
    r = cli("labels", "shipment", shipped["shipment"], "--out", str(lab), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["labels"] == len(body)
    zpl = shipped["dir"] / "l.zpl"
    assert cli("labels", "shipment", shipped["shipment"], "--out", str(zpl)).exit_code == 0
    ap = next(a for a in shipped["assignment"] if a["class"] == "indoor")
    assert ap["position"] in zpl.read_text() and f"REEMPLOI:D:{ap['serial']}" in zpl.read_text()


def test_install_scan_refuses_the_wrong_site_or_position_naming_the_right_one(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    a, b = [r for r in shipped["assignment"] if r["class"] == "indoor"][:2]
    r = cli("install", "scan", a["serial"], "--position", a["position"], lang="fr")
    assert r.exit_code == 4 and "expédition" in r.output  # not sent yet
    assert cli("ship", "send", shipped["shipment"]).exit_code == 0
    r = cli("install", "scan", a["serial"], "--position", a["position"], "--site", "LP-AILLEURS")
    assert r.exit_code == 4 and "LP-POS" in r.output and a["position"] in r.output
    r = cli("install", "scan", a["serial"], "--position", b["position"])
    assert r.exit_code == 4 and a["position"] in r.output and "--swap" in r.output
    r = cli("install", "scan", a["serial"], "--position", "NOWHERE-9")
    assert r.exit_code == 2 and "NOWHERE-9" in r.output and a["position"] in r.output
    r = cli("install", "scan", a["serial"])
    assert r.exit_code == 2 and a["position"] in r.output
    assert cli("install", "scan", "NOPE-404", "--position", "x").exit_code == 3
    states = {d["serial"]: d["state"] for d in json.loads(cli("devices", "list", "--json").stdout)}
    assert states[a["serial"]] == "shipped"  # nothing refused left a trace
    r = cli("install", "scan", f"REEMPLOI:D:{a['serial']}", "--position", a["position"].lower(), "--site", "lp-pos",
            "--json")  # fmt: skip
    out = json.loads(r.stdout)
    assert r.exit_code == 0 and (out["position"], out["swapped"], out["state"]) == (a["position"], False, "installed")
    again = json.loads(cli("install", "scan", a["serial"], "--position", a["position"], "--json").stdout)
    assert again["already"] is True


def test_a_swap_is_recorded_and_acceptance_lists_positions(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    cli("ship", "send", shipped["shipment"])
    aps = [r for r in shipped["assignment"] if r["class"] == "indoor"]
    a, b = aps[0], aps[1]
    r = cli("install", "scan", a["serial"], "--position", b["position"], "--swap", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["swapped"] is True
    r = cli("install", "scan", aps[2]["serial"], "--position", b["position"], "--swap")
    assert r.exit_code == 4 and a["serial"] in r.output  # the position holds a device already
    sw = next(r for r in shipped["assignment"] if r["class"] == "switch")
    r = cli("install", "scan", b["serial"], "--position", sw["position"], "--swap")
    assert r.exit_code == 4  # an AP in a switch slot
    assert cli("install", "scan", b["serial"], "--position", a["position"], "--swap").exit_code == 0
    r = cli("sites", "acceptance", "LP-POS", "--json")
    acc = json.loads(r.stdout)
    assert r.exit_code == 1  # the others are not installed yet
    pos = acc["positions"]
    assert {s["serial"] for s in pos["swapped"]} == {a["serial"], b["serial"]}
    assert len(pos["missing"]) == len(shipped["assignment"]) - 2
    for d in shipped["assignment"]:
        if d["serial"] not in (a["serial"], b["serial"]):
            assert cli("install", "scan", d["serial"], "--position", d["position"]).exit_code == 0
    r = cli("sites", "acceptance", "LP-POS", lang="fr")
    assert r.exit_code == 0 and "échangées" in r.output
    acc = json.loads(cli("sites", "acceptance", "LP-POS", "--json").stdout)["positions"]
    assert acc["missing"] == [] and len(acc["installed"]) == len(shipped["assignment"]) - 2


def test_asbuilt_exports_every_installed_device_where_it_is(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    d = shipped["dir"]
    r = cli("asbuilt", "LP-POS", "--out", str(d / "empty.csv"), lang="fr")
    assert r.exit_code == 2 and "aucun équipement" in r.output and not (d / "empty.csv").exists()
    cli("ship", "send", shipped["shipment"])
    aps = [r for r in shipped["assignment"] if r["class"] == "indoor"]
    a, b = aps[0], aps[1]
    cli("install", "scan", a["serial"], "--position", b["position"], "--swap")
    cli("install", "scan", b["serial"], "--position", a["position"], "--swap")
    for r in shipped["assignment"][2:]:
        cli("install", "scan", r["serial"], "--position", r["position"])
    cli("ship", "in-service", shipped["shipment"])
    r = cli("asbuilt", "LP-POS", "--format", "json", "--out", str(d / "ab.json"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["devices"] == len(shipped["assignment"])
    rows = {x["serial"]: x for x in json.loads((d / "ab.json").read_text())["devices"]}
    design_xy = {x["name"]: (x["x_m"], x["y_m"]) for f in shipped["design"]["floors"] for x in f["aps"]}
    assert (rows[a["serial"]]["position"], rows[a["serial"]]["planned_position"]) == (b["position"], a["position"])
    assert (rows[a["serial"]]["x_m"], rows[a["serial"]]["y_m"]) == design_xy[b["position"]]  # where it is
    fed = [x for x in rows.values() if x["class"] == "indoor"]
    assert all(x["switch"] and x["switch_port"] >= 1 for x in fed)
    ports = [(x["switch"], x["switch_port"]) for x in fed]
    assert len(ports) == len(set(ports))  # one AP a port
    r = cli("asbuilt", "LP-POS", "--format", "netbox", "--out", str(d / "nb.csv"))
    assert r.exit_code == 0
    nb = list(csv.DictReader((d / "nb.csv").open(encoding="utf-8")))
    assert {x["status"] for x in nb} == {"active"} and {x["location"] for x in nb} == {"R", "R+1"}
    # NetBox 4.6's DeviceImportForm: these headers only, lower-case choices, names unique per site
    # ignoring case and at most 64 characters (checked on NetBox's own import: docs/planning.md).
    accepted = {"name", "role", "tenant", "manufacturer", "device_type", "platform", "serial", "asset_tag", "status",
                "site", "location", "rack", "position", "face", "description", "comments", "tags"}  # fmt: skip
    assert set(nb[0]) <= accepted and {"role", "manufacturer", "device_type", "status", "site"} <= set(nb[0])
    assert len({x["name"].casefold() for x in nb}) == len(nb) and all(len(x["name"]) <= 64 for x in nb)
    roles = list(csv.DictReader((d / "nb.3-device-roles.csv").open(encoding="utf-8")))
    assert {x["name"] for x in nb} and {x["role"] for x in nb} <= {r["name"] for r in roles}
    assert all(len(r["color"]) == 6 and r["color"] == r["color"].lower() for r in roles)
    types = list(csv.DictReader((d / "nb.2-device-types.csv").open(encoding="utf-8")))
    assert {(x["manufacturer"], x["device_type"]) for x in nb} <= {(t["manufacturer"], t["model"]) for t in types}
    locs = list(csv.DictReader((d / "nb.5-locations.csv").open(encoding="utf-8")))
    assert {x["slug"] for x in locs} == {"r", "r-plus-1"}
    assert cli("asbuilt", "LP-POS", "--format", "controller", "--out", str(d / "c.csv")).exit_code == 0
    ctl = list(csv.DictReader((d / "c.csv").open(encoding="utf-8")))
    assert len(ctl) == len(aps) and all(x["mac"] == "" or ":" in x["mac"] for x in ctl)
    assert cli("asbuilt", "LP-POS", "--format", "xlsx", "--out", str(d / "ab.xlsx")).exit_code == 0
    r = cli("asbuilt", "LP-POS", "--format", "xlsx", "--out", str(d / "ab.xlsx"), lang="fr")
    assert r.exit_code == 2 and "--replace" in r.output  # never overwritten silently
    r = cli("asbuilt", "LP-POS", "--format", "visio", "--out", str(d / "x.vsd"))
    assert r.exit_code == 2 and "netbox" in r.output
    assert cli("asbuilt", "LP-NOPE", "--out", str(d / "n.csv")).exit_code == 3


def _p(name: str, cls: str = "indoor", model: str | None = "C9130AXI", **eirp: float) -> Position:
    return Position(name, cls, "R", 0.0, 0.0, 3.0, model, tuple((b.replace("_", "."), v) for b, v in eirp.items()))


def test_a_position_takes_only_models_that_radiate_its_bands_at_its_power() -> None:
    six = _p("A", model="CW9166I", **{"5": 18.0, "6": 20.0})
    assert fits(six, "CW9166I") and not fits(six, "C9130AXI")  # no 6 GHz radio
    assert fits(_p("B", **{"5": 18.0, "2_4": 14.0}), "C9120AXI")
    assert not fits(_p("C", **{"5": 40.0}), "C9130AXI")  # above any radio and the regulation


def test_needs_split_by_profile_positions_held_skipped_and_override_above_design() -> None:
    need = Need(1, "S", "S", "indoor", 4, None, None, 3, None, None, None)
    ps = [_p("A", **{"5": 18.0}), _p("B", **{"5": 18.0}), _p("C", model="CW9166I", **{"6": 20.0})]
    models = {"indoor": ["C9130AXI", "CW9166I"]}
    out = split_needs([need], {1: ps}, {1: {"B"}}, models)
    by = {n.positions: n for n in out}
    assert by[("A",)].models == frozenset({"C9130AXI", "CW9166I"}) and by[("C",)].models == frozenset({"CW9166I"})
    assert by[()].count == 2 and by[()].models is None  # 4 needed, 2 positions free: 2 go to the site
    fewer = split_needs([Need(1, "S", "S", "indoor", 1, None, None, 3, None, None, None)], {1: ps}, {}, models)
    assert [n.positions for n in fewer] == [("C",)]  # one device already there stands for a lenient position


def test_place_puts_the_designed_model_first() -> None:
    ps = [_p("A", model="CW9166I"), _p("B")]
    got = place(ps, [(1, "C9130AXI"), (2, "CW9166I")])
    assert (got[1].name, got[2].name) == ("B", "A")


def test_as_built_ports_respect_multigigabit_and_poe_per_port() -> None:
    from reemploi.planning.asbuilt import _switch_ports, controller_names

    def row(name: str, cls: str, **kw):  # type: ignore[no-untyped-def]
        base = {"name": name, "class": cls, "serial": name, "position": name, "closet": "T1", "switch": None,
                "switch_serial": None, "switch_port": None, "port_note": None, "_ports": 48, "_mgig": 0,
                "_port_max": 30.0, "_six": False, "_draw": 30.0}  # fmt: skip
        return base | kw

    rows = [row("SW1", "switch"), row("AP-6E", "indoor", _six=True, _draw=60.0), row("AP-BT", "indoor", _draw=60.0),
            row("AP-1", "indoor"), row("AP-2", "indoor")]  # fmt: skip
    _switch_ports(rows)
    by = {r["name"]: r for r in rows}
    assert (by["AP-6E"]["switch"], by["AP-6E"]["port_note"]) == ("SW1", "needs_mgig needs_poe")  # both, said
    assert (by["AP-BT"]["switch"], by["AP-BT"]["port_note"]) == ("SW1", "needs_poe")  # on a 30 W port, said so
    assert by["AP-1"]["port_note"] is None and by["AP-2"]["port_note"] is None
    ports = [by[n]["switch_port"] for n in ("AP-1", "AP-2", "AP-6E", "AP-BT")]
    assert sorted(ports) == [1, 2, 3, 4]  # one port each
    rows = [row("SW1", "switch", _mgig=12, _port_max=60.0), row("AP-6E", "indoor", _six=True, _draw=60.0)]
    _switch_ports(rows)
    assert (rows[1]["switch"], rows[1]["switch_port"], rows[1]["port_note"]) == ("SW1", 1, None)
    names = controller_names(["LP-REN-PIC-1er étage-AP01", "LP-NTE-MDI-telecom-0/SW1", "X" * 40, "X" * 41])
    assert names["LP-REN-PIC-1er étage-AP01"] == "LP-REN-PIC-1er-etage-AP01"
    assert all(len(n) <= 32 and " " not in n and "/" not in n for n in names.values())
    assert len(set(names.values())) == 4  # two long names cut alike stay apart


@pytest.mark.usefixtures("venues")
def test_at_a_site_without_design_a_position_of_another_device_needs_swap_and_the_same_class(cli, tmp_path) -> None:
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon\nLP-NOD,Sans plan,office,Rennes,48.11,-1.68\n")
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-NOD,z,open_office,900,20\n")
    assert cli("sites", "import", str(tmp_path / "s.csv")).exit_code == 0
    assert cli("zones", "import", str(tmp_path / "z.csv")).exit_code == 0
    _ready(cli, tmp_path, [f"FCW0000N{i:03d}" for i in range(3)], "C9130AXI")
    _ready(cli, tmp_path, ["FOC0000NSW1"], "C9300-48P")
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    assert cli("plan", "approve", str(plan)).exit_code == 0
    rows = json.loads(cli("plan", "show", str(plan), "--devices", "--json").stdout)["assignment"]
    sw = next(r for r in rows if r["class"] == "switch")
    ap = next(r for r in rows if r["class"] == "indoor")
    assert ap["position"] is None and sw["position"] == "F0-1/SW1"
    for s in json.loads(cli("ship", "create", str(plan), "--json").stdout):
        cli("ship", "send", s["shipment"])
    r = cli("install", "scan", ap["serial"], "--position", "f0-1/sw1")
    assert r.exit_code == 4 and "F0-1/SW1" in r.output  # the switch's slot: not for an AP
    r = cli("install", "scan", ap["serial"], "--position", "F0-1/SW1", "--swap", lang="fr")
    assert r.exit_code == 4 and "AP intérieur" in r.output  # the class in words, not a code
    assert cli("install", "scan", sw["serial"], "--position", "F0-1/SW1").exit_code == 0
    assert cli("install", "scan", ap["serial"], "--position", "Bureau 12").exit_code == 0
    again = json.loads(cli("install", "scan", ap["serial"], "--json").stdout)
    assert again["position"] == "Bureau 12"  # scanned again without a position: where it is stays recorded
    r = cli("install", "scan", "FCW0000N999", "--position", "x", lang="fr")
    assert r.exit_code == 3


def test_a_shipment_whose_devices_are_all_refused_has_not_left(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    r = cli("ship", "send", shipped["shipment"], "--date", "2024-01-02")  # before the devices' own history
    assert r.exit_code == 1
    status = {s["shipment"]: s["status"] for s in json.loads(cli("ship", "list", "--json").stdout)}
    assert status[shipped["shipment"]] == "prepared"  # still here, and it can be sent now
    assert cli("ship", "send", shipped["shipment"]).exit_code == 0


def test_a_device_moved_to_another_position_keeps_the_audit_chain_intact(cli, shipped) -> None:  # type: ignore[no-untyped-def]
    cli("ship", "send", shipped["shipment"])
    a, b = [r for r in shipped["assignment"] if r["class"] == "indoor"][:2]
    assert cli("install", "scan", a["serial"], "--position", a["position"]).exit_code == 0
    r = cli("install", "scan", a["serial"], "--position", b["position"])
    assert r.exit_code == 4 and a["position"] in r.output  # installed already: a move needs --swap
    assert cli("install", "scan", a["serial"], "--position", b["position"], "--swap").exit_code == 0
    assert cli("audit", "verify").exit_code == 0  # the position change is data, not a state
    again = json.loads(cli("install", "scan", a["serial"], "--json").stdout)
    assert again["position"] == b["position"] and again["already"] is True
    r = cli("install", "scan", b["serial"], "--position", f"REEMPLOI:D:{a['serial']}")
    assert r.exit_code == 2  # a label scanned into the position field


def test_aps_shared_over_rooms_stay_whole_and_add_up() -> None:
    from reemploi.planning.wired import apportion

    assert apportion(7, [1, 1, 1]) == [3, 2, 2] and sum(apportion(189, [0.3, 0.3, 0.2, 0.2])) == 189
    assert apportion(5, [0, 0]) == [3, 2] and apportion(0, [1.0]) == [0]
