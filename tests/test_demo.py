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
    assert set(d["by_state"]) <= {"received", "lost"}
    lost = sum(d["by_state"].get("lost", {}).values())
    assert lost == d["lost_at_takedown"] + rec["missing"] - rec["unexpected"]
    assert d["audit_ok"] is True and d["audit_events"] > 380 * 4
    assert (tmp_path / "a" / "reemploi-demo.db").exists()
    assert (tmp_path / "a" / "inventaire-terrain-jop2024.rejects.csv").exists()


def test_same_seed_same_demo_other_seed_other_demo(tmp_path):
    a, b, c = run(tmp_path, "a"), run(tmp_path, "b"), run(tmp_path, "c", seed=8)
    keys = ("export_rows", "imported", "rejected", "lots", "lost_at_takedown", "reconciliation", "by_state")
    assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    assert (tmp_path / "a" / "inventaire-terrain-jop2024.csv").read_bytes() == (
        tmp_path / "b" / "inventaire-terrain-jop2024.csv"
    ).read_bytes()
    assert {k: a[k] for k in keys} != {k: c[k] for k in keys}
