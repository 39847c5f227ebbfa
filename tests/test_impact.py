"""Impact accounting: factor sets, the method worked by hand, Monte Carlo, indicators, the command."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from reemploi.impact import factors
from reemploi.impact.factors import REQUIRED_KEYS, parse
from reemploi.impact.ledger import Ledger
from reemploi.impact.method import draw, fold, select_factors
from reemploi.impact.service import compute_from

SETTINGS = {"target_reuse_ap": 0.9, "target_reuse_switch": 0.78, "attribution_source_share": 0.4}


def factor_file(values: dict[str, float], *, version: str = "t1", dist: dict[str, str] | None = None) -> bytes:
    """A factor set: the required keys at 1.0 unless given, all fixed unless ``dist`` says otherwise."""
    dist = dist or {}
    lines = ['[meta]\nname = "test"\nversion = "' + version + '"\n']
    for key in sorted(set(REQUIRED_KEYS) | set(values)):
        value = values.get(key, 1.0)
        spec = dist.get(key, "fixed")
        lines.append(f'[[factor]]\nkey = "{key}"\nvalue = {value}\nunit = "u"\ndistribution = "{spec}"\n')
        if spec != "fixed":
            lines.append(f"low = {value / 2}\nhigh = {value * 2}\n")
        group = "g_embodied" if key.startswith("embodied.") else ""
        lines.append(f'source = "test"\nyear = 2024\nquality = "estimate"\ngroup = "{group}"\n')
    return "".join(lines).encode()


def load_bytes(data: bytes):  # type: ignore[no-untyped-def]
    fs, problems = parse(data, "test.toml")
    assert fs is not None, problems
    return fs


def two_devices() -> Ledger:
    """Two routes of one device each: A1 with a known site, B2 whose site has no coordinates."""
    return Ledger(
        model=["C9130AXI", "C9130AXI"], kind=["indoor_ap", "indoor_ap"],
        venue=["V", "V"], centre=["C", "C"], site=["S", None], n=np.array([1.0, 1.0]),
        km_collect=np.array([100.0, 100.0]), km_deliver=np.array([300.0, math.nan]),
        parts_kg=np.array([0.1, 0.0]), second_life_years=np.array([5.0, 5.0]), horizon_years=5.0,
        fleet={"in_service": {"indoor_ap": {"C9130AXI": 2}}, "recycled": {"indoor_ap": {"C9130AXI": 1}},
               "lost": {"switch": {"C9300-48P": 1}}},
    )  # fmt: skip


HAND = {
    "embodied.C9130AXI": 40.0, "mass.C9130AXI": 1.5, "life.new_years.indoor_ap": 8.0, "refurb.bench_kwh": 0.2,
    "grid.FR": 0.05, "parts.kgco2e_per_kg": 20.0, "packaging.kgco2e_per_unit": 0.5, "transport.road_tkm": 0.1,
    "transport.road_factor": 1.25, "transport.fallback_km": 400.0, "use.extra_power_w.indoor_ap": 1.0,
}  # fmt: skip


def test_a_small_scenario_matches_the_totals_worked_by_hand():
    """Two C9130AXI in service, second life 5 years, new equipment lives 8: ratio 5/8 = 0.625.

    Per device, embodied avoided 40 x 0.625 = 25; bench 0.2 kWh x 0.05 = 0.01; packaging 0.5;
    use phase 1 W x 8.76 kWh/W-year x 5 years x 0.05 = 2.19.
    A1: parts 0.1 kg x 20 = 2; transport 1.5 kg / 1000 x (100 + 300) x 1.25 x 0.1 = 0.075;
        avoided 25 - 0.01 - 2 - 0.5 - 0.075 - 2.19 = 20.225 kgCO2e.
    B2: no site coordinates, so its delivery leg is counted at the fallback 400 km:
        transport 1.5 / 1000 x (100 x 1.25 + 400) x 0.1 = 0.07875;
        avoided 25 - 0.01 - 0 - 0.5 - 0.07875 - 2.19 = 22.22125 kgCO2e.
    Total 42.44625 kgCO2e = 0.04244625 tCO2e; attribution 40 % source = 0.0169785 t.
    E-waste deferred 2 x 1.5 = 3 kg; lifetime extension 2 x 5 = 10 device-years.
    Reuse rate of APs: 2 in service of 3 taken down = 0.666667; by mass the same (one model).
    """
    fs = load_bytes(factor_file(HAND))
    r = compute_from(two_devices(), fs, draws=1000, seed=1, settings_values=SETTINGS).data
    net = r["net_avoided_tco2e"]
    assert net["value"] == pytest.approx(0.04244625, abs=1e-9)
    assert net["p5"] == net["p50"] == net["p95"] == net["value"]  # every factor fixed: no spread
    terms = r["terms_tco2e"]
    assert terms["embodied"]["value"] == pytest.approx(0.050, abs=1e-12)
    assert terms["parts"]["value"] == pytest.approx(0.002, abs=1e-12)
    assert terms["transport"]["value"] == pytest.approx(0.00015375, abs=1e-12)
    assert terms["use_phase"]["value"] == pytest.approx(0.00438, abs=1e-12)
    assert r["attribution"]["source_tco2e"] == pytest.approx(0.0169785, abs=1e-9)
    assert r["ewaste_avoided_kg"]["value"] == 3.0
    assert r["lifetime_extension"]["device_years"] == 10.0
    assert r["reuse_rate"]["ap"]["count"] == pytest.approx(2 / 3, abs=1e-6)
    assert r["reuse_rate"]["ap"]["mass"] == pytest.approx(2 / 3, abs=1e-6)
    assert r["reuse_rate"]["ap"]["met"] is False and r["reuse_rate"]["switch"]["count"] == 0.0
    assert r["fallback_legs"] == 1
    from reemploi.impact.method import device_avoided

    assert device_avoided(fs, "C9130AXI", "indoor_ap", 100.0, 300.0, 0.1, 5.0) == pytest.approx(20.225, abs=1e-9)
    assert device_avoided(fs, "C9130AXI", "indoor_ap", 100.0, math.nan, 0.0, 5.0) == pytest.approx(22.22125,
                                                                                                 abs=1e-9)  # fmt: skip
    # the same two devices as one route of two give the same totals
    one = two_devices()
    one.model, one.kind, one.venue, one.centre, one.site = ["C9130AXI"], ["indoor_ap"], ["V"], ["C"], ["S"]
    one.n, one.km_collect, one.km_deliver = np.array([2.0]), np.array([100.0]), np.array([300.0])
    one.parts_kg, one.second_life_years = np.array([0.1]), np.array([5.0])
    both = compute_from(one, fs, draws=1000, seed=1, settings_values=SETTINGS).data
    assert both["net_avoided_tco2e"]["value"] == pytest.approx(0.020225 + 0.025 - 0.01e-3 - 0.5e-3 - 0.075e-3
                                                                - 2.19e-3, abs=1e-9)  # fmt: skip


def test_same_inputs_and_seed_give_identical_figures_and_a_changed_factor_changes_the_stamp():
    spread = {k: "triangular" for k in HAND}
    fs = load_bytes(factor_file(HAND, dist=spread))
    a = compute_from(two_devices(), fs, draws=5000, seed=7, settings_values=SETTINGS).data
    b = compute_from(two_devices(), fs, draws=5000, seed=7, settings_values=SETTINGS).data
    assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
    c = compute_from(two_devices(), fs, draws=5000, seed=8, settings_values=SETTINGS).data
    assert c["net_avoided_tco2e"]["p5"] != a["net_avoided_tco2e"]["p5"]
    assert c["input_hash"] == a["input_hash"]  # the seed is in the stamp, not in the input hash
    changed = load_bytes(factor_file({**HAND, "grid.FR": 0.06}, dist=spread))
    d = compute_from(two_devices(), changed, draws=5000, seed=7, settings_values=SETTINGS).data
    assert d["stamp"]["factor_set"]["sha256"] != a["stamp"]["factor_set"]["sha256"]
    assert d["net_avoided_tco2e"]["value"] != a["net_avoided_tco2e"]["value"]


def test_percentiles_bracket_the_spread_and_sensitivity_names_the_biggest_driver():
    spread = {"embodied.C9130AXI": "triangular", "transport.road_tkm": "uniform"}
    fs = load_bytes(factor_file(HAND, dist=spread))
    r = compute_from(two_devices(), fs, draws=10_000, seed=3, settings_values=SETTINGS).data
    net = r["net_avoided_tco2e"]
    assert net["p5"] < net["p50"] < net["p95"]
    # embodied 20..80 per device dominates a transport factor worth 0.0002 t in all
    assert r["sensitivity"][0]["driver"] == "g_embodied"
    assert r["sensitivity"][0]["rank_correlation"] > 0.95
    assert r["sensitivity"][0]["low"] < net["value"] < r["sensitivity"][0]["high"]


def test_factors_of_one_group_are_drawn_together():
    led = two_devices()
    led.model[1] = "C9120AXI"
    fs = load_bytes(factor_file({**HAND, "embodied.C9120AXI": 30.0},
                                dist={"embodied.C9130AXI": "triangular", "embodied.C9120AXI": "uniform"}))  # fmt: skip
    used = select_factors(fs, fold(led))
    values, _, names = draw(used, 2000, seed=5)
    assert names == ["g_embodied"]  # one driver for both: their errors add up, never cancel
    a, b = values["embodied.C9130AXI"], values["embodied.C9120AXI"]
    assert (np.argsort(a) == np.argsort(b)).all()


def test_a_model_without_its_own_factor_takes_its_kinds_default_and_says_so():
    led = two_devices()
    led.model = ["MYSTERY-AP", "MYSTERY-AP"]
    r = compute_from(led, load_bytes(factor_file(HAND)), draws=1000, seed=1, settings_values=SETTINGS).data
    assert r["defaulted_models"] == ["MYSTERY-AP"]
    assert r["terms_tco2e"]["embodied"]["value"] == pytest.approx(2 * 1.0 * 0.625 / 1000)


def test_the_shipped_factor_set_is_valid_and_every_factor_has_a_source():
    fs = factors.load()
    assert fs.version and len(fs.digest) == 64
    for f in fs.factors.values():
        assert f.source and f.quality and 1990 <= f.year <= 2100
        assert f.low <= f.value <= f.high
    # every catalog model has its own embodied and mass factors
    import csv

    from reemploi.catalog.service import default_catalog_path

    with default_catalog_path().open(encoding="utf-8") as fh:
        models = [row["model"] for row in csv.DictReader(fh)]
    assert len(models) >= 14
    for model in models:
        row = {"model": model}
        assert f"embodied.{row['model']}" in fs.factors and f"mass.{row['model']}" in fs.factors


def test_factors_validate_lists_every_problem_with_where_and_why(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[meta]\nname = "x"\n'
        '[[factor]]\nkey = "grid.FR"\nvalue = "lots"\nunit = "kg"\ndistribution = "fixed"\nsource = "s"\n'
        'year = 2024\nquality = "good"\n'
        '[[factor]]\nkey = "refurb.bench_kwh"\nvalue = 9\nunit = "kWh"\ndistribution = "uniform"\nlow = 1\n'
        'high = 2\nsource = "s"\nyear = 2024\nquality = "estimate"\n'
        '[[factor]]\nkey = "grid.FR"\nvalue = 1\nunit = "kg"\ndistribution = "fixed"\nsource = "s"\n'
        'year = 1700\nquality = "estimate"\n'
    )  # fmt: skip
    r = cli("factors", "validate", str(bad), db=False)
    assert r.exit_code == 2
    assert "meta, field version" in r.output
    assert "line 3, #1 (grid.FR), field value: 'lots' is not a number" in r.output
    assert "line 3, #1 (grid.FR), field quality" in r.output
    assert "line 11, #2 (refurb.bench_kwh), field value: value 9.0 is outside [1.0, 2.0]" in r.output
    # a repeated key is reported even when the repeat has problems of its own
    assert "line 21, #3 (grid.FR), field year" in r.output
    assert "line 21, #3 (grid.FR), field key: key already given to factor #1" in r.output
    r = cli("factors", "validate", str(bad), "--json", db=False)
    assert json.loads(r.stdout)["valid"] is False and len(json.loads(r.stdout)["problems"]) == 6
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\nname=")
    r = cli("factors", "validate", str(broken), db=False)
    assert r.exit_code == 2 and "unreadable TOML" in r.output
    assert cli("factors", "validate", str(tmp_path / "none.toml"), db=False).exit_code == 2
    good = tmp_path / "good.toml"
    good.write_bytes(factor_file(HAND))
    r = cli("factors", "validate", str(good), db=False)
    assert r.exit_code == 0 and "valid factor set, test t1" in r.output


def test_factors_list_and_show(cli):
    r = cli("factors", "list", "--json", db=False)
    data = json.loads(r.stdout)
    assert r.exit_code == 0 and any(f["key"] == "grid.FR" for f in data["factors"])
    r = cli("factors", "show", "grid.FR", "--json", db=False)
    assert json.loads(r.stdout)["unit"] == "kgCO2e/kWh"
    r = cli("factors", "show", "grid.XX", db=False)
    assert r.exit_code == 3 and "Unknown factor: grid.XX" in r.output


def redeploy(cli, tmp_path, serials):  # type: ignore[no-untyped-def]
    """Devices received at REFURB-IDF, tested, wiped, ready, planned to a Lyon site, installed."""
    (tmp_path / "d.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in serials)
    )
    assert cli("devices", "import", str(tmp_path / "d.csv")).exit_code == 0
    cli("refurb", "test", *serials, "--firmware", "17.9.4")
    cli("refurb", "sanitize", *serials, "--method", "reimage", "--verifier", "v")
    assert cli("move", "--to", "ready", *serials).exit_code == 0
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon,priority\nLP-T2,T2,office,Lyon,45.76,4.84,1\n")
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-T2,z,open_office,20000,40\n")
    cli("sites", "import", str(tmp_path / "s.csv"))
    cli("zones", "import", str(tmp_path / "z.csv"))
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    assert cli("plan", "approve", str(plan)).exit_code == 0
    code = json.loads(cli("ship", "create", str(plan), "--json").stdout)[0]["shipment"]
    assert cli("ship", "send", code).exit_code == 0
    assert cli("ship", "install", code).exit_code == 0


@pytest.mark.usefixtures("venues")
def test_impact_command_prints_the_documented_json(cli, tmp_path):
    r = cli("impact", "--json")
    assert r.exit_code == 0
    empty = json.loads(r.stdout)
    assert empty["redeployed_devices"] == 0 and empty["net_avoided_tco2e"]["value"] == 0.0
    redeploy(cli, tmp_path, [f"FOC0000I{i:03d}" for i in range(6)])
    r = cli("impact", "--json", "--draws", "2000")
    d = json.loads(r.stdout)
    assert {"reuse_rate", "net_avoided_tco2e", "ewaste_avoided_kg", "factor_set", "method_version",
            "input_hash"} <= set(d)  # fmt: skip
    assert set(d["net_avoided_tco2e"]) >= {"p5", "p50", "p95", "value", "unit"}
    assert d["redeployed_devices"] == 6 and d["reuse_rate"]["ap"]["count"] == 1.0
    assert d["net_avoided_tco2e"]["p5"] < d["net_avoided_tco2e"]["value"] < d["net_avoided_tco2e"]["p95"]
    # received at the refurbishment centre near Paris, installed in Lyon: ~390 km great circle
    assert d["ewaste_avoided_kg"]["value"] == pytest.approx(6 * 1.45)
    assert json.loads(cli("impact", "--json", "--draws", "2000").stdout) == d  # same everything, same figures
    r = cli("impact", lang="fr")
    assert r.exit_code == 0 and "Émissions évitées nettes" in r.output and "hors scopes 1-3" in r.output


@pytest.mark.usefixtures("venues")
def test_impact_refuses_bad_options_clearly(cli, tmp_path):
    r = cli("impact", "--draws", "10")
    assert r.exit_code == 2 and "Number of draws 10 outside [1000, 1000000]" in r.output
    bad = tmp_path / "bad.toml"
    bad.write_text('[meta]\nname = "x"\nversion = "1"\n[[factor]]\nkey = "grid.FR"\n')
    r = cli("impact", "--factors", str(bad))
    assert r.exit_code == 2 and "factors validate" in r.output
    r = cli("impact", "--factors", str(tmp_path / "missing.toml"))
    assert r.exit_code == 2 and "File not found" in r.output


@pytest.mark.usefixtures("venues")
def test_report_in_three_formats_self_contained_and_in_both_languages(cli, tmp_path):
    import shutil
    import subprocess

    from openpyxl import load_workbook

    redeploy(cli, tmp_path, [f"FOC0000J{i:03d}" for i in range(4)])
    for lang, title in (("fr", "Réemploi des équipements réseau"), ("en", "Network equipment reuse")):
        out = tmp_path / f"rep-{lang}"
        r = cli("report", "--out", str(out), "--lang", lang, "--draws", "2000", "--json", lang=lang)
        assert r.exit_code == 0, r.output
        files = json.loads(r.stdout)["files"]
        assert set(files) == {"html", "pdf", "xlsx"}
        html = open(files["html"], encoding="utf-8").read()
        assert title in html and "<svg" in html
        # self-contained: no script, stylesheet, image or font fetched from anywhere
        for needle in ("<script", "<link", "src=\"http", "url(http", "@import"):
            assert needle not in html, needle
        pdf = open(files["pdf"], "rb").read()
        assert pdf.startswith(b"%PDF") and b"/Type /Page" in pdf
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-r", "30", "-png", files["pdf"], str(out / "page")], check=True)
            assert len(list(out.glob("page-*.png"))) >= 3
        wb = load_workbook(files["xlsx"], read_only=True)
        ledger = wb[wb.sheetnames[-2]]
        rows = list(ledger.iter_rows(values_only=True))
        assert len(rows) == 1 + 4 and rows[1][0].startswith("FOC0000J")
    assert "Émissions évitées nettes" in open(tmp_path / "rep-fr" / "rapport-impact-fr.html", encoding="utf-8").read()


@pytest.mark.usefixtures("venues")
def test_report_refuses_bad_options_clearly(cli, tmp_path):
    r = cli("report", "--format", "html,docx", "--out", str(tmp_path / "r"))
    assert r.exit_code == 2 and "Unknown format(s): docx (formats: html, pdf, xlsx)" in r.output
    (tmp_path / "file").write_text("x")
    r = cli("report", "--out", str(tmp_path / "file"), "--format", "html")
    assert r.exit_code == 2 and "is not a folder" in r.output
    assert not (tmp_path / "r").exists()


def test_the_demo_ends_with_the_impact_report(tmp_path):
    from typer.testing import CliRunner

    from reemploi.cli.app import app

    r = CliRunner().invoke(app, ["demo", "--out", str(tmp_path / "d"), "--aps", "300", "--switches", "80",
                                 "--lang", "en"])  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "Net avoided emissions:" in r.output and "Impact report:" in r.output
    summary = json.loads((tmp_path / "d" / "summary.json").read_text())
    files = summary["files"]
    for key in ("report_html", "report_pdf", "report_xlsx"):
        assert files[key] in r.output or key != "report_html"
        assert (tmp_path / "d" / "rapport").joinpath(files[key].rsplit("/", 1)[-1]).exists()
    net = summary["impact"]["net_avoided_tco2e"]
    assert 0 < net["p5"] < net["value"] < net["p95"]
    assert summary["impact"]["reuse_rate"]["ap"]["count"] > 0.8


def test_abiotic_depletion_only_when_every_model_has_a_factor():
    """ADPe avoided = 2 devices x 0.002 kg Sb eq x 5/8 = 0.0025 kg Sb eq."""
    fs = load_bytes(factor_file(HAND))
    plain = compute_from(two_devices(), fs, draws=1000, seed=1, settings_values=SETTINGS).data
    assert plain["abiotic_depletion"] is None
    with_adpe = factor_file(HAND) + (b'[[factor]]\nkey = "adpe.C9130AXI"\nvalue = 0.002\nunit = "kgSbeq/unit"\n'
                                     b'distribution = "uniform"\nlow = 0.001\nhigh = 0.004\nsource = "test"\n'
                                     b'year = 2024\nquality = "estimate"\n')  # fmt: skip
    r = compute_from(two_devices(), load_bytes(with_adpe), draws=4000, seed=1, settings_values=SETTINGS).data
    a = r["abiotic_depletion"]
    assert a["value"] == pytest.approx(0.0025) and a["unit"] == "kgSbeq"
    assert 0.00125 < a["p5"] < a["p50"] < a["p95"] < 0.005
