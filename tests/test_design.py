"""Site design: propagation pinned against hand calculations, plan readers on real and broken
files, designs that meet their own target when re-predicted independently, calibration."""

from __future__ import annotations

import json
import math
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reemploi.design.calibrate import KnownAp, Measurement, calibrate
from reemploi.design.engine import floor_walls
from reemploi.design.materials import default_layer_map, default_materials, material_of_layer
from reemploi.design.plan import Area, Floor, Wall
from reemploi.design.propagation import P1238, PathLossModel, distance_loss, path_loss, wall_losses
from reemploi.design.readers import read_plan
from reemploi.design.run import ApChoice, Requirements, design
from reemploi.design.walls import merge_faces
from reemploi.errors import InvalidInput

PLANS = Path(__file__).parent / "data" / "plans"
FREE = PathLossModel()


# --- propagation against hand calculations ------------------------------------------------

def test_free_space_at_ten_metres_and_5_5_ghz() -> None:
    # 20·log10(10) + 20·log10(5.5) + 32.44 = 20 + 14.807 + 32.44
    assert float(distance_loss(10.0, 5.5, FREE)) == pytest.approx(67.247, abs=1e-3)


def test_p1238_office_coefficients_give_the_table_value() -> None:
    m = P1238["p1238-office-nlos"]
    assert (m.alpha, m.beta, m.gamma) == (2.46, 29.53, 2.38)
    # 10·2.46·log10(20) + 29.53 + 10·2.38·log10(5.5) = 32.006 + 29.53 + 17.620
    assert float(distance_loss(20.0, 5.5, m)) == pytest.approx(79.156, abs=1e-3)


def test_distance_below_one_metre_counts_as_one() -> None:
    assert float(distance_loss(0.2, 5.5, FREE)) == float(distance_loss(1.0, 5.5, FREE))


def test_a_wall_between_adds_its_loss_and_a_floor_adds_the_slab() -> None:
    pts = np.array([[10.0, 0.0]])
    wall = np.array([[5.0, -2.0, 5.0, 2.0]])
    open_path = path_loss(pts, 3.0, (0.0, 0.0, 3.0), 5.5, FREE, np.zeros((0, 4)), np.zeros(0))
    walled = path_loss(pts, 3.0, (0.0, 0.0, 3.0), 5.5, FREE, wall, np.array([12.0]))
    assert walled[0] - open_path[0] == pytest.approx(12.0)
    upstairs = path_loss(pts, 3.0, (0.0, 0.0, 3.0), 5.5, FREE, np.zeros((0, 4)), np.zeros(0), floors_between=1)
    assert upstairs[0] - open_path[0] == pytest.approx(FREE.floor_loss_db)


def test_walls_crossed_are_summed_and_grazing_ones_are_not() -> None:
    walls = np.array([[2.0, -1, 2.0, 1], [4.0, -1, 4.0, 1], [6.0, 0, 8.0, 0], [0.0, 3, 10.0, 3]])
    db = np.array([3.0, 5.0, 7.0, 11.0])
    pts = np.array([[10.0, 0.0], [3.0, 0.0], [5.0, 5.0], [-5.0, 0.0]])
    out = wall_losses(pts, (0.0, 0.0), walls, db)
    # (10,0): crosses x=2 and x=4; runs along y=0 (collinear, not crossed)
    assert list(out) == [8.0, 3.0, 11.0, 0.0]


def test_wall_losses_match_a_loop_over_random_segments() -> None:
    rng = np.random.default_rng(7)
    walls = rng.uniform(0, 30, (60, 4))
    db = rng.uniform(1, 20, 60)
    pts = rng.uniform(0, 30, (200, 2))
    ap = (15.0, 12.0)
    fast = wall_losses(pts, ap, walls, db)

    def crosses(p, q, a, b) -> bool:  # type: ignore[no-untyped-def]
        def o(u, v, w):  # type: ignore[no-untyped-def]
            return (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])
        return o(p, q, a) * o(p, q, b) < 0 and o(a, b, p) * o(a, b, q) < 0

    slow = [sum(d for w, d in zip(walls, db, strict=True) if crosses(ap, p, w[:2], w[2:])) for p in pts]
    assert np.allclose(fast, slow)


# --- materials and plan readers -----------------------------------------------------------

def test_layers_map_to_materials_in_french_and_english() -> None:
    lm = default_layer_map()
    assert material_of_layer("CLOISONS", lm) == "drywall"
    assert material_of_layer("MUR BETON", lm) == "concrete"
    assert material_of_layer("A-GLAZ", lm) == "glass"
    assert material_of_layer("xref-Plan$0$A-WALL", lm) == "heavy_wall"
    assert material_of_layer("MOBILIER", lm) is None
    assert default_materials()["concrete"].loss_db == {"2.4": 14.8, "5": 27.0, "6": 31.0}


def test_two_faces_of_a_wall_are_one_wall() -> None:
    walls, merged = merge_faces([Wall(0, 0, 10, 0, "drywall"), Wall(10, 0.1, 0, 0.1, "drywall"),
                                 Wall(0, 0.1, 0, 5, "glass")])  # fmt: skip
    assert merged == 1
    assert sorted((round(w.y1, 3), w.material) for w in walls) == [(0.05, "drywall"), (0.1, "glass")]


def _dxf(path: Path, units: int | None, walls: list[tuple[str, tuple[float, float], tuple[float, float]]],
         rooms: list[list[tuple[float, float]]] = ()) -> Path:  # type: ignore[assignment]
    import ezdxf

    doc = ezdxf.new("R2010")
    if units is not None:
        doc.header["$INSUNITS"] = units
    msp = doc.modelspace()
    for layer, a, b in walls:
        msp.add_line(a, b, dxfattribs={"layer": layer})
    for r in rooms:
        msp.add_lwpolyline(r, close=True, dxfattribs={"layer": "PIECES"})
    msp.add_text("Bureau", dxfattribs={"layer": "TEXTE"})
    doc.saveas(path)
    return path


def test_a_dxf_in_millimetres_gives_walls_in_metres_with_their_materials(tmp_path: Path) -> None:
    f = _dxf(tmp_path / "etage.dxf", 4, [("CLOISON", (0, 0), (20000, 0)), ("BETON", (0, 0), (0, 12000)),
                                          ("VITRAGE", (20000, 0), (20000, 12000))],
             [[(0, 0), (20000, 0), (20000, 12000), (0, 12000)]])  # fmt: skip
    read = read_plan(f, floor="R+1", elevation_m=4.0)
    fl = read.floors[0]
    assert (fl.name, fl.elevation_m) == ("R+1", 4.0)
    assert sorted((w.material, round(math.hypot(w.x2 - w.x1, w.y2 - w.y1), 3)) for w in fl.walls) == [
        ("concrete", 12.0), ("drywall", 20.0), ("glass", 12.0)]
    assert [round(a.area_m2(), 1) for a in fl.zones()] == [240.0]
    assert {"what": "layer", "name": "TEXTE", "count": 1, "why": "not_wall_layer"} in read.skipped


def test_a_dxf_without_units_needs_a_scale(tmp_path: Path) -> None:
    f = _dxf(tmp_path / "plan.dxf", 0, [("MUR", (0, 0), (800, 0))])
    with pytest.raises(InvalidInput) as e:
        read_plan(f)
    assert e.value.code == "plan_no_scale"
    assert read_plan(f, scale=0.025).floors[0].walls[0].x2 == pytest.approx(20.0)


def test_a_real_dxf_whose_unit_lies_is_refused_with_the_likely_scale() -> None:
    # dxf-vuer's sample house: $INSUNITS says millimetres, the drawing is in inches.
    with pytest.raises(InvalidInput) as e:
        read_plan(PLANS / "dxfvuer_floorplan.dxf")
    assert e.value.code == "plan_implausible_size" and "--scale 0.0254" in e.value.params["hint"]
    read = read_plan(PLANS / "dxfvuer_floorplan.dxf", scale=0.0254)
    fl = read.floors[0]
    xmin, ymin, xmax, ymax = fl.bounds()
    assert 15 < xmax - xmin < 30 and 10 < ymax - ymin < 30  # a house, in metres
    assert any(n["code"] == "plan_faces_merged" and n["count"] > 50 for n in read.notes)
    assert {w.material for w in fl.walls} >= {"heavy_wall"}


def test_a_real_ekahau_project_gives_its_walls_losses_and_aps() -> None:
    read = read_plan(PLANS / "TheWlan_SVPH-GND.esx")
    fl = read.floors[0]
    assert fl.name.startswith("SVPH East Melbourne") and len(fl.walls) == 834
    assert len(fl.aps) == 65 and sum(a.role == "exclusion" for a in fl.areas) == 60
    # dB per metre × thickness: drywall 30 × 0.1, elevator shaft 150 × 0.2
    assert read.materials["esx:4) Wall, Dry"]["5"] == pytest.approx(3.0)
    assert read.materials["esx:9) Elevator Shaft"]["2.4"] == pytest.approx(30.0)
    xmin, ymin, xmax, ymax = fl.bounds()
    assert 80 < xmax - xmin < 84 and 52 < ymax - ymin < 58  # 3973 × 2806 px at 0.0211 m/px
    assert {a.model for a in fl.aps} >= {"C9120AXE"}


def test_a_design_of_an_ekahau_project_is_compared_with_the_aps_it_already_had() -> None:
    from reemploi.design.materials import Material

    read = read_plan(PLANS / "TheWlan_SVPH-GND.esx")
    materials = dict(default_materials()) | {k: Material(k, v, "file", "esx") for k, v in read.materials.items()}
    d = design(read.floors, CHOICE, Requirements(time_limit_s=20), materials=materials).as_dict()
    assert d["existing"]["aps_total"] == 65 and 0 < d["existing"]["coverage_share"] <= 1
    assert d["coverage_share"] >= 0.95 and d["aps_total"] < d["existing"]["aps_total"]
    assert {w["material"] for w in d["floors"][0]["walls"]} >= {"esx:4) Wall, Dry"}


def test_an_ekahau_project_without_walls_imports_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as e:
        read_plan(PLANS / "TheWlan_test.esx")
    assert e.value.code == "plan_no_walls"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [("a.esx", b"not a zip", "plan_bad_file"), ("a.geojson", b"{\"type\": ", "plan_bad_file"),
     ("a.geojson", b"{\"type\": \"FeatureCollection\", \"features\": []}", "plan_no_walls"),
     ("a.dxf", b"0\nSECTION\n2\nNOPE\n", "plan_bad_file"), ("a.pdf", b"%PDF", "plan_format")],
)
def test_broken_plans_say_what_is_wrong(tmp_path: Path, name: str, content: bytes, code: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InvalidInput) as e:
        read_plan(tmp_path / name)
    assert e.value.code == code


def test_an_esx_without_its_floor_plans_is_refused(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "x.esx", "w") as z:
        z.writestr("wallPoints.json", json.dumps({"wallPoints": []}))
    with pytest.raises(InvalidInput) as e:
        read_plan(tmp_path / "x.esx")
    assert e.value.code == "plan_bad_file" and "floorPlans" in e.value.params["error"]


def test_geojson_in_longitude_and_latitude_is_projected_to_metres(tmp_path: Path) -> None:
    lon, lat = -1.5640, 47.2065
    dlon = 20 / (111_195 * math.cos(math.radians(lat)))  # 20 m east
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"material": "glass"},
         "geometry": {"type": "LineString", "coordinates": [[lon, lat], [lon + dlon, lat]]}},
        {"type": "Feature", "properties": {"zone": "open", "environment": "open_office", "occupants": 30},
         "geometry": {"type": "Polygon", "coordinates": [[[lon, lat], [lon + dlon, lat], [lon + dlon, lat + 0.0001],
                                                          [lon, lat + 0.0001], [lon, lat]]]}},
    ]}  # fmt: skip
    (tmp_path / "p.geojson").write_text(json.dumps(doc))
    read = read_plan(tmp_path / "p.geojson")
    w = read.floors[0].walls[0]
    assert math.hypot(w.x2 - w.x1, w.y2 - w.y1) == pytest.approx(20.0, rel=1e-3)
    zone = read.floors[0].zones()[0]
    assert (zone.environment, zone.occupants) == ("open_office", 30)
    assert zone.area_m2() == pytest.approx(20 * 11.12, rel=1e-2)


def test_a_geojson_wall_without_material_is_refused(tmp_path: Path) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, 0], [5, 0]]}}]}
    (tmp_path / "p.geojson").write_text(json.dumps(doc))
    with pytest.raises(InvalidInput) as e:
        read_plan(tmp_path / "p.geojson")
    assert (e.value.code, e.value.params["feature"]) == ("plan_wall_no_material", 1)


# --- designs meet their own target --------------------------------------------------------

CHOICE = [ApChoice("C9130AXI", {"2.4": 14.0, "5": 18.0}, 20), ApChoice("CW9166I", {"2.4": 14.0, "5": 18.0, "6": 18.0},
                                                                       None, False)]  # fmt: skip


def _recompute(d: dict, floors: list[Floor], grid_m: float) -> float:  # type: ignore[type-arg]
    """Coverage share from the design's JSON alone, computed point by point in plain Python."""
    from reemploi.design.grid import floor_grid

    m = d["model"]
    band = d["band"]
    hit = total = 0
    elev = {f["floor"]: f["elevation_m"] for f in d["floors"]}
    aps = [(f["floor"], a) for f in d["floors"] for a in f["aps"] if a["band"] == band]
    for i, (fl, fd) in enumerate(zip(floors, d["floors"], strict=True)):
        walls = [((w["x1"], w["y1"]), (w["x2"], w["y2"]), w["loss_db"][band]) for w in fd["walls"]]
        g = floor_grid(i, fl, grid_m)
        for px, py in g.points:
            best = -math.inf
            for name, a in aps:
                d3 = math.sqrt((px - a["x_m"]) ** 2 + (py - a["y_m"]) ** 2
                               + (elev[fd["floor"]] + 1.0 - elev[name] - a["z_m"]) ** 2)  # fmt: skip
                loss = (10 * m["alpha"] * math.log10(max(d3, 1.0)) + m["beta"] + 10 * m["gamma"] * math.log10(
                    m["frequency_ghz"]) + m["floor_loss_db"] * abs(list(elev).index(name) - i))  # fmt: skip

                def o(u, v, w):  # type: ignore[no-untyped-def]
                    return (v[0] - u[0]) * (w[1] - u[1]) - (v[1] - u[1]) * (w[0] - u[0])

                c, p = (a["x_m"], a["y_m"]), (px, py)
                loss += sum(db for s, e, db in walls if o(c, p, s) * o(c, p, e) < 0 and o(s, e, c) * o(s, e, p) < 0)
                best = max(best, a["eirp_dbm"] - loss)
            hit += best >= d["target_dbm"]
            total += 1
    return hit / total


def _office(w: float, h: float, walls: list[Wall], occupants: int = 0) -> Floor:
    return Floor("L0", 0.0, 3.5, [Wall(0, 0, w, 0, "glass"), Wall(w, 0, w, h, "glass"), Wall(w, h, 0, h, "glass"),
                                  Wall(0, h, 0, 0, "concrete"), *walls],
                 [Area("open", "zone", [(0, 0), (w, 0), (w, h), (0, h)], "open_office", occupants)])  # fmt: skip


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    w=st.floats(15, 45), h=st.floats(10, 30),
    inner=st.lists(st.tuples(st.floats(0.1, 0.9), st.floats(0.1, 0.9), st.floats(0.1, 0.9), st.floats(0.1, 0.9),
                             st.sampled_from(["drywall", "concrete", "glass", "wood", "metal"])), max_size=6),
    target=st.sampled_from([-72.0, -67.0, -62.0]),
)  # fmt: skip
def test_every_design_meets_its_target_when_re_predicted_from_its_own_json(w, h, inner, target) -> None:  # type: ignore[no-untyped-def]
    walls = [Wall(a * w, b * h, c * w, d * h, m) for a, b, c, d, m in inner]
    floors = [_office(w, h, walls)]
    req = Requirements(target_dbm=target, grid_m=1.0, spacing_m=2.5, time_limit_s=10)
    d = design(floors, CHOICE, req).as_dict()
    share = _recompute(d, floors, 1.0)
    goal = min(d["solver"]["share_target"], req.coverage_share)
    assert share >= goal - 1e-9
    assert d["coverage_share"] == pytest.approx(share, abs=1e-4)


def test_a_design_uses_the_stock_first_then_buys_and_reports_capacity(tmp_path: Path) -> None:
    floors = [_office(40, 20, [], occupants=200)]
    d = design(floors, CHOICE, Requirements(people_per_ap={"open_office": 25}, time_limit_s=10)).as_dict()
    assert d["capacity_min"] == 8 and d["aps_total"] >= 8 and d["driver"] == "capacity"
    models = {(m["model"], m["reused"]): m["count"] for m in d["models"]}
    assert models.get(("C9130AXI", True), 0) == min(20, d["aps_total"])
    assert d["solver"]["method"] == "milp" and d["solver"]["gap"] <= 0.01
    assert set(d["model"]) >= {"name", "alpha", "beta", "gamma", "frequency_ghz", "floor_loss_db"}
    ap = d["floors"][0]["aps"][0]
    assert set(ap) >= {"name", "x_m", "y_m", "z_m", "model", "band", "eirp_dbm"}
    wall = d["floors"][0]["walls"][0]
    assert set(wall) >= {"x1", "y1", "x2", "y2", "material", "loss_db"} and set(wall["loss_db"]) == {"2.4", "5", "6"}


def test_the_optimiser_never_needs_more_aps_than_the_greedy_cover() -> None:
    from reemploi.design.engine import links
    from reemploi.design.grid import candidates, floor_grid
    from reemploi.design.placement import Problem, coverage_rows, greedy, place

    floors = [_office(50, 30, [Wall(10, 0, 10, 22, "concrete"), Wall(30, 8, 30, 30, "concrete")])]
    g = [floor_grid(0, floors[0], 1.0)]
    c = candidates(floors[0], 3.0)
    xyz = np.column_stack([c, np.full(len(c), 3.0)])
    lk = links(floors, g, [floor_walls(floors[0], "5", default_materials())], np.zeros(len(c), dtype=int), xyz, "5",
               P1238["p1238-office-nlos"], 85.0)  # fmt: skip
    p = Problem(len(g[0].points), len(c), lk, 85.0, 0.95)
    starts, index, weights = coverage_rows(p)
    assert weights.sum() <= len(g[0].points)
    g_count = len(greedy(p, starts, index, weights, 0.95 * p.n_points, None))
    best = place(p, time_limit=20)
    assert len(best.chosen) <= g_count
    assert best.optimal


# --- calibration --------------------------------------------------------------------------

def test_calibration_recovers_the_model_that_made_the_survey() -> None:
    floors = [_office(60, 40, [Wall(20, 0, 20, 30, "concrete"), Wall(40, 10, 40, 40, "drywall")])]
    walls = {"5": [floor_walls(floors[0], "5", default_materials())]}
    aps = [KnownAp("A", 0, 10, 10, 3.0, {"5": 18.0}), KnownAp("B", 0, 50, 30, 3.0, {"5": 18.0})]
    truth = PathLossModel("truth", 3.1, 25.0, 2.38, 20.0)
    rng = np.random.default_rng(1)
    pts = rng.uniform([1, 1], [59, 39], (600, 2))
    ms = []
    for k, a in enumerate(aps):
        loss = path_loss(pts, 1.0, (a.x, a.y, a.z), 5.5, truth, walls["5"][0].walls, walls["5"][0].loss_db)
        rssi = 18.0 - loss + rng.normal(0, 2.0, len(pts))
        ms += [Measurement(0, float(x), float(y), k, "5", float(r)) for (x, y), r in zip(pts, rssi, strict=True)]
    model, report = calibrate(floors, walls, aps, ms, P1238["p1238-office-nlos"])
    assert model.alpha == pytest.approx(3.1, abs=0.15)
    assert report["test"]["rmse_db"] == pytest.approx(2.0, abs=0.4)
    assert abs(report["test"]["bias_db"]) < 0.5
    assert report["before"]["test"]["rmse_db"] > report["test"]["rmse_db"]
    assert report["test_points"] + report["train_points"] == len(ms)


def test_calibration_needs_enough_points() -> None:
    floors = [_office(20, 10, [])]
    walls = {"5": [floor_walls(floors[0], "5", default_materials())]}
    with pytest.raises(InvalidInput) as e:
        calibrate(floors, walls, [KnownAp("A", 0, 5, 5, 3.0, {"5": 18.0})], [Measurement(0, 1, 1, 0, "5", -50.0)],
                  FREE)  # fmt: skip
    assert e.value.code == "calibrate_too_few"


def test_outdoor_areas_get_outdoor_aps_of_their_own() -> None:
    fl = _office(30, 20, [], occupants=50)
    fl.areas.append(Area("yard", "zone", [(-20, -40), (50, -40), (50, -2), (-20, -2)], "outdoor", 10))
    outdoor = [ApChoice("C9124AXE", {"2.4": 20.0, "5": 18.0}, 3)]
    d = design([fl], CHOICE, Requirements(people_per_ap={"open_office": 25, "outdoor": 50}, time_limit_s=10),
               outdoor_choices=outdoor).as_dict()  # fmt: skip
    out = [a for a in d["floors"][0]["aps"] if a["outdoor"]]
    assert d["outdoor_aps"] >= 1 and d["indoor_aps"] >= 2 and d["outdoor"]["coverage_share"] >= 0.95
    assert all(a["model"] == "C9124AXE" and a["y_m"] < 0 for a in out)  # in the yard, an outdoor model
    assert all(a["y_m"] >= 0 for a in d["floors"][0]["aps"] if not a["outdoor"])
    without = design([fl], CHOICE, Requirements(time_limit_s=10)).as_dict()
    assert without["outdoor_aps"] == 0 and {"code": "design_no_outdoor_model"} in without["warnings"]


def test_outdoor_aps_take_only_the_5ghz_channels_allowed_outdoors() -> None:
    import numpy as np

    from reemploi.design.channels import plan_channels

    hear = np.full((3, 3), -50.0)  # all hear each other
    chosen, _ = plan_channels(hear, "5", outdoor=np.array([True, False, True]))
    assert chosen[0] >= 100 and chosen[2] >= 100 and len(set(chosen)) == 3
    assert plan_channels(hear, "5")[0][0] == 38  # indoors the lowest channel first
