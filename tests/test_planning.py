"""Sites, zones and needs: imports with rejects, needs worked out by hand, overrides."""

from __future__ import annotations

import csv
import json

import pytest

from reemploi.planning.models import Environment
from reemploi.planning.rules import zone_need

SITES = (
    "code,name,kind,city,lat,lon,priority,deadline,controller_vendor,poe_budget_w\n"
    "LP-NTE-MDI2,Maison de l'Innovation,innovation_centre,Nantes,47.2184,-1.5536,1,2025-06-30,Cisco,\n"
    "LP-PAR-PO1,Bureau de poste Paris 1,post_office,Paris,48.86,2.34,3,,,370\n"
    "LP-BAD,Bad,castle,Paris,48.86,2.34,3,,,\n"
    "LP-BAD2,Bad prio,office,Paris,48.86,2.34,0,,,\n"
    "REFURB-IDF,Not a site,office,Paris,48.86,2.34,3,,,\n"
)
ZONES = (
    "site,zone,environment,area_m2,occupants,devices_per_user,mbps_per_device,floors,min_wifi_generation\n"
    "LP-NTE-MDI2,bureaux,open_office,15375,1000,,,7,6\n"
    "LP-NTE-MDI2,parvis,outdoor,3000,50,,,1,\n"
    "LP-PAR-PO1,guichets,open_office,250,10,,,1,\n"
    "LP-NOPE,x,open_office,100,1,,,1,\n"
    "LP-PAR-PO1,vide,open_office,0,1,,,1,\n"
    "LP-PAR-PO1,salle,ballroom,100,1,,,1,\n"
)


@pytest.fixture
def planned(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "sites.csv").write_text(SITES)
    (tmp_path / "zones.csv").write_text(ZONES)
    r1 = cli("sites", "import", str(tmp_path / "sites.csv"), "--json")
    r2 = cli("zones", "import", str(tmp_path / "zones.csv"), "--json")
    return json.loads(r1.stdout), json.loads(r2.stdout), tmp_path


def test_sites_and_zones_import_with_clear_rejects(planned):
    sites, zones, tmp = planned
    assert (sites["created"], sites["rejected"]) == (2, 3)
    text = (tmp / "sites.rejects.csv").read_text(encoding="utf-8-sig")
    assert "castle" in text and "priority" in text and "refurb_centre" in text
    assert (zones["created"], zones["rejected"]) == (3, 3)
    text = (tmp / "zones.rejects.csv").read_text(encoding="utf-8-sig")
    assert "LP-NOPE" in text and "> 0" in text and "ballroom" in text


def test_zone_need_worked_by_hand():
    """Maison de l'Innovation, offices: 15,375 m² on 7 floors, 1,000 staff.

    coverage = 7 × ceil(15,375 / 7 / 190) = 7 × ceil(11.56) = 84
    capacity = ceil(1,000 × 3 × 1.5 / 200) = ceil(22.5) = 23
    clients  = ceil(1,000 / 25 people per AP) = 40  -> N = 84, driven by coverage.
    (Before the recalibration, clients counted 3 devices a person at 30 per AP: 100, one AP
    per 10 people where practice is 20-25.)
    """
    n = zone_need(Environment.OPEN_OFFICE, 15_375, 1_000, floors=7)
    assert (n.coverage, n.capacity, n.clients, n.count, n.driver) == (84, 23, 40, 84, "coverage")
    # A 400-seat auditorium of 400 m²: 400 / 35 seats per AP = 12 APs (practice: 8-14).
    a = zone_need(Environment.AUDITORIUM, 400, 400)
    assert (a.clients, a.count, a.driver) == (12, 12, "clients")
    # A warehouse of 5,000 m² with 20 people: coverage ceil(5,000 / 325) = 16 drives.
    w = zone_need(Environment.WAREHOUSE, 5_000, 20)
    assert (w.count, w.driver) == (16, "coverage")
    # Video-heavy meeting room: capacity ceil(40 × 3 × 6 / 200) = 4 over coverage 1 and clients ceil(40 / 25) = 2.
    m = zone_need(Environment.MEETING, 80, 40, mbps_per_device=6)
    assert (m.capacity, m.clients, m.count, m.driver) == (4, 2, 4, "capacity")


def test_needs_list_per_site_and_class_with_driver(cli, planned):
    rows = json.loads(cli("needs", "list", "--json").stdout)
    by = {(r["site"], r["class"]): r for r in rows}
    mdi = by[("LP-NTE-MDI2", "indoor")]
    assert mdi["count"] == 84 and mdi["driver"] == "estimate (rule of thumb): coverage: 15,375 m² at 190 m² per AP"
    assert mdi["basis"] == "estimate" and mdi["design_version"] is None
    assert mdi["min_wifi_generation"] == 6 and mdi["site_name"] == "Maison de l'Innovation"
    out = by[("LP-NTE-MDI2", "outdoor")]
    # coverage 1, capacity 1, people ceil(50 / 50) = 1: a tie goes to coverage
    assert out["count"] == 1 and out["driver"] == "estimate (rule of thumb): coverage: 3,000 m² at 11,300 m² per AP"
    po = by[("LP-PAR-PO1", "indoor")]
    assert po["count"] == 2 and po["driver"] == "estimate (rule of thumb): coverage: 250 m² at 190 m² per AP"


def test_planner_override_is_kept_beside_the_computed_value(cli, planned):
    assert cli("needs", "set", "lp-par-po1", "indoor", "5").exit_code == 0
    rows = {(r["site"], r["class"]): r for r in json.loads(cli("needs", "list", "--json").stdout)}
    po = rows[("LP-PAR-PO1", "indoor")]
    assert (po["count"], po["computed"], po["override"]) == (5, 2, 5)
    assert "computed 2" in po["driver"]
    assert cli("needs", "set", "LP-NOPE", "indoor", "5").exit_code == 3
    assert cli("needs", "set", "LP-PAR-PO1", "attic", "5").exit_code == 2
    tmp = planned[2]
    (tmp / "ov.csv").write_text("site,class,count\nLP-NTE-MDI2,outdoor,3\nLP-NOPE,indoor,1\nLP-PAR-PO1,indoor,x\n")
    r = cli("needs", "import", str(tmp / "ov.csv"), "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["rejected"] == 2
    rows = {(r["site"], r["class"]): r for r in json.loads(cli("needs", "list", "--json").stdout)}
    assert rows[("LP-NTE-MDI2", "outdoor")]["count"] == 3


def test_site_without_zones_is_listed_with_zero(cli, venues, tmp_path):
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon\nLP-EMPTY,Empty,office,Lyon,45.7,4.8\n")
    cli("sites", "import", str(tmp_path / "s.csv"))
    rows = json.loads(cli("needs", "list", "--json").stdout)
    assert rows == [
        {"site": "LP-EMPTY", "site_name": "Empty", "class": "indoor", "count": 0, "computed": 0, "provided": 0,
         "remaining": 0, "override": None, "driver": "no zones", "computed_driver": "no zones",
         "min_wifi_generation": None, "priority": 3,
         "controller_vendor": None, "basis": "estimate", "design_version": None}
    ]  # fmt: skip


def test_needs_set_refuses_a_negative_count_clearly(cli, planned):
    r = cli("needs", "set", "LP-PAR-PO1", "indoor", "-3", "--lang", "en")
    assert r.exit_code == 2 and "COUNT must be ≥ 0 (got -3)" in r.stderr and "No such option" not in r.stderr
    r = cli("needs", "set", "LP-PAR-PO1", "indoor", "-3", "--lang", "fr")
    assert r.exit_code == 2 and "doit être ≥ 0" in r.stderr
    r = cli("needs", "set", "LP-PAR-PO1", "indoor", "4", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"site": "LP-PAR-PO1", "class": "indoor", "count": 4}


def test_db_upgrade_speaks_json(cli):
    r = cli("db", "upgrade", "--json")
    d = json.loads(r.stdout)
    assert r.exit_code == 0 and d["current"] == d["head"] and d["upgraded"] is False


def test_every_bad_row_and_every_problem_in_it_is_reported(cli, venues, tmp_path):
    (tmp_path / "s.csv").write_text(
        "code,name,kind,city,lat,lon,priority\n"
        "LP-OK,Fine,office,Lyon,45.7,4.8,1\n"
        "LP-B1,,castle,Lyon,95,4.8,x\n"
        "REFURB-IDF,Taken,office,Paris,48.9,2.3,0\n"
        "LP-OK,Again,office,Lyon,45.7,4.8,1\n"
    )
    r = cli("sites", "import", str(tmp_path / "s.csv"), "--lang", "en")
    assert r.exit_code == 1
    rows = list(csv.DictReader((tmp_path / "s.rejects.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [x["code"] for x in rows] == ["LP-B1", "REFURB-IDF", "LP-OK"]
    b1 = rows[0]["reject_reason"]
    assert all(w in b1 for w in ("name is empty", "lat: 95", "castle", "priority: invalid number 'x'"))
    assert "refurb_centre" in rows[1]["reject_reason"] and "priority: 0 outside" in rows[1]["reject_reason"]
    assert "already seen on line 2" in rows[2]["reject_reason"]
    assert all(f"line {n}:" in r.stdout for n in (3, 4, 5))  # each one on screen as well
    (tmp_path / "z.csv").write_text(
        "site,zone,environment,area_m2,occupants,floors\n"
        "LP-NOPE,z,ballroom,-5,x,1\n"
        "LP-OK,,open_office,0,10,0\n"
        "LP-OK,good,open_office,100,10,1\n"
    )
    r = cli("zones", "import", str(tmp_path / "z.csv"), "--json")
    res = json.loads(r.stdout)
    assert (res["created"], res["rejected"]) == (1, 2) and [x["line"] for x in res["rejects"]] == [2, 3]
    first, second = (x["reason"] for x in res["rejects"])
    assert all(w in first for w in ("LP-NOPE", "ballroom", "area_m2: -5", "occupants: invalid number"))
    assert all(w in second for w in ("zone: value missing", "> 0 m²", "floors: 0 outside"))
    (tmp_path / "n.csv").write_text("site,class,count\nLP-OK,indoor,3\nLP-OK,Indoor,4\nLP-NOPE,attic,-2\n")
    r = cli("needs", "import", str(tmp_path / "n.csv"), "--json")
    res = json.loads(r.stdout)
    assert res["rejected"] == 2 and "already seen on line 2" in res["rejects"][0]["reason"]
    assert all(w in res["rejects"][1]["reason"] for w in ("LP-NOPE", "attic", "count: -2"))
    rows = {(x["site"], x["class"]): x for x in json.loads(cli("needs", "list", "--json").stdout)}
    assert rows[("LP-OK", "indoor")]["count"] == 3  # the duplicate did not silently win
    assert len((tmp_path / "n.rejects.csv").read_text(encoding="utf-8-sig").splitlines()) == 3


def test_a_site_or_location_with_half_its_coordinates_is_rejected(cli, venues, tmp_path):
    (tmp_path / "s.csv").write_text(
        "code,name,kind,city,lat,lon,priority\nLP-OK,Ok,office,Lyon,45.76,4.84,1\nLP-HALF,Half,office,Rennes,48.11,,2\n"
    )
    r = cli("sites", "import", str(tmp_path / "s.csv"))
    assert r.exit_code == 1 and "lon missing: a latitude without a longitude" in r.output
    assert "LP-HALF" in (tmp_path / "s.rejects.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "l.csv").write_text("code,name,kind,lat,lon\nWH-HALF,Half,warehouse,,2.3\n")
    r = cli("locations", "import", str(tmp_path / "l.csv"))
    assert r.exit_code == 1 and "lat missing" in (tmp_path / "l.rejects.csv").read_text(encoding="utf-8-sig")
