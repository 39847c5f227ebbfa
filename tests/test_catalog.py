"""The catalog: the shipped models, aliases, and catalog imports."""

from __future__ import annotations

import csv
import json

import pytest

from reemploi.catalog.service import default_catalog_path, resolve
from reemploi.errors import UnknownModel

REQUIRED = {
    "C9120AXI": "indoor_ap", "C9130AXI": "indoor_ap", "C9136I": "indoor_ap", "CW9166I": "indoor_ap",
    "C9124AXE": "outdoor_ap", "MR46": "indoor_ap", "MR56": "indoor_ap", "MR86": "outdoor_ap",
    "AP-535": "indoor_ap", "AP-635": "indoor_ap", "AP-655": "indoor_ap", "AP-575": "outdoor_ap",
    "C9300-48P": "switch", "C9200L-24P-4G": "switch",
}  # fmt: skip


def test_default_catalog_has_the_required_models_with_impact_and_provenance(cli):
    models = {m["model"]: m for m in json.loads(cli("catalog", "list", "--json").stdout)}
    for name, kind in REQUIRED.items():
        m = models[name]
        assert m["kind"] == kind
        assert m["mass_kg"] and m["mass_quality"] in {"datasheet", "estimate", "vendor", "measured"}
        low, mid, high = m["embodied_low"], m["embodied_kgco2e"], m["embodied_high"]
        assert low < mid < high, name
        assert m["embodied_source"] and m["embodied_quality"] == "estimate"
        if kind != "switch":
            assert m["wifi_generation"] >= 6 and m["bands"].startswith("2.4/5")


@pytest.mark.parametrize(
    ("alias", "model"),
    [
        ("C9130AXI-E", "C9130AXI"),
        ("c9120axi-e", "C9120AXI"),
        ("C9136I-ROW", "C9136I"),
        ("  c9124axe-e ", "C9124AXE"),
        ("mr86", "MR86"),
    ],  # fmt: skip
)
def test_regional_skus_resolve_case_insensitively(session, alias, model):
    assert resolve(session, alias).model == model


def test_unknown_model_is_a_named_error(session):
    with pytest.raises(UnknownModel):
        resolve(session, "WRT54G")


def write_catalog(path, rows):  # type: ignore[no-untyped-def]
    header = default_catalog_path().read_text(encoding="utf-8").splitlines()[0].split(",")
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header)
        w.writeheader()
        for r in rows:
            w.writerow({"vendor": "Acme", "kind": "indoor_ap", "wifi_generation": "6", "bands": "2.4/5", **r})


def test_catalog_import_upserts_and_rejects(cli, tmp_path):
    good = {
        "model": "AX-1", "poe_class": "802.3at", "max_draw_w": "15", "max_draw_quality": "datasheet",
        "mass_kg": "0.9", "mass_quality": "estimate", "end_of_support": "2031-12-31", "embodied_kgco2e": "30",
        "embodied_low": "10", "embodied_high": "60", "embodied_source": "guess", "embodied_quality": "estimate",
        "aliases": "AX-1-EU|ax-1-us",
    }  # fmt: skip
    path = tmp_path / "cat.csv"
    write_catalog(
        path,
        [
            good,
            {"model": "AX-2", "kind": "toaster"},
            {"model": "AX-3", "end_of_support": "not-a-date"},
            {"model": "AX-4", "aliases": "C9130AXI-E"},
            {"model": "AX-5", "embodied_kgco2e": "50", "embodied_low": "60", "embodied_high": "70"},
        ],
    )
    r = cli("catalog", "import", str(path), "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 1
    assert (res["created"], res["rejected"]) == (1, 4)
    rejects = (tmp_path / "cat.rejects.csv").read_text(encoding="utf-8-sig")
    assert "toaster" in rejects and "not-a-date" in rejects and "C9130AXI" in rejects
    models = {m["model"]: m for m in json.loads(cli("catalog", "list", "--json").stdout)}
    assert models["AX-1"]["end_of_support"] == "2031-12-31"
    assert models["AX-1"]["max_draw_w"] == 15 and models["AX-1"]["max_draw_quality"] == "datasheet"
    assert sorted(models["AX-1"]["aliases"]) == ["AX-1-EU", "AX-1-US"]
    again = json.loads(cli("catalog", "import", str(path), "--json").stdout)
    assert again["unchanged"] == 1 and again["created"] == 0
    write_catalog(path, [{**good, "max_draw_w": "18"}])
    assert json.loads(cli("catalog", "import", str(path), "--json").stdout)["updated"] == 1


def test_init_is_idempotent_and_keeps_catalog(cli):
    first = json.loads(cli("init", "--json").stdout)
    second = json.loads(cli("init", "--json").stdout)
    assert first["catalog"]["created"] == 0  # the fixture already loaded it
    assert second["catalog"]["unchanged"] == first["catalog"]["unchanged"] >= len(REQUIRED)
