"""A destination site's design: its floor plans, the stock it can use, its design and survey.

The glue between a site (planning) and the design package (which never reads the
inventory): resolve the site, read what is in ready stock and the catalog's radios as
plain values, run the design, store it; the latest design is the site's indoor AP need
(``compute_needs``), sites without one keep the rule of thumb, labelled an estimate.
"""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.catalog.radios import radios
from reemploi.design import service as design_store
from reemploi.design.calibrate import KnownAp, Measurement, calibrate
from reemploi.design.engine import floor_walls, predict
from reemploi.design.materials import Material
from reemploi.design.plan import Floor
from reemploi.design.propagation import BANDS
from reemploi.design.radios import cap
from reemploi.design.run import DEFAULT_MODEL, DESIGN_EIRP_DBM, ApChoice, Requirements, design
from reemploi.errors import InvalidInput, UnknownSite
from reemploi.i18n import has, t
from reemploi.inventory.models import Device, Location
from reemploi.inventory.records import RowsResult
from reemploi.inventory.tabular import fold, open_table
from reemploi.planning.models import Site
from reemploi.planning.rules import sizing
from reemploi.workflow.states import State

COUNTRY = "FR"
PREDICT_FLOOR_DBM = -100.0
# What a design buys when the stock runs out, per vendor: a current tri-band model of the same family.
PURCHASE_MODEL = {"Cisco": "CW9166I", "Cisco Meraki": "MR46", "HPE Aruba": "AP-655"}
OUTDOOR_PURCHASE_MODEL = {"Cisco": "C9124AXE", "Cisco Meraki": "MR86", "HPE Aruba": "AP-575"}


def site_of(session: Session, code: str) -> Site:
    row = session.execute(select(Site).join(Location, Location.id == Site.location_id)
                          .where(Location.code == code.strip().upper())).scalar_one_or_none()  # fmt: skip
    if row is None:
        raise UnknownSite(site=code)
    return row


def import_floors(session: Session, site_code: str, path: str | Path, **options: Any) -> dict[str, Any]:
    """A site's floor plans; the zones' environments must be the planning's (by code or label, FR or EN)."""
    from reemploi.i18n import labels
    from reemploi.planning.models import Environment

    site = site_of(session, site_code)
    envs = {fold(name): e.value for e in Environment for name in (e.value, *labels(f"environment.{e.value}"))}
    return {"site": site_code.strip().upper()} | design_store.import_floors(session, site.id, path,
                                                                            environments=envs, **options)  # fmt: skip


def eirp_for(model: str, environment: str = "indoor", design_eirp: dict[str, float] | None = None) -> dict[str, float]:
    """Per band the model has: the lowest of its maximum EIRP, the regulatory cap and the design power."""
    wanted = DESIGN_EIRP_DBM | (design_eirp or {})
    out = {}
    for band, radio in radios().get(model, {}).items():
        out[band] = min(radio.max_eirp_dbm, cap(COUNTRY, band, environment).max_eirp_dbm, wanted.get(band, 99.0))
    return out


def check_eirp(design_eirp: dict[str, float] | None) -> list[dict[str, Any]]:
    """Refuse a band that does not exist; say where an asked power is above what the regulation allows."""
    notes = []
    for band, dbm in (design_eirp or {}).items():
        if band not in BANDS:
            raise InvalidInput("design_bad_band", band=band, bands=", ".join(BANDS))
        if not -10 <= dbm <= 40:
            raise InvalidInput("number_range", field=f"--eirp {band}", value=dbm, low=-10, high=40)
        limit = cap(COUNTRY, band, "indoor").max_eirp_dbm
        if dbm > limit:
            notes.append({"code": "design_eirp_capped", "band": band, "asked": dbm, "limit": limit})
    return notes


def ap_choices(session: Session, site: Site, design_eirp: dict[str, float] | None = None,
               kind: str = "indoor_ap") -> list[ApChoice]:  # fmt: skip
    """The AP models of ``kind`` in ready stock (of the site's vendor, when it has one), then the one to buy."""
    environment = "outdoor" if kind == "outdoor_ap" else "indoor"
    q = (select(EquipmentModel.model, EquipmentModel.vendor, func.count(Device.id))
         .join(Device, Device.model_id == EquipmentModel.id)
         .where(Device.state == State.READY.value, EquipmentModel.kind == kind)
         .group_by(EquipmentModel.model, EquipmentModel.vendor))  # fmt: skip
    choices = []
    vendors: Counter[str] = Counter()
    for model, vendor, count in session.execute(q):
        if site.controller_vendor and vendor != site.controller_vendor:
            continue
        eirp = eirp_for(model, environment, design_eirp)
        if eirp:
            choices.append(ApChoice(model, eirp, int(count), True))
            vendors[vendor] += int(count)
    vendor = site.controller_vendor or (vendors.most_common(1)[0][0] if vendors else "Cisco")
    buy = (OUTDOOR_PURCHASE_MODEL if kind == "outdoor_ap" else PURCHASE_MODEL).get(vendor)
    if buy and buy in radios():
        choices.append(ApChoice(buy, eirp_for(buy, environment, design_eirp), None, False))
    return choices


def run_design(session: Session, site_code: str, *, actor: str, band: str = "5", target_dbm: float = -67.0,
               coverage_share: float = 0.95, secondary_share: float | None = None, grid_m: float = 1.0,
               spacing_m: float = 3.0, materials_file: str | Path | None = None,
               design_eirp: dict[str, float] | None = None, time_limit_s: float = 45.0) -> dict[str, Any]:  # fmt: skip
    site = site_of(session, site_code)
    floors, materials = design_store.load_floors(session, site.id)
    if not floors:
        raise InvalidInput("design_no_plan", site=site_code.strip().upper())
    own = design_store.site_materials(materials_file)
    if own:
        materials |= own
    missing = sorted({w.material for f in floors for w in f.walls} - set(materials))
    if missing:
        raise InvalidInput("plan_unknown_material", file=str(materials_file or "-"), materials=", ".join(missing),
                           known=", ".join(sorted(materials)))  # fmt: skip
    _check_range("coverage_share", coverage_share, 0.5, 1.0)
    _check_range("target_dbm", target_dbm, -90.0, -40.0)
    _check_range("grid_m", grid_m, 0.25, 5.0)
    _check_range("spacing_m", spacing_m, 1.0, 20.0)
    eirp_notes = check_eirp(design_eirp)
    choices = ap_choices(session, site, design_eirp)
    model, calibrated = design_store.current_model(session, site.id, DEFAULT_MODEL)
    req = Requirements(band=band, target_dbm=target_dbm, coverage_share=coverage_share,
                       secondary_share=secondary_share, grid_m=grid_m, spacing_m=spacing_m,
                       people_per_ap={e.value: r.people_per_ap for e, r in sizing().items()},
                       time_limit_s=time_limit_s)  # fmt: skip
    outdoor_choices = ap_choices(session, site, design_eirp, kind="outdoor_ap")
    floors, zone_notes = _zones_from_file(session, site, floors)
    d = design(floors, choices, req, model, materials, outdoor_choices)
    result = {"site": site_code.strip().upper(), "calibrated": calibrated} | d.as_dict()
    result["warnings"] = eirp_notes + zone_notes + result["warnings"]
    outdoor_designed = any(z.environment == "outdoor" for f in floors for z in f.zones())
    inputs = {"floors": [f.as_dict() for f in floors],
              "materials": {k: v.loss_db for k, v in sorted(materials.items())},
              "choices": [c.__dict__ for c in choices + outdoor_choices], "requirements": req.as_dict(),
              "model": model.as_dict()}  # fmt: skip
    stored = design_store.store_design(session, site.id, result, inputs, indoor=result["indoor_aps"],
                                       outdoor=result["outdoor_aps"] if outdoor_designed else None,
                                       actor=actor)  # fmt: skip
    return stored.result


def _zones_from_file(session: Session, site: Site, floors: list[Floor]) -> tuple[list[Floor], list[dict[str, Any]]]:
    """Plans without zones: the zones file's occupants, shared over the floors, are the capacity to design for.

    Each floor gets one zone over its whole extent, of the zones' main indoor environment
    (by area), with its share of their occupants (largest remainders); the design says so."""
    from reemploi.design.plan import Area
    from reemploi.planning.models import Zone

    if any(f.zones() for f in floors):
        return floors, []
    indoor = [z for z in session.scalars(select(Zone).where(Zone.site_id == site.id)) if z.environment != "outdoor"]
    people = sum(z.occupants or 0 for z in indoor)
    if not people:
        return floors, []
    by_env: Counter[str] = Counter()
    for z in indoor:
        by_env[z.environment] += z.area_m2
    env = by_env.most_common(1)[0][0]
    base, extra = divmod(people, len(floors))
    out = []
    for i, f in enumerate(floors):
        xmin, ymin, xmax, ymax = f.bounds()
        box = [(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)]
        area = Area("zones-file", "zone", box, env, base + (1 if i < extra else 0))
        out.append(Floor(f.name, f.elevation_m, f.height_m, f.walls, [*f.areas, area], f.aps))
    return out, [{"code": "design_zones_from_file", "people": people, "floors": len(floors),
                  "environment": env}]  # fmt: skip


def _check_range(field: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise InvalidInput("number_range", field=field, value=value, low=low, high=high)


def show_design(session: Session, site_code: str) -> dict[str, Any]:
    site = site_of(session, site_code)
    d = design_store.latest_design(session, site.id)
    if d is None:
        raise InvalidInput("design_none", site=site_code.strip().upper())
    return d


# --- APs, surveys, calibration and prediction -------------------------------------------------

def _aps(session: Session, site: Site) -> tuple[list[Floor], list[KnownAp], dict[str, int], dict[str, Material]]:
    """The site's floors, and every AP a survey may name: imported ones, then the latest design's."""
    floors, materials = design_store.load_floors(session, site.id)
    index = {f.name: i for i, f in enumerate(floors)}
    aps: list[KnownAp] = []
    for a in design_store.known_aps(session, site.id).values():
        if a.floor not in index:
            continue
        eirp = orjson.loads(a.eirp_dbm) or eirp_for(a.model or "", design_eirp=None) or dict(DESIGN_EIRP_DBM)
        fi = index[a.floor]
        aps.append(KnownAp(a.name, fi, a.x_m, a.y_m, floors[fi].elevation_m + a.z_m, eirp))
    d = design_store.latest_design(session, site.id)
    names = {a.name for a in aps}
    for f in (d or {}).get("floors", []):
        if f["floor"] not in index:
            continue
        fi = index[f["floor"]]
        per: dict[str, dict[str, Any]] = {}
        for row in f["aps"]:
            per.setdefault(row["name"], row | {"eirp": {}})["eirp"][row["band"]] = row["eirp_dbm"]
        for name, row in per.items():
            if name not in names:
                aps.append(KnownAp(name, fi, row["x_m"], row["y_m"], floors[fi].elevation_m + row["z_m"], row["eirp"]))
    return floors, aps, index, materials


def import_aps(session: Session, site_code: str, path: str | Path, **options: Any) -> RowsResult:
    site = site_of(session, site_code)
    if not design_store.list_floors(session, site.id):
        raise InvalidInput("design_no_plan", site=site_code.strip().upper())
    from reemploi.catalog.models import ModelAlias

    models = {m.upper() for m in radios()} | {m.upper() for m in session.scalars(select(EquipmentModel.model))}
    models |= {a.upper() for a in session.scalars(select(ModelAlias.alias))}
    return design_store.import_aps(session, site.id, path, models=models, **options)


def import_survey(session: Session, site_code: str, path: str | Path, **options: Any) -> RowsResult:
    site = site_of(session, site_code)
    if not design_store.list_floors(session, site.id):
        raise InvalidInput("design_no_plan", site=site_code.strip().upper())
    _, aps, _, _ = _aps(session, site)
    return design_store.import_survey(session, site.id, path, ap_names={a.name for a in aps}, **options)


def calibrate_site(session: Session, site_code: str, *, actor: str) -> dict[str, Any]:
    site = site_of(session, site_code)
    floors, aps, index, materials = _aps(session, site)
    by_name = {a.name: i for i, a in enumerate(aps)}
    points = design_store.survey_points(session, site.id)
    ms = [Measurement(index[p.floor], p.x_m, p.y_m, by_name[p.ap], p.band, p.rssi_dbm) for p in points
          if p.floor in index and p.ap in by_name and p.band in aps[by_name[p.ap]].eirp_dbm]  # fmt: skip
    if not ms:
        raise InvalidInput("calibrate_no_survey", site=site_code.strip().upper())
    bands = sorted({m.band for m in ms})
    walls = {b: [floor_walls(f, b, materials) for f in floors] for b in bands}
    start, _ = design_store.current_model(session, site.id, DEFAULT_MODEL)
    model, report = calibrate(floors, walls, aps, ms, DEFAULT_MODEL)
    design_store.store_calibration(session, site.id, model, report, actor=actor)
    return {"site": site_code.strip().upper()} | report


def predict_points(session: Session, site_code: str, path: str | Path, *, band: str = "5") -> dict[str, Any]:
    """RSSI per point (CSV ``floor, x_m, y_m``) and AP, with the site's current model."""
    if band not in BANDS:
        raise InvalidInput("design_bad_band", band=band, bands=", ".join(BANDS))
    site = site_of(session, site_code)
    floors, aps, index, materials = _aps(session, site)
    if not floors:
        raise InvalidInput("design_no_plan", site=site_code.strip().upper())
    model, _ = design_store.current_model(session, site.id, DEFAULT_MODEL)
    walls = [floor_walls(f, band, materials) for f in floors]
    rows = _read_points(Path(path), index)
    tuples = [(a.floor, a.x, a.y, a.z, a.eirp_dbm[band]) for a in aps if band in a.eirp_dbm]
    names = [a.name for a in aps if band in a.eirp_dbm]
    out = []
    for fi in sorted({r[0] for r in rows}):
        sel = [r for r in rows if r[0] == fi]
        pts = np.array([[r[1], r[2]] for r in sel])
        rssi = predict(floors, walls, fi, pts, tuples, band, model) if tuples else np.zeros((len(sel), 0))
        for k, r in enumerate(sel):
            # below any receiver's sensitivity the figure means nothing: null
            levels = {n: (round(float(v), 1) if v >= PREDICT_FLOOR_DBM else None)
                      for n, v in zip(names, rssi[k], strict=True)}  # fmt: skip
            out.append((r[3], {"floor": floors[fi].name, "x_m": r[1], "y_m": r[2], "rssi_dbm": levels}))
    return {"site": site_code.strip().upper(), "band": band, "model": model.as_dict(),
            "points": [p for _, p in sorted(out, key=lambda kv: kv[0])]}  # fmt: skip


def _read_points(path: Path, index: dict[str, int]) -> list[tuple[int, float, float, int]]:
    from reemploi.inventory.records import parse_number

    table = open_table(path, is_header=lambda cells: fold("x_m") in cells, what="x_m")
    out = []
    with table:
        header = [fold(h) for h in table.header]
        for line, cells in table.rows:
            row = dict(zip(header, cells, strict=False))
            floor = (row.get(fold("floor")) or "").strip()
            if floor not in index:
                raise InvalidInput("floor_unknown_line", file=str(path), line=line, floor=floor,
                                   floors=", ".join(index))  # fmt: skip
            try:
                x, y = parse_number(row.get(fold("x_m"), "")), parse_number(row.get(fold("y_m"), ""))
            except ValueError:
                raise InvalidInput("number_invalid_line", file=str(path), line=line) from None
            out.append((index[floor], x, y, len(out)))
    return out


class _Maps:
    """What every heatmap of a site's latest design needs, read once."""

    def __init__(self, session: Session, site_code: str, lang: str) -> None:
        site = site_of(session, site_code)
        self.design = show_design(session, site_code)
        if self.design.get("stale"):
            raise InvalidInput("design_stale", site=site_code.strip().upper(), version=self.design["version"])
        self.floors, aps, _, self.materials = _aps(session, site)
        designed = {row["name"] for f in self.design["floors"] for row in f["aps"]}
        self.aps = [a for a in aps if a.name in designed]
        self.model, _ = design_store.current_model(session, site.id, DEFAULT_MODEL)
        self.grid_m = float(self.design.get("requirements", {}).get("grid_m", 1.0))
        self.code, self.lang = site_code.strip().upper(), lang

    def floor_index(self, name: str) -> int:
        for i, f in enumerate(self.floors):
            if f.name == name:
                return i
        raise InvalidInput("unknown_floor", floor=name)

    def draw(self, target: Path | BinaryIO, fi: int, band: str) -> None:
        from reemploi.design.grid import floor_grid
        from reemploi.design.heatmap import heatmap_png

        if band not in BANDS:
            raise InvalidInput("design_bad_band", band=band, bands=", ".join(BANDS))
        walls = [floor_walls(f, band, self.materials) for f in self.floors]
        tuples = [(a.floor, a.x, a.y, a.z, a.eirp_dbm[band]) for a in self.aps if band in a.eirp_dbm]
        names = [a.name for a in self.aps if band in a.eirp_dbm]
        f = self.floors[fi]
        title = t("heatmap_title", self.lang, site=self.code, floor=f.name, band=t(f"band.{band}", self.lang))
        target_dbm = float(self.design["target_dbm"])
        legend = {"target": t("heatmap_legend_target", self.lang, target=target_dbm),
                  "wall": t("heatmap_legend_wall", self.lang), "ap": t("heatmap_legend_ap", self.lang)}  # fmt: skip
        heatmap_png(target, self.floors, walls, floor_grid(fi, f, self.grid_m), tuples, names, band, self.model,
                    target_dbm, title, legend)  # fmt: skip


def heatmaps(session: Session, site_code: str, out_dir: str | Path, *, bands: tuple[str, ...] = ("5",),
             lang: str = "en") -> list[str]:  # fmt: skip
    """One PNG per floor and band of the site's latest design (its APs, the current model)."""
    maps = _Maps(session, site_code, lang)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise InvalidInput("report_out_not_dir", path=str(out))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for band in bands:
        for fi, f in enumerate(maps.floors):
            path = out / f"{maps.code}-{_safe(f.name)}-{band.replace('.', '_')}GHz.png"
            maps.draw(path, fi, band)
            written.append(str(path))
    return written


def heatmap_bytes(session: Session, site_code: str, floor: str, band: str, lang: str = "en") -> bytes:
    """One floor's heatmap as PNG bytes (the web page's image)."""
    maps = _Maps(session, site_code, lang)
    buf = io.BytesIO()
    maps.draw(buf, maps.floor_index(floor), band)
    return buf.getvalue()


def _model_name(name: str, lang: str) -> str:
    return t(f"model_name.{name}", lang) if has(f"model_name.{name}") else name


def design_pdf(session: Session, site_code: str, path: str | Path, *, lang: str = "en", replace: bool = False) -> str:
    """The site design as a PDF: the summary, then per floor its heatmap and its APs."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Image,
        KeepTogether,
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from reemploi.i18n.formatting import number, percent
    from reemploi.inventory.tabular import check_output_file

    path = Path(path)
    check_output_file(path)
    if path.exists() and not replace:
        raise InvalidInput("output_exists", file=str(path))
    maps = _Maps(session, site_code, lang)
    d = maps.design
    styles = getSampleStyleSheet()
    band = d["band"]
    story: list[Any] = [
        Paragraph(t("design_pdf_title", lang, site=maps.code, version=d["version"]), styles["Title"]),
        Paragraph(t("design_pdf_summary", lang, aps=d["aps_total"], share=d["coverage_share"], target=d["target_dbm"],
                    band=t(f"band.{band}", lang), driver=t(f"design_driver.{d['driver']}", lang),
                    coverage=d["coverage_min"],
                    capacity=d["capacity_min"]), styles["Normal"]),
        Paragraph(t("design_pdf_model", lang, name=_model_name(d["model"]["name"], lang),
                    alpha=number(d["model"]["alpha"], lang, 2),
                    beta=number(d["model"]["beta"], lang, 2), gamma=number(d["model"]["gamma"], lang, 2),
                    floor_loss=number(d["model"]["floor_loss_db"], lang, 1), inputs=d["inputs_sha256"][:16]),
                  styles["Normal"]),
    ]  # fmt: skip
    items = [t("design_model_item", lang, count=m["count"], model=m["model"],
               origin=t("design_origin_stock" if m["reused"] else "design_origin_buy", lang)) for m in d["models"]]
    story.append(Paragraph(t("design_models", lang, models=", ".join(items)), styles["Normal"]))
    if d.get("outdoor"):
        o = d["outdoor"]
        story.append(Paragraph(t("design_outdoor", lang, aps=o["aps_total"], share=o["coverage_share"],
                                 target=d["target_dbm"]), styles["Normal"]))  # fmt: skip
    for b, pairs in sorted(d["co_channel"].items()):
        story.append(Paragraph(t("design_co_channel", lang, band=t(f"band.{b}", lang), count=len(pairs)),
                               styles["Normal"]))  # fmt: skip
    bands = sorted({a["band"] for f in d["floors"] for a in f["aps"]}, key=float)
    for f in d["floors"]:
        buf = io.BytesIO()
        maps.draw(buf, maps.floor_index(f["floor"]), band)
        buf.seek(0)
        img = Image(buf)
        scale = min(250 * mm / img.imageWidth, 120 * mm / img.imageHeight)
        img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
        head = [t("design_pdf_col_ap", lang), "x (m)", "y (m)", "z (m)", t("design_pdf_col_model", lang)]
        head += [f"{t('design_pdf_col_eirp', lang)} {t(f'band.{b}', lang)} GHz" for b in bands]
        head += [f"{t('design_pdf_col_channel', lang)} {t(f'band.{b}', lang)} GHz" for b in bands]
        per: dict[str, dict[str, Any]] = {}
        for a in f["aps"]:  # one row per AP, its bands side by side
            row = per.setdefault(a["name"], {"a": a, "eirp": {}, "channel": {}})
            row["eirp"][a["band"]], row["channel"][a["band"]] = a["eirp_dbm"], a.get("channel")
        rows = [head] + [[r["a"]["name"], number(r["a"]["x_m"], lang, 1), number(r["a"]["y_m"], lang, 1),
                          number(r["a"]["z_m"], lang, 1), r["a"]["model"],
                          *(number(r["eirp"][b], lang, 1) if b in r["eirp"] else "–" for b in bands),
                          *(str(r["channel"].get(b) or "–") for b in bands)] for r in per.values()]  # fmt: skip
        table = Table(rows, repeatRows=1)
        table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3b57")),
                                   ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("FONTSIZE", (0, 0), (-1, -1), 7),
                                   ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))  # fmt: skip
        heading = Paragraph(t("design_pdf_floor", lang, floor=f["floor"], aps=len(per),
                              share=percent(f["coverage_share"], lang)), styles["Heading2"])  # fmt: skip
        story += [PageBreak(), KeepTogether([heading, img]), Spacer(1, 4 * mm), table]
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    doc = SimpleDocTemplate(str(part), pagesize=landscape(A4), title=t("design_pdf_title", lang, site=maps.code,
                                                                       version=d["version"]), invariant=1)  # fmt: skip
    doc.build(story)
    part.replace(path)
    return str(path)


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "+-_" else "_" for c in name)
