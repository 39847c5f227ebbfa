"""Shipments: an approved plan becomes one shipment per site, packed in boxes on pallets;
devices are shipped, installed and put in service by shipment; site acceptance compares
what was installed with what was planned.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.db import utcnow
from reemploi.errors import Conflict, InvalidInput, NotFound
from reemploi.geo import great_circle_km
from reemploi.i18n import header, t
from reemploi.inventory.models import Device, Location
from reemploi.inventory.tabular import check_output_file, neutralise
from reemploi.planning.allocation import ROAD_FACTOR
from reemploi.planning.models import Plan, PlanDevice, PlanStatus, Shipment, ShipmentStatus, Site
from reemploi.planning.plans import get_plan
from reemploi.settings import service as settings
from reemploi.workflow import audit, service
from reemploi.workflow.service import MoveResult
from reemploi.workflow.states import State


class UnknownShipment(NotFound):
    code = "unknown_shipment"


def create_shipments(session: Session, plan_id: int, *, actor: str) -> list[Shipment]:
    """One shipment per site of an approved plan; devices numbered into boxes."""
    audit.lock(session)
    plan = get_plan(session, plan_id)
    if plan.status != PlanStatus.APPROVED.value:
        raise Conflict("plan_not_approved", plan=plan.id, status=plan.status)
    if session.scalar(select(func.count()).select_from(Shipment).where(Shipment.plan_id == plan.id)):
        raise Conflict("shipments_exist", plan=plan.id)
    box_cap = int(settings.get(session, "box_capacity"))
    pallet_cap = int(settings.get(session, "pallet_capacity"))
    rows = session.execute(
        select(PlanDevice, Device.serial, Location.lat, Location.lon)
        .join(Device, Device.id == PlanDevice.device_id)
        .outerjoin(Location, Location.id == Device.location_id)
        .where(PlanDevice.plan_id == plan.id)
        .order_by(PlanDevice.site_id, Device.serial)
    ).all()
    # Packed by floor (a box goes up to one floor), then by closet and position.
    rows.sort(key=lambda r: (r[0].site_id, r[0].floor or "", r[0].closet or "", r[0].position or "", r[1]))
    sites = {
        s.id: loc for s, loc in session.execute(select(Site, Location).join(Location, Location.id == Site.location_id))
    }
    by_site: dict[int, list[Any]] = {}
    for pd, serial, lat, lon in rows:
        by_site.setdefault(pd.site_id, []).append((pd, serial, lat, lon))
    out = []
    when = utcnow()
    for site_id, items in sorted(by_site.items(), key=lambda kv: sites[kv[0]].code):
        dest = sites[site_id]
        lat, lon = items[0][2], items[0][3]
        km = (
            great_circle_km(lat, lon, dest.lat, dest.lon) * ROAD_FACTOR
            if None not in (lat, lon, dest.lat, dest.lon)
            else 0
        )
        box_of: list[int] = []
        boxes = 0
        for floor in dict.fromkeys(pd.floor for pd, *_ in items):
            on_floor = sum(1 for pd, *_ in items if pd.floor == floor)
            box_of += [boxes + k // box_cap + 1 for k in range(on_floor)]
            boxes += math.ceil(on_floor / box_cap)
        sh = Shipment(
            code=f"SH-{plan.id}-{dest.code}"[:40], plan_id=plan.id, site_id=site_id, devices=len(items), boxes=boxes,
            pallets=math.ceil(boxes / pallet_cap), distance_km=round(km, 1),
            transport_kgco2e=round(sum(pd.transport_kgco2e for pd, *_ in items), 4), created_at=when,
        )  # fmt: skip
        session.add(sh)
        session.flush()
        for (pd, *_rest), box in zip(items, box_of, strict=True):
            pd.shipment_id, pd.box = sh.id, box
        out.append(sh)
    audit.append(session, [(actor, "ship_plan", "plan", str(plan.id), None, None, None, None)], when)
    return out


def get_shipment(session: Session, code: str) -> Shipment:
    sh = session.scalar(select(Shipment).where(Shipment.code == code.strip().upper()))
    if sh is None:
        raise UnknownShipment(shipment=code)
    return sh


def shipment_serials(session: Session, sh: Shipment) -> list[str]:
    q = select(Device.serial).join(PlanDevice, PlanDevice.device_id == Device.id).where(PlanDevice.shipment_id == sh.id)
    return list(session.scalars(q.order_by(Device.serial)))


def _site_code(session: Session, sh: Shipment) -> str:
    return session.scalar(
        select(Location.code).join(Site, Site.location_id == Location.id).where(Site.id == sh.site_id)
    )


def send(session: Session, code: str, *, actor: str) -> MoveResult:
    """The shipment leaves: its devices go reserved → shipped."""
    audit.lock(session)
    sh = get_shipment(session, code)
    if sh.status != ShipmentStatus.PREPARED.value:
        raise Conflict("shipment_status", shipment=sh.code, status=sh.status)
    res = service.transition(session, shipment_serials(session, sh), State.SHIPPED, actor=actor, context="shipment",
                             reason=f"shipment {sh.code}")  # fmt: skip
    if res.moved:  # a shipment whose devices were all refused has not left
        sh.status = ShipmentStatus.SHIPPED.value
    return res


def install(session: Session, code: str, serials: list[str] | None, *, actor: str) -> MoveResult:
    """Devices of the shipment are mounted at its site (all of them, or the ones named)."""
    audit.lock(session)
    sh = get_shipment(session, code)
    if sh.status == ShipmentStatus.PREPARED.value:
        raise Conflict("shipment_status", shipment=sh.code, status=sh.status)
    mine = shipment_serials(session, sh)
    wanted = service.normalise_serials(serials) if serials else mine
    foreign = sorted(set(wanted) - set(mine))
    if foreign:
        raise InvalidInput("not_in_shipment", shipment=sh.code, serials=", ".join(foreign[:5]))
    res = service.transition(session, wanted, State.INSTALLED, actor=actor, at=_site_code(session, sh),
                             context="shipment")  # fmt: skip
    if res.moved:
        sh.status = ShipmentStatus.DELIVERED.value
    return res


def in_service(session: Session, code: str, *, actor: str) -> MoveResult:
    audit.lock(session)
    sh = get_shipment(session, code)
    installed = list(
        session.scalars(
            select(Device.serial)
            .join(PlanDevice, PlanDevice.device_id == Device.id)
            .where(PlanDevice.shipment_id == sh.id, Device.state == State.INSTALLED.value)
            .order_by(Device.serial)
        )
    )
    res = service.transition(session, installed, State.IN_SERVICE, actor=actor, context="shipment")
    _maybe_executed(session, sh.plan_id, actor)
    return res


def _maybe_executed(session: Session, plan_id: int, actor: str) -> None:
    """A plan is executed when every device it placed is installed or in service."""
    left = session.scalar(
        select(func.count())
        .select_from(PlanDevice)
        .join(Device, Device.id == PlanDevice.device_id)
        .where(PlanDevice.plan_id == plan_id, Device.state.not_in([State.INSTALLED.value, State.IN_SERVICE.value]))
    )
    plan = session.get(Plan, plan_id)
    if plan is not None and left == 0 and plan.status == PlanStatus.APPROVED.value:
        plan.status = PlanStatus.EXECUTED.value
        audit.append(session, [(actor, "execute", "plan", str(plan.id), "approved", "executed", None, None)], utcnow())


def list_shipments(session: Session, plan_id: int | None = None) -> list[dict[str, Any]]:
    q = (
        select(Shipment, Location.code)
        .join(Site, Site.id == Shipment.site_id)
        .join(Location, Location.id == Site.location_id)
    )
    if plan_id is not None:
        q = q.where(Shipment.plan_id == plan_id)
    return [
        {"shipment": sh.code, "plan": sh.plan_id, "site": site, "status": sh.status, "devices": sh.devices,
         "boxes": sh.boxes, "pallets": sh.pallets, "distance_km": sh.distance_km,
         "transport_kgco2e": sh.transport_kgco2e}
        for sh, site in session.execute(q.order_by(Shipment.code))
    ]  # fmt: skip


def packing_list(session: Session, code: str, path: str | Path, lang: str = "fr", *, replace: bool = True) -> int:
    """The shipment's packing list, box by box (CSV, or PDF by extension). Returns the line count.

    An existing file is replaced only when ``replace`` says so."""
    sh = get_shipment(session, code)
    path = Path(path)
    check_output_file(path)
    if path.suffix.lower() not in (".csv", ".pdf"):
        raise InvalidInput("packing_list_format", file=str(path))
    if path.exists() and not replace:
        raise InvalidInput("output_exists", file=str(path))
    rows = session.execute(
        select(PlanDevice.box, Device.serial, EquipmentModel.model, Device.grade, Device.asset_tag, Device.mac,
               PlanDevice.floor, PlanDevice.closet, PlanDevice.position)
        .join(Device, Device.id == PlanDevice.device_id)
        .join(EquipmentModel, EquipmentModel.id == Device.model_id)
        .where(PlanDevice.shipment_id == sh.id)
        .order_by(PlanDevice.box, PlanDevice.position, Device.serial)
    ).all()
    cols = [header(name, lang) for name in ("box", "serial", "model", "grade", "asset_tag", "mac", "floor", "closet",
                                            "position")]  # fmt: skip
    site = _site_code(session, sh)
    if path.suffix.lower() == ".csv":
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow([header("shipment", lang), sh.code, header("site", lang), site])
            w.writerow(cols)
            w.writerows([neutralise(v) for v in r] for r in rows)
        return len(rows)
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    title = t("packing_list_title", lang)
    styles = getSampleStyleSheet()
    table = Table([cols] + [["" if v is None else str(v) for v in r] for r in rows], repeatRows=1)
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3b57")),
                               ("TEXTCOLOR", (0, 0), (-1, 0), colors.white), ("FONTSIZE", (0, 0), (-1, -1), 8),
                               ("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))  # fmt: skip
    meta = t("packing_list_meta", lang, shipment=sh.code, site=site, devices=sh.devices, boxes=sh.boxes,
             pallets=sh.pallets, km=sh.distance_km, kg=sh.transport_kgco2e)  # fmt: skip
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), title=f"{title} {sh.code}", invariant=1)
    doc.build([Paragraph(f"{title} — {sh.code}", styles["Title"]), Paragraph(meta, styles["Normal"]), table])
    return len(rows)


def acceptance(session: Session, site_code: str) -> dict[str, Any]:
    """Installed against planned for a site, over its approved or executed plans; the gaps listed."""
    site = session.scalar(
        select(Site).join(Location, Location.id == Site.location_id).where(Location.code == site_code.strip().upper())
    )
    if site is None:
        from reemploi.errors import UnknownSite

        raise UnknownSite(site=site_code)
    rows = session.execute(
        select(Device.serial, Device.state)
        .join(PlanDevice, PlanDevice.device_id == Device.id)
        .join(Plan, Plan.id == PlanDevice.plan_id)
        .where(PlanDevice.site_id == site.id, Plan.status.in_([PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value]))
        .order_by(Device.serial)
    ).all()
    from reemploi.planning.install import positions_report

    done = {State.INSTALLED.value, State.IN_SERVICE.value}
    return {
        "site": site_code.strip().upper(),
        "planned": len(rows),
        "installed": sum(1 for _, st in rows if st in done),
        "gaps": [{"serial": s, "state": st} for s, st in rows if st not in done],
        "positions": positions_report(session, site.id),
    }
