"""Allocation: optimal against exhaustive search, constraints never broken, clear edge cases."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reemploi.geo import great_circle_km as haversine_km
from reemploi.planning.allocation import (
    ROAD_FACTOR,
    TRUCK_KGCO2E_PER_TKM,
    Group,
    Need,
    build_arcs,
    greedy,
    solve,
    summarise,
    weight,
)


def group(model, vendor="Cisco", cls="indoor", gen=6, draw=20.0, mass=1.0, grade="A", n=1, lat=48.9, lon=2.35):  # type: ignore[no-untyped-def]
    g = Group(0, model, vendor, cls, gen, draw, mass, grade, "REFURB", lat, lon)
    g.device_ids = list(range(n))
    g.serials = [f"S{i}" for i in range(n)]
    return g


def need(site, count, cls="indoor", gen=None, vendor=None, prio=3, lat=47.2, lon=-1.55, budget=None, site_id=None):  # type: ignore[no-untyped-def]
    return Need(site_id or hash(site) % 10_000, site, site, cls, count, gen, vendor, prio, lat, lon, budget)


def objective(groups, needs, arcs, flows):  # type: ignore[no-untyped-def]
    return sum(f * arcs[a].cost for a, f in flows.items())


def feasible(groups, needs, arcs, flows) -> bool:  # type: ignore[no-untyped-def]
    used = [0] * len(groups)
    met = [0] * len(needs)
    draw: dict[int, float] = {}
    vendors: dict[int, set[str]] = {}
    for a, f in flows.items():
        if f < 0:
            return False
        g, n = groups[arcs[a].group], needs[arcs[a].need]
        used[arcs[a].group] += f
        met[arcs[a].need] += f
        draw[n.site_id] = draw.get(n.site_id, 0) + f * g.draw_w
        vendors.setdefault(n.site_id, set()).add(g.vendor)
    return (
        all(used[i] <= g.count for i, g in enumerate(groups))
        and all(met[i] <= n.count for i, n in enumerate(needs))
        and all(len(v) <= 1 for v in vendors.values())
        and all(n.poe_budget_w is None or draw.get(n.site_id, 0) <= n.poe_budget_w + 1e-9 for n in needs)
    )


def brute_force(groups, needs, arcs):  # type: ignore[no-untyped-def]
    ranges = [range(min(groups[a.group].count, needs[a.need].count) + 1) for a in arcs]
    best = None
    for combo in itertools.product(*ranges):
        flows = {i: f for i, f in enumerate(combo) if f}
        if feasible(groups, needs, arcs, flows):
            val = objective(groups, needs, arcs, flows)
            if best is None or val < best - 1e-9:
                best = val
    return best


def test_priority_then_distance_then_grade():
    groups = [group("C9130AXI", grade="A", n=1), group("C9120AXI", grade="B", n=2, lat=47.3, lon=-1.5)]
    needs = [need("HQ", 1, prio=1, lat=48.86, lon=2.35), need("PO", 2, prio=4)]
    arcs = build_arcs(groups, needs)
    sol = solve(groups, needs, arcs)
    assert sol.optimal and sol.method == "lp"
    s = summarise(groups, needs, arcs, sol)
    assert s["assigned"] == 3 and s["unmet"] == 0
    # The priority-1 site gets the grade-A device from next door; the far site the two from Nantes.
    placed = {(groups[arcs[a].group].model, needs[arcs[a].need].site): f for a, f in sol.flows.items()}
    assert placed == {("C9130AXI", "HQ"): 1, ("C9120AXI", "PO"): 2}


def test_needs_beyond_stock_go_to_the_highest_priority_and_the_rest_is_a_purchase_list():
    groups = [group("C9130AXI", n=3)]
    needs = [need("LOW", 3, prio=5), need("HIGH", 2, prio=1), need("OUT", 2, cls="outdoor", prio=1)]
    arcs = build_arcs(groups, needs)
    s = summarise(groups, needs, arcs, solve(groups, needs, arcs))
    assert s["assigned"] == 3 and s["unmet"] == 4
    assert {u["site"]: u["missing"] for u in s["unmet_needs"]} == {"LOW": 2, "OUT": 2}
    assert {(p["class"], p["count"]) for p in s["purchase"]} == {("indoor", 2), ("outdoor", 2)}


def test_generation_and_controller_vendor_are_respected():
    groups = [group("OLD", gen=5, n=5), group("MR46", vendor="Meraki", n=5), group("C9130AXI", n=1)]
    needs = [need("NEW", 3, gen=6, vendor="Cisco")]
    arcs = build_arcs(groups, needs)
    s = summarise(groups, needs, arcs, solve(groups, needs, arcs))
    assert s["assigned"] == 1 and s["unmet"] == 2


def test_one_vendor_per_site_when_the_optimiser_chooses():
    groups = [group("MR46", vendor="Meraki", n=2), group("C9130AXI", vendor="Cisco", n=3)]
    needs = [need("S", 4, site_id=1)]
    arcs = build_arcs(groups, needs)
    sol = solve(groups, needs, arcs)
    assert sol.method == "milp" and sol.optimal
    s = summarise(groups, needs, arcs, sol)
    assert s["assigned"] == 3  # all Cisco, not 2 + 2 of two vendors
    assert feasible(groups, needs, arcs, sol.flows)


def test_poe_budget_limits_the_draw():
    groups = [group("BIG", draw=51.0, n=3), group("SMALL", draw=25.5, n=4)]
    needs = [need("S", 4, budget=110.0, site_id=1)]
    arcs = build_arcs(groups, needs)
    sol = solve(groups, needs, arcs)
    assert feasible(groups, needs, arcs, sol.flows)
    assert summarise(groups, needs, arcs, sol)["assigned"] == 4  # four small: 102 W


def test_greedy_is_feasible_and_never_better():
    groups = [group("A1", n=2, lat=43.3, lon=5.37), group("A2", n=2, lat=50.6, lon=3.06)]
    needs = [need("MRS", 2, lat=43.3, lon=5.4, prio=3), need("LIL", 2, lat=50.6, lon=3.0, prio=2)]
    arcs = build_arcs(groups, needs)
    best, base = solve(groups, needs, arcs), greedy(groups, needs, arcs)
    assert feasible(groups, needs, arcs, base.flows)
    assert objective(groups, needs, arcs, best.flows) <= objective(groups, needs, arcs, base.flows) + 1e-9


gen_groups = st.lists(
    st.tuples(st.sampled_from(["Cisco", "Meraki"]), st.sampled_from(["indoor", "outdoor"]), st.sampled_from([5, 6]),
              st.sampled_from([12.0, 25.5, 51.0]), st.sampled_from(["A", "B"]), st.integers(1, 2),
              st.floats(43, 50), st.floats(-1.5, 7)),
    min_size=1, max_size=3,
)  # fmt: skip
gen_needs = st.lists(
    st.tuples(st.integers(1, 3), st.sampled_from(["indoor", "outdoor"]), st.sampled_from([None, 6]),
              st.sampled_from([None, "Cisco"]), st.integers(1, 5), st.sampled_from([None, 60.0]),
              st.floats(43, 50), st.floats(-1.5, 7)),
    min_size=1, max_size=2,
)  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gen_groups, gen_needs)
def test_plans_never_break_a_constraint_and_match_exhaustive_search(gs, ns):
    groups = [group(f"M{i}", v, c, gen, d, 1.0, gr, n, la, lo) for i, (v, c, gen, d, gr, n, la, lo) in enumerate(gs)]
    needs = [
        need(f"S{i}", k, c, gen, v, p, la, lo, b, site_id=i + 1) for i, (k, c, gen, v, p, b, la, lo) in enumerate(ns)
    ]
    arcs = build_arcs(groups, needs)
    sol = solve(groups, needs, arcs)
    assert feasible(groups, needs, arcs, sol.flows)
    assert feasible(groups, needs, arcs, greedy(groups, needs, arcs).flows)
    if arcs:
        assert objective(groups, needs, arcs, sol.flows) == pytest.approx(brute_force(groups, needs, arcs), abs=1e-6)


def test_weight_orders_priorities():
    assert weight(1) > weight(2) > weight(9) > 0


@pytest.mark.usefixtures("venues")
def test_plan_commands_end_to_end(cli, tmp_path):
    (tmp_path / "d.csv").write_text(
        "serial,model,location,state\n" + "".join(f"FOC0000P{i:03d},C9130AXI,REFURB-IDF,received\n" for i in range(4))
    )
    cli("devices", "import", str(tmp_path / "d.csv"))
    serials = [f"FOC0000P{i:03d}" for i in range(4)]
    cli("refurb", "test", *serials, "--firmware", "17.9.4")
    cli("refurb", "sanitize", *serials, "--method", "reimage", "--verifier", "v")
    assert cli("move", "--to", "ready", *serials).exit_code == 0
    r = cli("plan", "create", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["assigned"] == 0  # no sites yet: nothing to plan
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon,priority\nLP-T1,T1,office,Nantes,47.2,-1.55,1\n")
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-T1,z,open_office,500,10\n")
    cli("sites", "import", str(tmp_path / "s.csv"))
    cli("zones", "import", str(tmp_path / "z.csv"))
    res = json.loads(cli("plan", "create", "--name", "t", "--json").stdout)
    assert set(res) >= {"plan", "assigned", "unmet", "unused", "transport_kgco2e", "optimal", "gap", "greedy"}
    assert (res["assigned"], res["unmet"], res["unused"], res["optimal"]) == (3, 0, 1, True)
    again = json.loads(cli("plan", "create", "--json").stdout)
    assert again["transport_kgco2e"] == res["transport_kgco2e"]  # same inputs, same plan
    assert cli("move", "--to", "reserved", serials[0]).exit_code == 1  # no approved plan yet
    assert cli("plan", "approve", str(res["plan"])).exit_code == 0
    shown = json.loads(cli("plan", "show", str(res["plan"]), "--devices", "--json").stdout)
    assert len(shown["assignment"]) == 3 and shown["status"] == "approved"
    assert cli("plan", "approve", str(again["plan"])).exit_code == 4  # its devices are reserved now
    assert cli("plan", "cancel", str(res["plan"])).exit_code == 0
    states = {d["state"] for d in json.loads(cli("devices", "list", "--json").stdout)}
    assert states == {"ready"}
    assert cli("plan", "show", "99").exit_code == 3


@pytest.mark.usefixtures("venues")
def test_shipments_from_an_approved_plan_to_service_and_acceptance(cli, tmp_path):
    serials = [f"FOC0000H{i:03d}" for i in range(12)]
    (tmp_path / "d.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in serials)
    )
    cli("devices", "import", str(tmp_path / "d.csv"))
    cli("refurb", "test", *serials, "--firmware", "17.9.4")
    cli("refurb", "sanitize", *serials, "--method", "reimage")
    cli("move", "--to", "ready", *serials)
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon,priority\nLP-T2,T2,office,Lyon,45.76,4.84,1\n")
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-T2,z,open_office,2000,40\n")
    cli("sites", "import", str(tmp_path / "s.csv"))
    cli("zones", "import", str(tmp_path / "z.csv"))
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    assert cli("ship", "create", str(plan)).exit_code == 4  # not approved yet
    cli("plan", "approve", str(plan))
    cli("settings", "set", "box_capacity", "5")
    ships = json.loads(cli("ship", "create", str(plan), "--json").stdout)
    assert len(ships) == 1 and ships[0]["devices"] == 11 and ships[0]["boxes"] == 3 and ships[0]["pallets"] == 1
    assert ships[0]["distance_km"] > 350  # Saint-Denis to Lyon, by road
    code = ships[0]["shipment"]
    assert cli("ship", "create", str(plan)).exit_code == 4  # once only
    assert cli("ship", "packing-list", code, "--out", str(tmp_path / "p.csv")).exit_code == 0
    lines = (tmp_path / "p.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 2 + 11 and lines[2].startswith("1,")
    assert cli("ship", "packing-list", code, "--out", str(tmp_path / "p.pdf")).exit_code == 0
    assert (tmp_path / "p.pdf").read_bytes().startswith(b"%PDF")
    assert cli("ship", "install", code).exit_code == 4  # not sent yet
    assert cli("ship", "send", code).exit_code == 0
    shipped = [d["serial"] for d in json.loads(cli("devices", "list", "--state", "shipped", "--json").stdout)]
    assert len(shipped) == 11
    assert cli("ship", "install", code, serials[11]).exit_code == 2  # not in this shipment
    assert cli("ship", "install", code, *shipped[:10]).exit_code == 0
    r = cli("sites", "acceptance", "LP-T2", "--json")
    acc = json.loads(r.stdout)
    assert r.exit_code == 1 and (acc["planned"], acc["installed"]) == (11, 10)
    assert acc["gaps"] == [{"serial": shipped[10], "state": "shipped"}]
    cli("ship", "install", code, shipped[10])
    assert cli("ship", "in-service", code).exit_code == 0
    assert cli("sites", "acceptance", "LP-T2").exit_code == 0
    assert json.loads(cli("plan", "show", str(plan), "--json").stdout)["status"] == "executed"
    # The site has its APs: a new plan sends it nothing more, and buys nothing for it.
    need = json.loads(cli("needs", "list", "--json").stdout)[0]
    assert (need["site"], need["count"], need["provided"], need["remaining"]) == ("LP-T2", 11, 11, 0)
    again = json.loads(cli("plan", "create", "--json").stdout)
    assert (again["needed"], again["assigned"], again["unmet"], again["purchase"]) == (0, 0, 0, [])
    assert cli("audit", "verify").exit_code == 0


def _ready_aps(cli, tmp_path, serials, model="C9130AXI"):  # type: ignore[no-untyped-def]
    (tmp_path / "ready.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},{model},REFURB-IDF,received\n" for s in serials)
    )
    assert cli("devices", "import", str(tmp_path / "ready.csv")).exit_code == 0
    cli("refurb", "test", *serials, "--firmware", "17.9.4")
    cli("refurb", "sanitize", *serials, "--method", "reimage", "--verifier", "v")
    assert cli("move", "--to", "ready", *serials).exit_code == 0


def _sites(cli, tmp_path, sites, zones):  # type: ignore[no-untyped-def]
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon,priority\n" + sites)
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants,min_wifi_generation\n" + zones)
    assert cli("sites", "import", str(tmp_path / "s.csv")).exit_code == 0
    assert cli("zones", "import", str(tmp_path / "z.csv")).exit_code == 0


@pytest.mark.usefixtures("venues")
def test_a_second_plan_cannot_be_approved_while_one_is(cli, tmp_path):
    _ready_aps(cli, tmp_path, [f"FOC0000Q{i:03d}" for i in range(6)])
    _sites(cli, tmp_path, "LP-Q1,Q1,office,Nantes,47.2,-1.55,1\n", "LP-Q1,z,open_office,300,5,\n")
    first = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    second = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    r = cli("plan", "approve", str(first), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"plan": first, "status": "approved", "reserved": 2}
    need = json.loads(cli("needs", "list", "--json").stdout)[0]
    assert (need["count"], need["provided"], need["remaining"]) == (2, 2, 0)  # the reserved APs count
    third = json.loads(cli("plan", "create", "--json").stdout)
    assert (third["needed"], third["assigned"]) == (0, 0)  # nothing left to fill
    r = cli("plan", "approve", str(second), "--lang", "en")
    assert r.exit_code == 4 and f"Plan {first} is already approved" in r.stderr
    assert f"reemploi plan cancel {first}" in r.stderr
    r = cli("plan", "cancel", str(first), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"plan": first, "status": "cancelled", "released": 2}
    need = json.loads(cli("needs", "list", "--json").stdout)[0]
    assert (need["provided"], need["remaining"]) == (0, 2)  # released: the site needs them again
    assert cli("plan", "approve", str(second)).exit_code == 0  # the first one no longer covers the needs


@pytest.mark.usefixtures("venues")
def test_an_empty_plan_cannot_be_approved(cli, tmp_path):
    _sites(cli, tmp_path, "LP-Q2,Q2,office,Nantes,47.2,-1.55,1\n", "LP-Q2,z,open_office,300,5,\n")
    plan = json.loads(cli("plan", "create", "--json").stdout)
    assert plan["assigned"] == 0
    r = cli("plan", "approve", str(plan["plan"]), "--lang", "fr")
    assert r.exit_code == 4 and "n'affecte aucun équipement" in r.stderr
    assert json.loads(cli("plan", "show", str(plan["plan"]), "--json").stdout)["status"] == "draft"


@pytest.mark.usefixtures("venues")
def test_plan_show_lists_unserved_sites_and_a_readable_purchase_line(cli, tmp_path):
    _ready_aps(cli, tmp_path, [f"FOC0000U{i:03d}" for i in range(2)])
    _sites(
        cli, tmp_path,
        "LP-U1,Served,office,Nantes,47.2,-1.55,1\nLP-U2,Far off,office,Lyon,45.76,4.84,5\n",
        "LP-U1,z,open_office,300,5,\nLP-U2,z,open_office,300,5,\nLP-U2,yard,outdoor,300,5,\n",
    )  # fmt: skip
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    shown = json.loads(cli("plan", "show", str(plan), "--json").stdout)
    assert shown["unserved_sites"] == ["LP-U2"]
    assert {(u["site"], u["class"], u["missing"], u["needed"]) for u in shown["unmet_needs"]} == {
        ("LP-U2", "indoor", 2, 2), ("LP-U2", "outdoor", 1, 1)
    }  # fmt: skip
    en = cli("plan", "show", str(plan), "--lang", "en").stdout
    assert "Unserved sites (1):" in en and "LP-U2 Far off / indoor: 2 missing of 2" in en
    assert "Wi-Fi -" not in en and "To buy: 2 indoor APs (any Wi-Fi generation)" in en
    fr = cli("plan", "show", str(plan), "--lang", "fr").stdout
    assert "Sites non servis (1) :" in fr and "(toute génération Wi-Fi)" in fr and "Wi-Fi -" not in fr


def test_switch_count_by_ports_and_poe_budget_worked_by_hand():
    from reemploi.planning.switches import port_watts, switches_for

    assert port_watts(25.5) == pytest.approx(30.0) and port_watts(51.0) == pytest.approx(60.0)
    # 30 APs at 30 W on C9300-48P (48 ports, 437 W): ports say 1, PoE says ceil(900 / 437) = 3;
    # a switch powers floor(437 / 30) = 14 of them: ceil(30 / 14) = 3.
    assert switches_for({30.0: 30}, 48, 437) == 3
    # 40 small APs (15 W at the port) on 24-port switches with 370 W: ports drive, ceil(40 / 24) = 2.
    assert switches_for({15.0: 40}, 24, 370) == 2
    # Mixed: five 60 W and ten 30 W APs, 437 W: 5 × 60 + 4 × 30 = 420 W in the first, 6 × 30 in the second.
    assert switches_for({60.0: 5, 30.0: 10}, 48, 437) == 2
    assert switches_for({}, 48, 437) == 0


@pytest.mark.usefixtures("venues")
def test_switches_follow_the_sites_wired_needs_and_aps_and_come_from_ready_stock(cli, tmp_path):
    """Two sites: W1 3,000 m² (5 people, 16 APs placed), W2 700 m² (5 people, 4 APs); open-office defaults.

    W1: three closets (one per ~1,000 m²), each a third of: 6 plain ports (5 desks, a printer),
    8 at 7 W (2 phones, 6 badge readers), 3 cameras at 15.4 W, 16 APs at 30 W; per closet,
    rounded up: 2 + 3 + 1 + 6 = 12 ports, 3 spare (20 %), 216.4 W: one 24-port 370 W switch.
    W2: one closet: 6 + 3 + 1 + 4 = 14 ports + 3 spare, 156.4 W: one switch. Four in all.
    """
    aps = [f"FOC0000W{i:03d}" for i in range(20)]
    _ready_aps(cli, tmp_path, aps)
    _sites(
        cli, tmp_path,
        "LP-W1,Big,office,Nantes,47.2,-1.55,1\nLP-W2,Small,office,Lyon,45.76,4.84,2\n",
        "LP-W1,z,open_office,3000,5,\nLP-W2,z,open_office,700,5,\n",
    )  # fmt: skip
    plan = json.loads(cli("plan", "create", "--json").stdout)
    assert plan["assigned"] == 20 and plan["switches"]["assigned"] == 0  # no ready switch yet
    assert plan["switches"]["needed"] == plan["switches"]["missing"] == 4
    assert sum(p["count"] for p in plan["switch_purchase"]) == 4
    text = cli("plan", "show", str(plan["plan"]), "--lang", "en").stdout
    assert "Switches for the sites (their wired needs and APs): 4 needed, 0 from stock, 4 missing" in text
    assert "switch(es) or equivalent" in text
    assert "ports in 3 telecom rooms, each with its own C9200L-24P-4G of 24 ports" in text
    sw = [f"FOC0000X{i:03d}" for i in range(3)]
    _ready_aps(cli, tmp_path, sw, model="C9200L-24P-4G")
    plan = json.loads(cli("plan", "create", "--json").stdout)
    # Priority first: W1 (priority 1) gets its three, W2's one is to buy.
    assert plan["switches"] == {"needed": 4, "assigned": 3, "missing": 1, "unused": 0, "mgig_unserved": 0,
                                "poe_unserved": 0, "transport_kgco2e": plan["switches"]["transport_kgco2e"]}
    assert plan["switch_purchase"] == [{"model": "C9200L-24P-4G", "ports": 24, "poe_budget_w": 370.0, "count": 1}]
    shown = json.loads(cli("plan", "show", str(plan["plan"]), "--devices", "--json").stdout)
    by_site = {r["site"]: r for r in shown["switch_needs"]}
    w1 = by_site["LP-W1"]
    assert (w1["aps"], w1["closets"], w1["count"], w1["assigned"], w1["model"]) == (16, 3, 3, 3, "C9200L-24P-4G")
    assert (by_site["LP-W2"]["count"], by_site["LP-W2"]["missing"]) == (1, 1)
    assert sorted(a["serial"] for a in shown["assignment"] if a["class"] == "switch") == sw
    assert cli("plan", "approve", str(plan["plan"])).exit_code == 0
    states = {d["serial"]: d["state"] for d in json.loads(cli("devices", "list", "--json").stdout)}
    assert all(states[s] == "reserved" for s in sw + aps)
    # The switches reserved count for W1 from now on: a new plan only asks W2's.
    rows = {(r["site"], r["class"]): r for r in json.loads(cli("needs", "list", "--json").stdout)}
    assert (rows[("LP-W1", "switch")]["provided"], rows[("LP-W1", "switch")]["remaining"]) == (3, 0)
    assert rows[("LP-W2", "switch")]["remaining"] == 1


def _random_instance(seed, n_groups, n_needs, vendors=("Cisco", "Meraki"), fixed_vendor=True):  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(seed)
    groups = [
        group(f"M{i % 7}", vendors[i % len(vendors)], "indoor", 6, 20.0, rng.choice([0.6, 1.2, 2.0]),
              rng.choice("AB"), rng.randint(5, 60), rng.uniform(43, 50), rng.uniform(-1.5, 7))
        for i in range(n_groups)
    ]  # fmt: skip
    for i, g in enumerate(groups):
        g.location = f"L{i}"
    needs = [
        need(f"S{i}", rng.randint(1, 30), "indoor", None, rng.choice(vendors) if fixed_vendor else None,
             rng.randint(1, 5), rng.uniform(43, 50), rng.uniform(-1.5, 7), site_id=i + 1)
        for i in range(n_needs)
    ]  # fmt: skip
    return groups, needs


def _full_lp_objective(groups, needs, arcs):  # type: ignore[no-untyped-def]
    """The same LP written directly, every arc at once: an independent formulation."""
    import highspy
    import numpy as np

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    for a in arcs:
        h.addVar(0, min(groups[a.group].count, needs[a.need].count))
    h.changeColsCost(len(arcs), np.arange(len(arcs), dtype=np.int32), np.array([a.cost for a in arcs]))
    for gi, g in enumerate(groups):
        cols = [k for k, a in enumerate(arcs) if a.group == gi]
        h.addRow(-inf, g.count, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
    for ni, n in enumerate(needs):
        cols = [k for k, a in enumerate(arcs) if a.need == ni]
        h.addRow(-inf, n.count, len(cols), np.array(cols, dtype=np.int32), np.ones(len(cols)))
    h.run()
    return h.getInfo().objective_function_value


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_column_generation_reaches_the_optimum_of_the_whole_lp(seed):
    groups, needs = _random_instance(seed, 40, 150)
    arcs = build_arcs(groups, needs)
    sol = solve(groups, needs, arcs)
    assert sol.method == "lp" and sol.optimal and feasible(groups, needs, arcs, sol.flows)
    assert all(f == int(f) for f in sol.flows.values())  # integral, as the transportation LP is
    assert objective(groups, needs, arcs, sol.flows) == pytest.approx(_full_lp_objective(groups, needs, arcs),
                                                                      rel=1e-9)  # fmt: skip


def test_build_arcs_matches_the_pairwise_rule():
    groups, needs = _random_instance(4, 12, 20)
    groups[0].generation, needs[0].min_generation = 5, 6
    needs[1].poe_budget_w = 15.0
    arcs = build_arcs(groups, needs)
    expected = [
        (gi, ni) for ni, n in enumerate(needs) for gi, g in enumerate(groups)
        if g.need_class == n.need_class and not (n.min_generation and g.generation < n.min_generation)
        and not (n.vendor and g.vendor.lower() != n.vendor.lower())
        and not (n.poe_budget_w is not None and g.draw_w > n.poe_budget_w)
    ]  # fmt: skip
    assert [(a.group, a.need) for a in arcs] == expected
    a = arcs[0]
    g, n = groups[a.group], needs[a.need]
    km = haversine_km(g.lat, g.lon, n.lat, n.lon) * ROAD_FACTOR
    assert a.transport_per_device == pytest.approx(g.mass_kg / 1000 * km * TRUCK_KGCO2E_PER_TKM)


def test_large_vendor_choice_stays_feasible_and_close_to_the_lp_bound(monkeypatch):
    from reemploi.planning import solver

    groups, needs = _random_instance(5, 30, 120, vendors=("Cisco", "Meraki", "Aruba"), fixed_vendor=False)
    arcs = build_arcs(groups, needs)
    exact = solve(groups, needs, arcs)  # under the threshold: HiGHS on the whole MILP
    assert exact.method == "milp" and feasible(groups, needs, arcs, exact.flows)
    monkeypatch.setattr(solver, "FULL_MILP_MAX_ARCS", 10)  # force relax, round and polish
    sol = solve(groups, needs, arcs, time_limit=20)
    assert sol.method == "milp" and feasible(groups, needs, arcs, sol.flows)
    value = objective(groups, needs, arcs, sol.flows)
    assert sol.lp_bound is not None and sol.lp_bound <= objective(groups, needs, arcs, exact.flows) + 1e-6
    assert value == pytest.approx(sol.objective) and sol.gap == pytest.approx((value - sol.lp_bound) / -sol.lp_bound)
    assert sol.gap < 0.01


@pytest.mark.usefixtures("venues")
def test_what_a_site_has_binds_the_next_plan_vendor_and_where_aps_really_are(cli, tmp_path):
    cisco = [f"FOC0000V{i:03d}" for i in range(2)]
    _ready_aps(cli, tmp_path, cisco)
    _sites(cli, tmp_path, "LP-V1,V1,office,Nantes,47.2,-1.55,1\nLP-V2,V2,office,Nantes,47.21,-1.56,2\n",
           "LP-V1,z,open_office,1000,5,\nLP-V2,z,open_office,300,5,\n")  # fmt: skip
    first = json.loads(cli("plan", "create", "--json").stdout)
    assert first["assigned"] == 2 and cli("plan", "approve", str(first["plan"])).exit_code == 0
    # Four Aruba APs come ready: LP-V1 already has Cisco ones (one vendor per site), so they go to LP-V2 only.
    _ready_aps(cli, tmp_path, [f"CNX0000A{i:03d}" for i in range(4)], model="AP-635")
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    second = json.loads(cli("plan", "show", str(plan), "--json").stdout)
    per_site = {s["site"]: s["devices"] for s in second["sites"]}
    assert per_site == {"LP-V2": 2}, second["sites"]
    # An AP installed at another site than planned belongs to the site where it is.
    ships = json.loads(cli("ship", "create", str(first["plan"]), "--json").stdout)
    assert cli("ship", "send", ships[0]["shipment"]).exit_code == 0
    assert cli("move", "--to", "installed", "--at", "LP-V2", cisco[0]).exit_code == 0
    needs = {(r["site"], r["class"]): r for r in json.loads(cli("needs", "list", "--json").stdout)}
    assert (needs[("LP-V1", "indoor")]["provided"], needs[("LP-V2", "indoor")]["provided"]) == (1, 1)


@pytest.mark.usefixtures("venues")
def test_a_draft_that_would_serve_a_site_twice_is_not_approved(cli, tmp_path, engine):
    from sqlalchemy import select, update

    from reemploi.inventory.models import Device
    from reemploi.planning.models import PlanDevice

    _ready_aps(cli, tmp_path, [f"FOC0000W{i:03d}" for i in range(4)])
    _sites(cli, tmp_path, "LP-W1,W1,office,Nantes,47.2,-1.55,1\n", "LP-W1,z,open_office,300,5,\n")  # need 2
    first = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    second = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    with engine.begin() as conn:  # the second draft drew on the other two ready APs
        used = set(conn.execute(select(PlanDevice.device_id).where(PlanDevice.plan_id == first)).scalars())
        others = [i for i in conn.execute(select(Device.id).order_by(Device.id)).scalars() if i not in used]
        rows = list(conn.execute(select(PlanDevice.id).where(PlanDevice.plan_id == second)).scalars())
        for row, device in zip(rows, others, strict=False):
            conn.execute(update(PlanDevice).where(PlanDevice.id == row).values(device_id=device))
    assert cli("plan", "approve", str(first)).exit_code == 0
    ships = json.loads(cli("ship", "create", str(first), "--json").stdout)
    assert cli("ship", "send", ships[0]["shipment"]).exit_code == 0
    assert cli("ship", "install", ships[0]["shipment"]).exit_code == 0
    assert cli("ship", "in-service", ships[0]["shipment"]).exit_code == 0  # the first plan is carried out
    r = cli("plan", "approve", str(second), "--lang", "en")
    assert r.exit_code == 4 and f"Plan {second} sends 2 indoor APs to LP-W1, which now awaits only 0" in r.stderr


@pytest.mark.usefixtures("venues")
def test_six_ghz_aps_need_multigigabit_ports_and_the_plan_says_what_to_buy(cli, tmp_path):
    _ready_aps(cli, tmp_path, [f"FOC0006E{i:03d}" for i in range(6)], model="CW9166I")
    _sites(cli, tmp_path, "LP-6E,Six,office,Nantes,47.2,-1.55,1\n", "LP-6E,z,open_office,900,5,\n")
    _ready_aps(cli, tmp_path, [f"FOC0006S{i:03d}" for i in range(2)], model="C9300-48P")
    created = json.loads(cli("plan", "create", "--json").stdout)
    plan = json.loads(cli("plan", "show", str(created["plan"]), "--json").stdout)
    row = next(r for r in plan["switch_needs"] if r["site"] == "LP-6E")
    assert plan["assigned"] >= 1 and row["mgig_ports"] == plan["assigned"]  # every 6E AP placed
    assert row["mgig_unserved"] == row["mgig_ports"] and plan["switches"]["mgig_unserved"] == row["mgig_ports"]
    closets = plan["switch_closets"]["LP-6E"]
    assert sum(c["mgig_ports"] for c in closets) == row["mgig_ports"] and all(c["stacks"] >= 1 for c in closets)
