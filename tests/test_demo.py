"""The demo plays the scenario end to end, the same way for the same seed."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from reemploi.cli.app import app


def run(tmp_path, name, seed=7):  # type: ignore[no-untyped-def]
    r = CliRunner().invoke(
        app, ["demo", "--out", str(tmp_path / name), "--seed", str(seed), "--aps", "300", "--switches", "80", "--json"],
        env={"REEMPLOI_LANG": "en"},
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_demo_runs_collection_and_reception_end_to_end(tmp_path):
    d = run(tmp_path, "a")
    assert d["venues"] == 42
    assert d["imported"] == 380 and d["rejected"] == d["export_rows"] - 380 > 0
    rec = d["reconciliation"]
    assert rec["expected"] == 380 - d["lost_at_takedown"]
    assert rec["matched"] + rec["missing"] == rec["expected"]
    assert d["found_again"] == rec["unexpected"]
    total = sum(sum(k.values()) for k in d["by_state"].values())
    assert total == 380
    # Every received device went through the bench: ready for reuse, or recycled.
    assert set(d["by_state"]) <= {"ready", "in_service", "recycled", "lost"}
    lost = sum(d["by_state"].get("lost", {}).values())
    assert lost == d["lost_at_takedown"] + rec["missing"] - rec["unexpected"]
    ready = sum(d["by_state"].get("ready", {}).values()) + sum(d["by_state"].get("in_service", {}).values())
    assert d["bench"]["ready"] == ready and d["bench"]["not_ready"] == 0
    assert d["bench"]["recycled"] == sum(d["by_state"].get("recycled", {}).values())
    assert d["bench"]["tests"] >= rec["matched"] + rec["unexpected"]
    assert sum(n for g, n in d["by_grade"].items() if g in ("A", "B")) == ready
    assert 0.5 < d["ready_rate"]["ap"] <= 1 and 0.5 < d["ready_rate"]["switch"] <= 1
    # The destination sites and their needs (allocation comes with the planning issue).
    assert 60 <= d["sites"] <= 150 and d["needs"]["indoor"] > 0 and d["needs"]["outdoor"] > 0
    # The Maison de l'Innovation is designed from its floor plans: the design is its need.
    ds = d["design"]
    assert ds["site"] == "LP-NTE-MDI" and ds["floors"] == 7 and ds["aps"] == ds["need"] > 0
    assert ds["coverage_share"] >= 0.95 and ds["estimate"] > 0
    assert (tmp_path / "a" / "plans" / "maison-de-l-innovation.geojson").exists()
    p = d["plan"]
    aps_needed = sum(n for k, n in d["needs"].items() if k != "switch")
    assert p["optimal"] and p["assigned"] + p["unmet"] == p["needed"] == aps_needed
    assert d["needs"]["switch"] > 0 and p["switches"]["needed"] > 0 and p["closets"] > 0
    assert p["transport_kgco2e"] <= p["greedy"]["transport_kgco2e"] + 1e-9
    in_service = d["by_state"].get("in_service", {})
    assert in_service.get("indoor_ap", 0) + in_service.get("outdoor_ap", 0) == p["assigned"]  # and their switches
    assert in_service.get("switch", 0) > 0
    assert 0 < p["shipments"] <= d["sites"] and p["boxes"] >= p["shipments"] and p["pallets"] >= 1
    assert d["audit_ok"] is True and d["audit_events"] > 380 * 4
    assert (tmp_path / "a" / "reemploi-demo.db").exists()
    assert (tmp_path / "a" / "inventaire-terrain-jop2024.rejects.csv").exists()


def test_same_seed_same_demo_other_seed_other_demo(tmp_path):
    a, b, c = run(tmp_path, "a"), run(tmp_path, "b"), run(tmp_path, "c", seed=8)
    keys = ("export_rows", "imported", "rejected", "lots", "lost_at_takedown", "reconciliation", "by_state", "bench",
            "by_grade", "sites", "needs", "plan")  # fmt: skip
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    same = ("aps", "coverage_share", "estimate", "naive_grid")
    assert {k: a["design"][k] for k in same} == {k: b["design"][k] for k in same}
    assert (tmp_path / "a" / "inventaire-terrain-jop2024.csv").read_bytes() == (
        tmp_path / "b" / "inventaire-terrain-jop2024.csv"
    ).read_bytes()
    assert {k: a[k] for k in keys} != {k: c[k] for k in keys}


def test_ready_rates_follow_the_scenario_parameters(tmp_path):
    """The rates are outcomes of the fault parameters, not numbers written in: worse
    hardware gives fewer ready devices."""
    from reemploi.demo.service import DemoParams, create_demo

    base = create_demo(tmp_path / "base", DemoParams(seed=3, aps=400, switches=150))
    worse = create_demo(
        tmp_path / "worse",
        DemoParams(seed=3, aps=400, switches=150, dead={"ap": 0.3, "switch": 0.5}),
    )
    assert worse.ready_rate["ap"] < base.ready_rate["ap"] - 0.15
    assert worse.ready_rate["switch"] < base.ready_rate["switch"] - 0.2
