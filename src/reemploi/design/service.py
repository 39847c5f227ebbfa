"""Use cases of the site design that touch the database, by site id (planning resolves codes).

Floors are stored whole or not at all (one transaction, the caller's); APs and survey
points come from CSV/XLSX through the shared row importer (rejects file, exit codes);
designs and calibrations are versioned rows whose JSON is what the CLI prints.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.design.materials import (
    Material,
    default_layer_map,
    default_materials,
    material_of_layer,
    read_layer_map,
    read_materials,
)
from reemploi.design.models import Calibration, FloorPlanRecord, SiteAp, SiteDesign, SurveyPoint
from reemploi.design.plan import Floor, Wall
from reemploi.design.propagation import BANDS, PathLossModel
from reemploi.design.readers import read_plan
from reemploi.errors import InvalidInput, NotFound
from reemploi.inventory.records import RowCheck, RowError, RowsResult, import_rows, opt_float, opt_str
from reemploi.inventory.tabular import fold


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_floors(session: Session, site_id: int, path: str | Path, *, actor: str, floor: str | None = None,
                  scale: float | None = None, layer_map: str | Path | None = None,
                  elevation_m: float | None = None, height_m: float | None = None,
                  materials: str | Path | None = None, default_material: str | None = None,
                  environments: dict[str, str] | None = None) -> dict[str, Any]:  # fmt: skip
    """Read a plan file and store its floors for the site (a floor of the same name is replaced).

    ``materials``: the site's own materials (a file), stored with the floors that use them.
    A wall's material named in another language or way (``béton``, ``CLOISON``) is read
    through the layer map. ``environments``: folded name or label -> environment code,
    to check and normalise the zones' environments (None: as given).
    """
    path = Path(path)
    if scale is not None and not 0 < scale < 1e4:
        raise InvalidInput("plan_bad_scale", value=scale)
    own_materials = read_materials(Path(materials)) if materials else {}
    known = set(default_materials()) | set(own_materials)
    lmap = read_layer_map(Path(layer_map)) if layer_map else None
    if lmap is not None:
        wrong = sorted({m for _, m in lmap} - known)
        if wrong:
            raise InvalidInput("layer_map_unknown_material", file=str(layer_map), materials=", ".join(wrong),
                               known=", ".join(sorted(known)))  # fmt: skip
    read = read_plan(path, floor=floor, scale=scale, layer_map=lmap, elevation_m=elevation_m, height_m=height_m,
                     default_material=default_material)  # fmt: skip
    known |= set(read.materials)
    aliases = tuple(lmap) if lmap is not None else default_layer_map()
    for f in read.floors:  # a material given by another name: what the layer map makes of it
        f.walls = [w if w.material in known else Wall(w.x1, w.y1, w.x2, w.y2,
                                                      material_of_layer(w.material, aliases) or w.material)
                   for w in f.walls]  # fmt: skip
        for a in f.zones():
            if environments is not None and a.environment is not None:
                code = environments.get(fold(a.environment))
                if code is None:
                    raise InvalidInput("plan_bad_environment", file=str(path), zone=a.name, value=a.environment,
                                       choices=", ".join(sorted(set(environments.values()))))  # fmt: skip
                a.environment = code
    unknown = sorted({w.material for f in read.floors for w in f.walls} - known)
    if unknown:
        raise InvalidInput("plan_unknown_material", file=str(path), materials=", ".join(unknown),
                           known=", ".join(sorted(known)))  # fmt: skip
    file_materials = {k: v.loss_db for k, v in own_materials.items()} | read.materials
    digest = _sha256(path)
    now = utcnow()
    out = []
    for f in read.floors:
        session.execute(delete(FloorPlanRecord).where(FloorPlanRecord.site_id == site_id,
                                                      FloorPlanRecord.name == f.name))  # fmt: skip
        own = {m: file_materials[m] for m in {w.material for w in f.walls} if m in file_materials}
        plan, mats = orjson.dumps(f.as_dict()).decode(), orjson.dumps(own, option=orjson.OPT_SORT_KEYS).decode()
        session.add(FloorPlanRecord(site_id=site_id, name=f.name, elevation_m=f.elevation_m, height_m=f.height_m,
                                    source=path.name, file_sha256=digest, units=read.units, plan=plan, materials=mats,
                                    plan_sha256=hashlib.sha256(f"{plan}\x1f{mats}".encode()).hexdigest(),
                                    imported_at=now, actor=actor))  # fmt: skip
        out.append(_floor_summary(f))
    session.flush()
    return {"file": str(path), "units": read.units, "floors": out, "skipped": read.skipped, "notes": read.notes}


def _floor_summary(f: Floor) -> dict[str, Any]:
    zones = f.zones()
    return {"floor": f.name, "elevation_m": f.elevation_m, "height_m": f.height_m, "walls": len(f.walls),
            "zones": len(zones), "zone_area_m2": round(sum(z.area_m2() for z in zones), 1),
            "exclusions": sum(1 for a in f.areas if a.role == "exclusion"),
            "closets": sum(1 for a in f.areas if a.role == "closet"), "aps": len(f.aps)}  # fmt: skip


def load_floors(session: Session, site_id: int) -> tuple[list[Floor], dict[str, Material]]:
    """The site's floors (by elevation) and every material they use (defaults, then the files' own)."""
    rows = session.scalars(select(FloorPlanRecord).where(FloorPlanRecord.site_id == site_id)
                           .order_by(FloorPlanRecord.elevation_m, FloorPlanRecord.name)).all()  # fmt: skip
    materials = dict(default_materials())
    floors = []
    for r in rows:
        floors.append(Floor.from_dict(orjson.loads(r.plan)))
        for name, losses in orjson.loads(r.materials).items():
            materials[name] = Material(name, {b: float(v) for b, v in losses.items()}, "file", r.source)
    return floors, materials


def list_floors(session: Session, site_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(FloorPlanRecord).where(FloorPlanRecord.site_id == site_id)
                           .order_by(FloorPlanRecord.elevation_m, FloorPlanRecord.name)).all()  # fmt: skip
    return [_floor_summary(Floor.from_dict(orjson.loads(r.plan))) | {"source": r.source, "units": r.units,
                                                                    "sha256": r.file_sha256}
            for r in rows]  # fmt: skip


def delete_floor(session: Session, site_id: int, name: str) -> None:
    gone = session.execute(delete(FloorPlanRecord).where(FloorPlanRecord.site_id == site_id,
                                                         FloorPlanRecord.name == name)).rowcount  # fmt: skip
    if not gone:
        raise NotFound("unknown_floor", floor=name)


def site_materials(path: str | Path | None) -> dict[str, Material] | None:
    """A site's own materials file (read and checked), to use over the defaults."""
    return read_materials(Path(path)) if path else None


# --- APs and survey points -------------------------------------------------------------------

def _floor_names(session: Session, site_id: int) -> set[str]:
    return set(session.scalars(select(FloorPlanRecord.name).where(FloorPlanRecord.site_id == site_id)))


def _floor_of(fields: dict[str, str], floors: set[str]) -> str:
    name = fields.get("floor", "").strip()
    if not name:
        raise RowError("field_required", field="floor")
    if floors and name not in floors:
        raise RowError("floor_unknown", floor=name, floors=", ".join(sorted(floors)))
    return name


def import_aps(session: Session, site_id: int, path: str | Path, *, rejects_path: str | Path | None = None,
               lang: str = "en", models: set[str] | None = None) -> RowsResult:  # fmt: skip
    """APs at the site (``name, floor, x_m, y_m, z_m, model`` and optional ``eirp_dbm``), upserted by name.

    ``models``: the AP models known (a row naming another is refused); a position more than
    20 m outside its floor's plan is refused too (a unit slip, not an AP).
    """
    floors = _floor_names(session, site_id)
    bounds = {}
    for name, plan in session.execute(select(FloorPlanRecord.name, FloorPlanRecord.plan)
                                      .where(FloorPlanRecord.site_id == site_id)):  # fmt: skip
        bounds[name] = Floor.from_dict(orjson.loads(plan)).bounds()
    existing = {a.name: a for a in session.scalars(select(SiteAp).where(SiteAp.site_id == site_id))}

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        check = RowCheck()
        name = (fields.get("name") or "").strip()
        if not name:
            check.add("field_required", field="name")
        floor = check(_floor_of, fields, floors)
        x = check(opt_float, fields, "x_m", -1e5, 1e5)
        y = check(opt_float, fields, "y_m", -1e5, 1e5)
        z = check(opt_float, fields, "z_m", 0.0, 100.0)
        eirp = check(opt_float, fields, "eirp_dbm", -10.0, 40.0)
        model = check(opt_str, fields, "model", 80)
        for field, v in (("x_m", x), ("y_m", y)):
            if v is None and not any(e.params.get("field") == field for e in check.errors):
                check.add("field_required", field=field)
        if models is not None and model and model.upper() not in models:
            check.add("ap_model_unknown", model=model)
        box = bounds.get(floor or "")
        if box and x is not None and y is not None and not (box[0] - 20 <= x <= box[2] + 20
                                                            and box[1] - 20 <= y <= box[3] + 20):  # fmt: skip
            check.add("ap_outside_plan", x=x, y=y, floor=floor, xmin=round(box[0], 1), xmax=round(box[2], 1),
                      ymin=round(box[1], 1), ymax=round(box[3], 1))  # fmt: skip
        check.done()
        values = {"floor": floor, "x_m": x, "y_m": y, "z_m": 3.0 if z is None else z, "model": model,
                  "eirp_dbm": orjson.dumps({} if eirp is None else dict.fromkeys(BANDS, eirp)).decode()}  # fmt: skip
        row = existing.get(name)
        if row is None:
            row = SiteAp(site_id=site_id, name=name, **values)
            session.add(row)
            existing[name] = row
            return "created"
        changed = any(getattr(row, k) != v for k, v in values.items())
        for k, v in values.items():
            setattr(row, k, v)
        return "updated" if changed else "unchanged"

    result = import_rows(path, handle, key="name", rejects_path=rejects_path, lang=lang)
    session.flush()
    return result


def list_aps(session: Session, site_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(select(SiteAp).where(SiteAp.site_id == site_id).order_by(SiteAp.name))
    return [{"name": a.name, "floor": a.floor, "x_m": a.x_m, "y_m": a.y_m, "z_m": a.z_m, "model": a.model,
             "eirp_dbm": orjson.loads(a.eirp_dbm)} for a in rows]  # fmt: skip


def known_aps(session: Session, site_id: int) -> dict[str, SiteAp]:
    return {a.name: a for a in session.scalars(select(SiteAp).where(SiteAp.site_id == site_id))}


def import_survey(session: Session, site_id: int, path: str | Path, *, ap_names: set[str],
                  rejects_path: str | Path | None = None, lang: str = "en") -> RowsResult:  # fmt: skip
    """Survey measurements (``floor, x_m, y_m, ap, rssi_dbm`` and optional ``band``, default 5)."""
    floors = _floor_names(session, site_id)
    now = utcnow()
    source = Path(path).name
    batch: list[SurveyPoint] = []

    def handle(line: int, fields: dict[str, str], extras: list[tuple[str, str]]) -> str:
        check = RowCheck()
        floor = check(_floor_of, fields, floors)
        x = check(opt_float, fields, "x_m", -1e5, 1e5)
        y = check(opt_float, fields, "y_m", -1e5, 1e5)
        rssi = check(opt_float, fields, "rssi_dbm", -120.0, 0.0)
        ap = (fields.get("ap") or "").strip()
        if not ap:
            check.add("field_required", field="ap")
        elif ap not in ap_names:
            check.add("survey_unknown_ap", ap=ap)
        band = (fields.get("band") or "5").strip().replace(",", ".").lower().removesuffix("ghz").strip()
        band = {"2.4": "2.4", "2": "2.4", "5": "5", "6": "6"}.get(band, band)
        if band not in BANDS:
            check.add("survey_bad_band", value=fields.get("band"), bands=", ".join(BANDS))
        for field, v in (("x_m", x), ("y_m", y), ("rssi_dbm", rssi)):
            if v is None and not any(e.params.get("field") == field for e in check.errors):
                check.add("field_required", field=field)
        check.done()
        batch.append(SurveyPoint(site_id=site_id, floor=floor, x_m=x, y_m=y, ap=ap, band=band, rssi_dbm=rssi,
                                 source=source, imported_at=now))  # fmt: skip
        return "created"

    result = import_rows(path, handle, key="rssi_dbm", rejects_path=rejects_path, lang=lang)
    # A file imported again replaces its earlier points: a survey is not counted twice.
    result.updated = session.execute(delete(SurveyPoint).where(SurveyPoint.site_id == site_id,
                                                               SurveyPoint.source == source)).rowcount or 0  # fmt: skip
    result.created -= min(result.created, result.updated)
    session.add_all(batch)
    session.flush()
    return result


def survey_points(session: Session, site_id: int) -> list[SurveyPoint]:
    return list(session.scalars(select(SurveyPoint).where(SurveyPoint.site_id == site_id).order_by(SurveyPoint.id)))


# --- designs and calibrations ---------------------------------------------------------------

@dataclass
class StoredDesign:
    version: int
    result: dict[str, Any]


def floors_keys(session: Session, site_ids: set[int] | None = None) -> dict[int, str]:
    """Per site, a digest of its floors as they are now (what a design was made from, or not)."""
    q = select(FloorPlanRecord.site_id, FloorPlanRecord.name, FloorPlanRecord.plan_sha256).order_by(
        FloorPlanRecord.site_id, FloorPlanRecord.name)  # fmt: skip
    if site_ids is not None:
        q = q.where(FloorPlanRecord.site_id.in_(site_ids))
    parts: dict[int, list[str]] = {}
    for sid, name, digest in session.execute(q):
        parts.setdefault(sid, []).append(f"{name}\x1f{digest}")
    return {sid: hashlib.sha256("\x1e".join(p).encode()).hexdigest() for sid, p in parts.items()}


def store_design(session: Session, site_id: int, result: dict[str, Any], inputs: dict[str, Any], *,
                 indoor: int, outdoor: int | None, actor: str) -> StoredDesign:  # fmt: skip
    version = (session.scalar(select(func.max(SiteDesign.version)).where(SiteDesign.site_id == site_id)) or 0) + 1
    digest = hashlib.sha256(orjson.dumps(inputs, option=orjson.OPT_SORT_KEYS)).hexdigest()
    result = {"version": version, "inputs_sha256": digest} | result
    floors = floors_keys(session, {site_id}).get(site_id, "")
    session.add(SiteDesign(site_id=site_id, version=version, inputs_sha256=digest, floors_sha256=floors,
                           aps_total=result["aps_total"],
                           indoor_aps=indoor, outdoor_aps=outdoor, coverage_share=result["coverage_share"],
                           driver=result["driver"], result=orjson.dumps(result).decode(), created_at=utcnow(),
                           actor=actor))  # fmt: skip
    session.flush()
    return StoredDesign(version, result)


def latest_design(session: Session, site_id: int) -> dict[str, Any] | None:
    """The site's latest design; ``stale`` when its floors changed since (imported again, deleted)."""
    row = session.scalars(select(SiteDesign).where(SiteDesign.site_id == site_id)
                          .order_by(SiteDesign.version.desc()).limit(1)).first()  # fmt: skip
    if row is None:
        return None
    return orjson.loads(row.result) | {"stale": row.floors_sha256 != floors_keys(session, {site_id}).get(site_id, "")}


def designs_by_site(session: Session) -> dict[int, SiteDesign]:
    """The latest design of every site that has one and whose floors are still those it was made from."""
    latest = select(SiteDesign.site_id, func.max(SiteDesign.version).label("v")).group_by(SiteDesign.site_id).subquery()
    rows = session.scalars(select(SiteDesign).join(latest, (SiteDesign.site_id == latest.c.site_id)
                                                   & (SiteDesign.version == latest.c.v)))  # fmt: skip
    keys = floors_keys(session)
    return {r.site_id: r for r in rows if r.floors_sha256 == keys.get(r.site_id, "")}


def store_calibration(session: Session, site_id: int, model: PathLossModel, report: dict[str, Any], *,
                      actor: str) -> None:  # fmt: skip
    session.add(Calibration(site_id=site_id, alpha=model.alpha, beta=model.beta, gamma=model.gamma,
                            floor_loss_db=model.floor_loss_db, result=orjson.dumps(report).decode(),
                            fitted_at=utcnow(), actor=actor))  # fmt: skip
    session.flush()


def current_model(session: Session, site_id: int, default: PathLossModel) -> tuple[PathLossModel, bool]:
    """The site's latest calibrated model, else ``default``; and whether it is calibrated."""
    row = session.scalars(select(Calibration).where(Calibration.site_id == site_id)
                          .order_by(Calibration.id.desc()).limit(1)).first()  # fmt: skip
    if row is None:
        return default, False
    return PathLossModel("calibrated", row.alpha, row.beta, row.gamma, row.floor_loss_db), True


