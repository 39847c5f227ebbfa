"""Wired needs and switches: ports and PoE per zone, closets, the 90 m rule, switches per closet."""

from __future__ import annotations

import json

import pytest

from reemploi.planning.models import Zone
from reemploi.planning.switches import SwitchModel, site_needs, switches_for
from reemploi.planning.wired import Closet, cable_m, default_closets, zone_wired

SITE = "code,name,kind,city,lat,lon,priority\nLP-WIRE,Câblé,office,Nantes,47.2,-1.55,1\n"


def test_a_zone_without_wired_figures_takes_its_environments_defaults_and_says_so() -> None:
    """Open office, 100 people, 1,500 m²: 100 desk ports, 2 printers, 30 phones, 3 badge readers,
    2 cameras (1.5 rounds to the even 2)."""
    z = zone_wired(Zone(environment="open_office", area_m2=1500, occupants=100, floors=1))
    assert z.draws == {0.0: 102, 7.0: 33, 15.4: 2} and z.ports == 137
    assert z.poe_w == pytest.approx(33 * 7 + 2 * 15.4)
    assert set(z.defaulted) == {"desks", "printers", "phones", "badge_readers", "cameras"}
    given = zone_wired(Zone(environment="open_office", area_m2=1500, occupants=100, floors=1, desks=80,
                            ports_per_desk=2, phones=0, cameras=10, printers=1, badge_readers=0,
                            other_poe=4, other_poe_w=25.5))  # fmt: skip
    assert given.draws == {0.0: 161, 15.4: 10, 25.5: 4} and given.defaulted == []


def test_a_floor_gets_a_closet_per_thousand_square_metres_within_the_permanent_link() -> None:
    assert default_closets(800)[0] == 1 and default_closets(1000)[0] == 1 and default_closets(1001)[0] == 2
    per, longest = default_closets(12_000)
    assert per == 12 and longest == pytest.approx(cable_m(1000**0.5)) and longest <= 90
    assert cable_m(77.27) == pytest.approx(90.0, abs=0.01)  # 10 % slack and 5 m of drops on top of the route


def test_a_closet_counts_spare_ports_and_rounds_shared_devices_up() -> None:
    c = Closet("F0-1", "F0")
    c.add({0.0: 10, 30.0: 7}, 0.5)  # half of 10 plain ports and 7 APs
    assert c.demand() == {0.0: 5 + 2, 30.0: 4}  # 5 + 4 = 9 ports, 20 % spare: 2 more (no PoE)
    assert c.ports() == 11


def test_poe_budget_at_the_edge() -> None:
    assert switches_for({30.0: 12}, 24, 360.0) == 1  # exactly the budget
    assert switches_for({30.0: 13}, 24, 360.0) == 2  # one watt-class over
    assert switches_for({0.0: 24}, 24, 360.0) == 1  # ports without PoE fill by ports only
    assert switches_for({0.0: 25}, 24, 360.0) == 2


def test_a_closet_with_more_ports_than_any_switch_gets_a_stack_and_the_rest_is_bought() -> None:
    models = [SwitchModel("S24", "V", 24, 370.0), SwitchModel("S48", "V", 48, 740.0)]
    big = {0.0: 200, 7.0: 40}  # 240 ports in one room
    needs = site_needs({1: [big]}, [1], models, {"S24": 3})
    n = needs[1]
    # S48: 5 switches (240 / 48); S24: 10. No stock covers either: the one with the most stock left, S24.
    assert (n.model.model, n.count, n.per_closet) == ("S24", 10, [10])
    enough = site_needs({1: [big]}, [1], models, {"S48": 5})[1]
    assert (enough.model.model, enough.count) == ("S48", 5)


def test_a_device_over_a_switchs_whole_budget_still_gets_its_port() -> None:
    models = [SwitchModel("S8", "V", 8, 60.0)]
    n = site_needs({1: [{90.0: 1, 0.0: 3}]}, [1], models, {})[1]
    assert n.count == 1  # the 90 W device is connected (powered elsewhere), four ports in all


@pytest.mark.usefixtures("venues")
def test_absurd_or_negative_wired_figures_are_refused_with_the_field_named(cli, tmp_path) -> None:
    (tmp_path / "s.csv").write_text(SITE)
    assert cli("sites", "import", str(tmp_path / "s.csv")).exit_code == 0
    (tmp_path / "z.csv").write_text(
        "site,zone,environment,area_m2,occupants,desks,cameras,other_poe_w\n"
        "LP-WIRE,a,open_office,500,20,-3,,\n"
        "LP-WIRE,b,open_office,500,20,5000000,,\n"
        "LP-WIRE,c,open_office,500,20,10,2,120\n"
        "LP-WIRE,d,open_office,500,20,,,\n"
    )  # fmt: skip
    r = cli("zones", "import", str(tmp_path / "z.csv"), "--json")
    out = json.loads(r.stdout)
    assert r.exit_code == 1 and (out["created"], out["rejected"]) == (1, 3)
    reasons = {x["line"]: x["reason"] for x in out["rejects"]}
    assert "desks" in reasons[2] and "-3" in reasons[2]
    assert "desks" in reasons[3] and "5000000" in reasons[3]
    assert "other_poe_w" in reasons[4] and "120" in reasons[4]


@pytest.mark.usefixtures("venues")
def test_needs_list_has_a_switch_row_per_site_with_its_closets(cli, tmp_path) -> None:
    (tmp_path / "s.csv").write_text(SITE)
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants,floors\n"
                                    "LP-WIRE,bureaux,open_office,4500,200,3\n")  # fmt: skip
    cli("sites", "import", str(tmp_path / "s.csv"))
    assert cli("zones", "import", str(tmp_path / "z.csv")).exit_code == 0
    rows = json.loads(cli("needs", "list", "--json").stdout)
    sw = next(r for r in rows if r["site"] == "LP-WIRE" and r["class"] == "switch")
    ap = next(r for r in rows if r["site"] == "LP-WIRE" and r["class"] == "indoor")
    assert sw["basis"] == "estimate" and "desks" in sw["wired_defaults"]
    # 1,500 m² a floor: two closets a floor, six in all; the APs of the need are spread over them
    assert len(sw["closets"]) == 6 and {c["floor"] for c in sw["closets"]} == {"F0", "F1", "F2"}
    assert sum(c["aps"] for c in sw["closets"]) >= ap["count"]
    assert sw["count"] == sum(c["switches"] for c in sw["closets"]) and sw["count"] >= 6
    assert all(not c["beyond_90m"] for c in sw["closets"])
    text = cli("needs", "list", lang="fr").stdout
    assert "commutateur" in text and "locaux techniques" in text


@pytest.mark.usefixtures("venues")
def test_a_zone_beyond_90_m_of_the_only_closet_drawn_is_flagged(cli, tmp_path) -> None:
    from reemploi.demo.building import to_geojson
    from reemploi.design.plan import Area, Floor, Wall

    hall = Floor("R", 0.0, 8.0, [Wall(0, 0, 200, 0, "concrete"), Wall(200, 0, 200, 60, "concrete"),
                                 Wall(200, 60, 0, 60, "concrete"), Wall(0, 60, 0, 0, "concrete")],
                 [Area("halle", "zone", [(0, 0), (200, 0), (200, 60), (0, 60)], "warehouse", 50),
                  Area("local-1", "closet", [(0, 0), (3, 0), (3, 3), (0, 3)])])  # fmt: skip
    (tmp_path / "s.csv").write_text(SITE)
    cli("sites", "import", str(tmp_path / "s.csv"))
    (tmp_path / "hall.geojson").write_text(json.dumps(to_geojson([hall])))
    assert cli("floors", "import", "LP-WIRE", str(tmp_path / "hall.geojson")).exit_code == 0
    rows = json.loads(cli("needs", "list", "--json").stdout)
    sw = next(r for r in rows if r["site"] == "LP-WIRE" and r["class"] == "switch")
    (closet,) = sw["closets"]
    assert closet["closet"] == "local-1" and closet["drawn"] and sw["basis"] == "design"
    # the far corner: 200 + 60 m from the room, plus slack
    assert closet["longest_m"] == pytest.approx(cable_m(198.5 + 58.5), abs=0.1) and closet["beyond_90m"]


def test_multigigabit_ports_prefer_a_model_that_has_them_else_are_listed_to_buy() -> None:
    plain = SwitchModel("P48", "Cisco", 48, 740.0, mgig_ports=0, stack_max=8, uplink_gbps=10)
    mgig = SwitchModel("M48", "Cisco", 48, 740.0, mgig_ports=12, stack_max=8, uplink_gbps=10)
    closet = {30.0: 20, 0.0: 4}  # 24 ports, 20 of them APs at 30 W
    both = site_needs({1: [closet]}, [1], [plain, mgig], {"P48": 5, "M48": 5}, {1: [20]})[1]
    assert (both.model.model, both.count, both.mgig_unserved, both.driver) == ("M48", 2, 0, "mgig")  # 20 / 12
    only_plain = site_needs({1: [closet]}, [1], [plain, mgig], {"P48": 5}, {1: [20]})[1]
    assert only_plain.model.model == "P48" and only_plain.mgig_unserved == 20  # reuse first, the rest bought
    none = site_needs({1: [closet]}, [1], [plain, mgig], {"P48": 5, "M48": 5}, {1: [0]})[1]
    assert none.count == 1 and none.mgig == 0  # no 6 GHz AP: ports and PoE decide
    empty = site_needs({1: [{}, closet]}, [1], [plain], {"P48": 5}, None)[1]
    assert empty.per_closet == [0, 1]  # a closet serving nothing keeps its place in the list


def test_stacks_and_uplinks_per_closet() -> None:
    c9300 = SwitchModel("C9300-48P", "Cisco", 48, 437.0, stack_max=8, uplink_gbps=10)
    alone = SwitchModel("X", "Cisco", 24, 370.0)
    assert [c9300.stacks(n) for n in (0, 1, 8, 9, 17)] == [0, 1, 1, 2, 3]
    assert alone.stacks(3) == 3  # a model that does not stack: each switch its own uplinks
    from reemploi.planning.switches import SiteSwitchNeed
    from reemploi.planning.wired import Closet, closet_rows

    c = Closet("telecom-1", "R")
    c.add({30.0: 400})
    c.aps, c.mgig = 400, 10.0
    sn = SiteSwitchNeed(1, 400, 12000.0, c9300, 28, "poe", [28], 10, 10)
    row = closet_rows([c], sn)[0]
    assert (row["switches"], row["stacks"], row["uplinks"], row["mgig_ports"]) == (28, 4, 8, 10)
    assert row["uplink_bottleneck"] is False
    low = SwitchModel("L", "Cisco", 24, 370.0, stack_max=8, uplink_gbps=1)
    slow = closet_rows([c], SiteSwitchNeed(1, 400, 12000.0, low, 40, "poe", [40]))[0]
    assert slow["uplink_bottleneck"] is True  # 6 GHz APs behind 1 GbE uplinks


def test_a_site_keeps_the_model_it_has_and_ports_give_no_more_than_their_poe_type() -> None:
    c9300 = SwitchModel("C9300-48P", "Cisco", 48, 437.0, stack_max=8, port_max_w=30.0)
    c9200 = SwitchModel("C9200L-24P-4G", "Cisco", 24, 370.0, stack_max=8, port_max_w=30.0)
    closet = {30.0: 30, 0.0: 10}
    fresh = site_needs({1: [closet]}, [1], [c9300, c9200], {"C9200L-24P-4G": 9})[1]
    assert fresh.model.model == "C9200L-24P-4G"  # the stock decides for a new site
    kept = site_needs({1: [closet]}, [1], [c9300, c9200], {"C9200L-24P-4G": 9}, None, {1: "C9300-48P"})[1]
    assert kept.model.model == "C9300-48P"  # a site with 9300s is not given 9200Ls, which do not stack with them
    bt = {60.0: 4, 30.0: 10}  # 802.3bt APs (51 W at the AP, 60 W at the port) beside 802.3at ones
    short = site_needs({1: [bt]}, [1], [c9300], {"C9300-48P": 2})[1]
    assert short.poe_unserved == 4 and short.count == 1  # the 4 get ports, their power is listed apart
    assert switches_for({60.0: 4}, 48, 437.0) == 1  # the budget alone would have said nothing


def test_the_driver_is_the_term_that_set_each_rooms_count() -> None:
    m = SwitchModel("S48", "Cisco", 48, 437.0)
    rooms = [{30.0: 10, 0.0: 49}, {30.0: 10, 0.0: 49}]  # 59 ports each: 2 switches a room by ports, 1 by PoE
    sn = site_needs({1: rooms}, [1], [m], {"S48": 9})[1]
    assert (sn.count, sn.driver) == (4, "ports")
