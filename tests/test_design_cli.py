"""The site design from the command line: plans in, a design out, a survey calibrating it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from reemploi.demo.building import Block, office_floor, to_geojson

SITE = "code,name,kind,city,lat,lon,controller_vendor\nLP-TST,Site de test,office,Nantes,47.2,-1.55,Cisco\n"


@pytest.fixture
def site(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    (tmp_path / "sites.csv").write_text(SITE)
    assert cli("sites", "import", str(tmp_path / "sites.csv")).exit_code == 0
    floors = [office_floor("R", 0.0, 4.0, Block(40, 24, 10, 6, 2, 4), occupants=60),
              office_floor("R+1", 4.0, 3.6, Block(40, 24, 10, 6, 2, 4), occupants=60)]  # fmt: skip
    (tmp_path / "plan.geojson").write_text(json.dumps(to_geojson(floors)))
    return tmp_path


def _design(cli) -> dict:  # type: ignore[no-untyped-def, type-arg]
    r = cli("design", "run", "LP-TST", "--json", "--time-limit", "20")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_a_site_without_a_plan_is_told_how_to_get_one(cli, site) -> None:  # type: ignore[no-untyped-def]
    r = cli("design", "run", "LP-TST", lang="fr")
    assert r.exit_code == 2
    assert "n'a pas de plan" in r.output and "reemploi floors import LP-TST" in r.output


def test_floors_import_then_design_gives_the_json_the_issue_promises(cli, site) -> None:  # type: ignore[no-untyped-def]
    r = cli("floors", "import", "LP-TST", str(site / "plan.geojson"), "--json")
    assert r.exit_code == 0, r.output
    imported = json.loads(r.stdout)
    assert [f["floor"] for f in imported["floors"]] == ["R", "R+1"]
    assert imported["floors"][1]["elevation_m"] == 4.0
    d = _design(cli)
    assert d["site"] == "LP-TST" and d["version"] == 1 and d["target_dbm"] == -67.0
    assert set(d["model"]) >= {"name", "alpha", "beta", "gamma", "frequency_ghz", "floor_loss_db"}
    assert d["aps_total"] == sum(f["aps_total"] for f in d["floors"]) >= 6  # 120 people at 25 a piece: 6 at least
    for f in d["floors"]:
        assert set(f) >= {"floor", "coverage_share", "aps", "walls"}
        assert f["coverage_share"] >= 0.95
        for a in f["aps"]:
            assert set(a) >= {"name", "x_m", "y_m", "z_m", "model", "band", "eirp_dbm"}
            assert a["eirp_dbm"] <= {"2.4": 20, "5": 23, "6": 23}[a["band"]]  # ETSI caps
    assert cli("design", "run", "LP-TST", "--json", "--time-limit", "20").exit_code == 0
    assert json.loads(cli("design", "show", "LP-TST", "--json").stdout)["version"] == 2


def test_the_design_is_the_sites_need_and_sites_without_one_stay_estimates(cli, site) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    (site / "zones.csv").write_text("site,zone,environment,area_m2,occupants\nLP-TST,bureaux,open_office,1500,120\n")
    assert cli("zones", "import", str(site / "zones.csv")).exit_code == 0
    before = json.loads(cli("needs", "list", "--json").stdout)
    row = next(r for r in before if r["site"] == "LP-TST" and r["class"] == "indoor")
    assert row["basis"] == "estimate"
    d = _design(cli)
    after = json.loads(cli("needs", "list", "--json").stdout)
    row = next(r for r in after if r["site"] == "LP-TST" and r["class"] == "indoor")
    assert (row["basis"], row["computed"], row["design_version"]) == ("design", d["aps_total"], 1)
    assert "design v1" in row["driver"]


def test_a_plan_without_units_is_refused_and_nothing_is_imported(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ezdxf

    doc = ezdxf.new()
    doc.header["$INSUNITS"] = 0
    doc.modelspace().add_line((0, 0), (1000, 0), dxfattribs={"layer": "CLOISON"})
    doc.saveas(tmp_path / "plan.dxf")
    r = cli("floors", "import", "LP-TST", str(tmp_path / "plan.dxf"), lang="fr")
    assert r.exit_code == 2 and "--scale" in r.output
    assert json.loads(cli("floors", "list", "LP-TST", "--json").stdout) == []
    r = cli("floors", "import", "LP-TST", str(tmp_path / "plan.dxf"), "--scale", "0.01", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["floors"][0]["walls"] == 1


def test_a_survey_calibrates_the_model_and_predict_uses_it(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    (tmp_path / "aps.csv").write_text("name,floor,x_m,y_m,z_m,model,eirp_dbm\nAP-A,R,8,6,3,C9130AXI,18\n"
                                      "AP-B,R,32,18,3,C9130AXI,18\n")  # fmt: skip
    r = cli("aps", "import", "LP-TST", str(tmp_path / "aps.csv"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["created"] == 2
    # a survey made by a building whose distance exponent is 3.2 (not the default 2.46), through its walls
    from reemploi.design.engine import floor_walls
    from reemploi.design.materials import default_materials
    from reemploi.design.propagation import PathLossModel, path_loss

    plan = office_floor("R", 0.0, 4.0, Block(40, 24, 10, 6, 2, 4), occupants=60)
    fw = floor_walls(plan, "5", default_materials())
    truth = PathLossModel("truth", 3.2, 29.53, 2.38, 20.0)
    rng = np.random.default_rng(3)
    pts = rng.uniform([1, 1], [39, 23], (300, 2))
    rows = []
    for ap, (ax, ay) in {"AP-A": (8, 6), "AP-B": (32, 18)}.items():
        loss = path_loss(pts, 1.0, (ax, ay, 3.0), 5.5, truth, fw.walls, fw.loss_db)
        rssi = 18 - loss + rng.normal(0, 1.5, len(pts))
        rows += [
            ["R", f"{x:.2f}", f"{y:.2f}", ap, f"{r:.1f}", "5"] for (x, y), r in zip(pts, rssi, strict=True) if r >= -90
        ]  # what a survey tool records: nothing below its noise floor
    rows.append(["R", "5", "5", "AP-NOPE", "-60", "5"])
    with (tmp_path / "survey.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["floor", "x_m", "y_m", "ap", "rssi_dbm", "band"])
        w.writerows(rows)
    r = cli("survey", "import", "LP-TST", str(tmp_path / "survey.csv"), "--json")
    assert r.exit_code == 1  # one row rejected: the unknown AP, kept in the rejects file
    out = json.loads(r.stdout)
    assert (out["created"], out["rejected"]) == (len(rows) - 1, 1)
    assert "AP-NOPE" in Path(out["rejects_file"]).read_text(encoding="utf-8-sig")
    r = cli("design", "calibrate", "LP-TST", "--json")
    assert r.exit_code == 0, r.output
    fit = json.loads(r.stdout)
    assert fit["model"]["alpha"] == pytest.approx(3.2, abs=0.2)
    assert fit["test"]["rmse_db"] == pytest.approx(1.5, abs=0.4)
    assert fit["test"]["rmse_db"] < fit["before"]["test"]["rmse_db"]
    (tmp_path / "points.csv").write_text("floor,x_m,y_m\nR,10,6\nR+1,10,6\n")
    r = cli("design", "predict", "LP-TST", "--points", str(tmp_path / "points.csv"), "--json")
    assert r.exit_code == 0, r.output
    pred = json.loads(r.stdout)
    assert [p["floor"] for p in pred["points"]] == ["R", "R+1"]
    a_near = pred["points"][0]["rssi_dbm"]["AP-A"]
    assert a_near > pred["points"][1]["rssi_dbm"]["AP-A"]  # a floor slab in between
    assert pred["model"]["alpha"] == pytest.approx(fit["model"]["alpha"], abs=1e-3)


def test_heatmaps_are_written_per_floor_and_band(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    _design(cli)
    r = cli("design", "heatmap", "LP-TST", "--out", str(tmp_path / "maps"), "--band", "5", "--band", "2.4", "--json")
    assert r.exit_code == 0, r.output
    files = json.loads(r.stdout)["files"]
    assert len(files) == 4 and all(Path(f).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for f in files)


def test_the_design_pdf_is_written_once_and_replaced_only_when_asked(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    _design(cli)
    target = tmp_path / "design.pdf"
    r = cli("design", "pdf", "LP-TST", "--out", str(target), lang="fr")
    assert r.exit_code == 0 and target.read_bytes()[:5] == b"%PDF-"
    r = cli("design", "pdf", "LP-TST", "--out", str(target))
    assert r.exit_code == 2 and "--replace" in r.output
    assert cli("design", "pdf", "LP-TST", "--out", str(target), "--replace").exit_code == 0


def test_outdoor_areas_of_the_plan_size_the_outdoor_need(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    floors = [office_floor("R", 0.0, 4.0, Block(40, 24, 10, 6, 2, 4, forecourt_m=30), occupants=60, ground=True)]
    (tmp_path / "yard.geojson").write_text(json.dumps(to_geojson(floors)))
    assert cli("floors", "import", "LP-TST", str(tmp_path / "yard.geojson")).exit_code == 0
    (tmp_path / "zones.csv").write_text("site,zone,environment,area_m2,occupants\nLP-TST,cour,outdoor,90000,10\n")
    assert cli("zones", "import", str(tmp_path / "zones.csv")).exit_code == 0
    d = _design(cli)
    assert d["outdoor_aps"] >= 1 and d["outdoor"]["coverage_share"] >= 0.95
    needs = {r["class"]: r for r in json.loads(cli("needs", "list", "--json").stdout) if r["site"] == "LP-TST"}
    assert (needs["outdoor"]["basis"], needs["outdoor"]["computed"]) == ("design", d["outdoor_aps"])
    assert (needs["indoor"]["basis"], needs["indoor"]["computed"]) == ("design", d["indoor_aps"])


# --- from a new user's trial -------------------------------------------------------------


def test_a_design_whose_floors_changed_is_no_longer_the_need(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    d = _design(cli)
    row = next(r for r in json.loads(cli("needs", "list", "--json").stdout) if r["site"] == "LP-TST")
    assert (row["basis"], row["computed"]) == ("design", d["indoor_aps"])
    assert cli("floors", "delete", "LP-TST", "R+1").exit_code == 0
    shown = json.loads(cli("design", "show", "LP-TST", "--json").stdout)
    assert shown["stale"] is True
    row = next(r for r in json.loads(cli("needs", "list", "--json").stdout) if r["site"] == "LP-TST")
    assert row["basis"] == "estimate"  # back to the rule of thumb, from the plan's zones
    r = cli("design", "pdf", "LP-TST", "--out", str(tmp_path / "x.pdf"), lang="fr")
    assert r.exit_code == 2 and "relancez `reemploi design run LP-TST`" in r.output
    assert not (tmp_path / "x.pdf").exists()
    assert cli("design", "heatmap", "LP-TST", "--out", str(tmp_path / "maps")).exit_code == 2


def test_no_two_aps_of_a_floor_are_closer_than_the_separation(cli, site) -> None:  # type: ignore[no-untyped-def]
    import math

    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    d = _design(cli)
    for f in d["floors"]:
        pos = {(a["name"], a["x_m"], a["y_m"]) for a in f["aps"]}
        pts = [(x, y) for _, x, y in pos]
        assert all(math.dist(p, q) >= 6.0 - 1e-6 for i, p in enumerate(pts) for q in pts[i + 1 :])


def test_design_options_are_checked_and_their_effect_reported(cli, site) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    assert cli("design", "run", "LP-TST", "--eirp", "7=20").exit_code == 2
    r = cli("design", "run", "LP-TST", "--eirp", "5=40", "--secondary", "0,9", "--coverage", "0,95", "--json",
            "--time-limit", "20")  # fmt: skip
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"code": "design_eirp_capped", "band": "5", "asked": 40.0, "limit": 23.0} in d["warnings"]
    assert d["secondary_share"] is not None and d["requirements"]["secondary_share"] == 0.9
    text = cli("design", "run", "LP-TST", "--coverage", "abc", lang="fr").output
    assert "« abc » n'est pas un nombre" in text


def test_geojson_walls_in_french_as_footprints_or_without_material(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"material": "béton"},
         "geometry": {"type": "LineString", "coordinates": [[0, 0], [30, 0]]}},
        {"type": "Feature", "properties": {"material": "CLOISON"},
         "geometry": {"type": "Polygon", "coordinates": [[[10, 0], [10.1, 0], [10.1, 20], [10, 20], [10, 0]]]}},
        {"type": "Feature", "properties": {},
         "geometry": {"type": "LineString", "coordinates": [[0, 20], [30, 20]]}},
        {"type": "Feature", "properties": {"zone": "open", "environment": "plateau ouvert", "occupants": 20},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [30, 0], [30, 20], [0, 20], [0, 0]]]}},
    ]}  # fmt: skip
    (tmp_path / "fr.geojson").write_text(json.dumps(doc))
    r = cli("floors", "import", "LP-TST", str(tmp_path / "fr.geojson"), lang="fr")
    assert r.exit_code == 2 and "--default-material" not in r.output  # the unmaterialled wall: refused, named
    r = cli("floors", "import", "LP-TST", str(tmp_path / "fr.geojson"), "--default-material", "drywall", "--json")
    assert r.exit_code == 0, r.output
    fl = json.loads(cli("floors", "list", "LP-TST", "--json").stdout)[0]
    assert fl["walls"] == 3  # the footprint: its two long sides are one wall, its end caps go with them
    plan = json.loads(r.stdout)
    assert any(n["code"] == "plan_faces_merged" for n in plan["notes"])
    d = _design(cli)
    mats = {w["material"] for w in d["floors"][0]["walls"]}
    assert {"concrete", "drywall"} <= mats  # béton, CLOISON read through the layer map
    bad = json.loads(json.dumps(doc).replace("plateau ouvert", "ballroom"))
    (tmp_path / "bad.geojson").write_text(json.dumps(bad))
    r = cli("floors", "import", "LP-TST", str(tmp_path / "bad.geojson"), "--default-material", "drywall")
    assert r.exit_code == 2 and "ballroom" in r.output and "open_office" in r.output


def test_a_sites_own_materials_and_a_french_layer_map(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ezdxf

    doc = ezdxf.new()
    doc.header["$INSUNITS"] = 6
    for layer, a, b in (
        ("PARPAING", (0, 0), (20, 0)),
        ("PARPAING", (20, 0), (20, 10)),
        ("VERRIERE", (0, 10), (20, 10)),
    ):
        doc.modelspace().add_line(a, b, dxfattribs={"layer": layer})
    doc.saveas(tmp_path / "p.dxf")
    (tmp_path / "map.csv").write_text("motif;matériau\nPARPAING*;parpaing\nVERR*;glass\n", encoding="utf-8")
    r = cli("floors", "import", "LP-TST", str(tmp_path / "p.dxf"), "--layer-map", str(tmp_path / "map.csv"))
    assert r.exit_code == 2 and "parpaing" in r.output and "--materials" in r.output
    (tmp_path / "mat.csv").write_text("matériau;perte_2_4_db;perte_5_db;perte_6_db\nparpaing;8,5;12;13\n",
                                      encoding="utf-8")  # fmt: skip
    r = cli("floors", "import", "LP-TST", str(tmp_path / "p.dxf"), "--layer-map", str(tmp_path / "map.csv"),
            "--materials", str(tmp_path / "mat.csv"), "--json")  # fmt: skip
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["floors"][0]["walls"] == 3
    d = _design(cli)
    walls = {w["material"]: w["loss_db"] for w in d["floors"][0]["walls"]}
    assert walls["parpaing"] == {"2.4": 8.5, "5": 12.0, "6": 13.0}
    r = cli("floors", "import", "LP-TST", str(tmp_path / "p.dxf"), "--layer-map", str(tmp_path / "nope.csv"))
    assert r.exit_code == 2 and "nope.csv" in r.output


def test_a_survey_imported_twice_is_counted_once_and_aps_are_checked(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    (tmp_path / "aps.csv").write_text("name,floor,x_m,y_m,z_m,model\nA,R,8,6,3,C9130AXI\nB,R,5000,6,3,C9130AXI\n"
                                      "C,R,10,10,3,NOPE-9000\n")  # fmt: skip
    r = cli("aps", "import", "LP-TST", str(tmp_path / "aps.csv"), "--json")
    out = json.loads(r.stdout)
    assert r.exit_code == 1 and (out["created"], out["rejected"]) == (1, 2)
    assert [a["name"] for a in json.loads(cli("aps", "list", "LP-TST", "--json").stdout)] == ["A"]
    (tmp_path / "s.csv").write_text(
        "floor,x_m,y_m,ap,rssi_dbm\n" + "".join(f"R,{x},5,A,-{50 + x}\n" for x in range(12))
    )
    first = json.loads(cli("survey", "import", "LP-TST", str(tmp_path / "s.csv"), "--json").stdout)
    again = json.loads(cli("survey", "import", "LP-TST", str(tmp_path / "s.csv"), "--json").stdout)
    assert (first["created"], again["created"], again["updated"]) == (12, 0, 12)
    fit = json.loads(cli("design", "calibrate", "LP-TST", "--json").stdout)
    assert fit["points"] == 12
    (tmp_path / "pts.csv").write_text("floor,x_m,y_m\nR,9,6\n")
    pred = json.loads(cli("design", "predict", "LP-TST", "--points", str(tmp_path / "pts.csv"), "--json").stdout)
    assert all(v is None or v >= -100 for p in pred["points"] for v in p["rssi_dbm"].values())


def test_a_site_with_plans_but_no_zones_file_gets_an_estimate_from_its_plans(cli, site) -> None:  # type: ignore[no-untyped-def]
    cli("floors", "import", "LP-TST", str(site / "plan.geojson"))
    row = next(r for r in json.loads(cli("needs", "list", "--json").stdout)
               if r["site"] == "LP-TST" and r["class"] == "indoor")  # fmt: skip
    assert row["basis"] == "estimate" and row["count"] > 0


def test_plans_without_zones_take_the_zones_files_occupants_and_say_so(cli, site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import ezdxf

    doc = ezdxf.new()
    doc.header["$INSUNITS"] = 6
    for a, b in (((0, 0), (50, 0)), ((50, 0), (50, 25)), ((50, 25), (0, 25)), ((0, 25), (0, 0))):
        doc.modelspace().add_line(a, b, dxfattribs={"layer": "BETON"})
    doc.saveas(tmp_path / "walls.dxf")
    assert cli("floors", "import", "LP-TST", str(tmp_path / "walls.dxf"), "--floor", "R").exit_code == 0
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-TST,plateau,open_office,1250,90\n")
    assert cli("zones", "import", str(tmp_path / "z.csv")).exit_code == 0
    d = _design(cli)
    assert d["capacity_min"] >= 4  # 90 people at 25 an AP, not the 0 of a plan without zones
    assert any(w["code"] == "design_zones_from_file" and w["people"] == 90 for w in d["warnings"])
    r = cli("design", "run", "LP-TST", "--time-limit", "20", lang="fr")
    assert "fichier de zones" in r.output
