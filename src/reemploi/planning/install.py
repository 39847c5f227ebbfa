"""Installation by position: a device scanned where it is mounted, checked against its plan.

``install_at`` records that a device is installed at a position of its site (an AP's
design position, a switch's closet slot). A scan at another site, or at another position
than the one planned, is refused with the right one named; ``swap`` accepts another
position of the same site and class (two APs of a box swapped on a ladder), recorded as
such. A position holds one device. The site acceptance (``shipments.acceptance``) lists
positions installed, missing and swapped.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.errors import Conflict, InvalidInput, UnknownDevice
from reemploi.i18n import LANGS, label, state_label
from reemploi.i18n.formatting import Localized
from reemploi.inventory.models import Device, Location
from reemploi.planning.models import Plan, PlanDevice, PlanStatus, Shipment, ShipmentStatus, Site
from reemploi.workflow import audit, clock, service
from reemploi.workflow.states import State

IN_FORCE = (PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value)


def _site_code(session: Session, site_id: int) -> str:
    return session.scalar(select(Location.code).join(Site, Site.location_id == Location.id).where(Site.id == site_id))


def site_plan_devices(session: Session, site_id: int) -> list[tuple[PlanDevice, str, str]]:
    """The site's devices under plans in force: (plan row, serial, state), the latest plan naming a device winning."""
    q = (select(PlanDevice, Device.serial, Device.state).join(Plan, Plan.id == PlanDevice.plan_id)
         .join(Device, Device.id == PlanDevice.device_id)
         .where(PlanDevice.site_id == site_id, Plan.status.in_(IN_FORCE)).order_by(PlanDevice.plan_id))  # fmt: skip
    latest: dict[str, tuple[PlanDevice, str, str]] = {}
    for pd, serial, state in session.execute(q):
        latest[serial] = (pd, serial, state)
    return [latest[s] for s in sorted(latest)]


def install_at(session: Session, serial: str, position: str | None, *, site: str | None = None,
               swap: bool = False, actor: str) -> dict[str, Any]:  # fmt: skip
    """Record ``serial`` installed at ``position`` of its planned site (see the module)."""
    audit.lock(session)
    wanted = service.normalise_serials([serial])
    if not wanted:
        raise InvalidInput("install_no_serial")
    serial = wanted[0]
    device = session.scalar(select(Device).where(Device.serial == serial))
    if device is None:
        raise UnknownDevice(serial=serial)
    pd = session.scalars(select(PlanDevice).join(Plan, Plan.id == PlanDevice.plan_id)
                         .where(PlanDevice.device_id == device.id, Plan.status.in_(IN_FORCE))
                         .order_by(PlanDevice.plan_id.desc()).limit(1)).first()  # fmt: skip
    if pd is None:
        raise Conflict("install_not_planned", serial=serial, state=localized_state(device.state))
    site_code = _site_code(session, pd.site_id)
    if site and site.strip().upper() != site_code:
        raise Conflict("install_wrong_site", serial=serial, site=site.strip().upper(), planned=site_code,
                       position=pd.position or "-")  # fmt: skip
    if device.state not in (State.SHIPPED.value, State.INSTALLED.value, State.IN_SERVICE.value):
        raise Conflict("install_not_shipped", serial=serial, state=localized_state(device.state))
    others = [(o, s) for o, s, _ in site_plan_devices(session, pd.site_id) if s != serial]
    known = {o.position for o, _ in others if o.position} | ({pd.position} if pd.position else set())
    by_fold = {_fold(k): k for k in known}
    given = " ".join((position or "").split())  # tabs and line ends a scanner adds are spaces
    if given.upper().startswith(service.LABEL_PREFIX):
        raise InvalidInput("install_position_is_label", position=given)
    installed = device.state in (State.INSTALLED.value, State.IN_SERVICE.value)
    if not given and installed and pd.installed_position:
        given = pd.installed_position  # scanned again without a position: where it is stays recorded
    if not given and pd.position:
        raise InvalidInput("install_position_required", serial=serial, planned=pd.position, floor=pd.floor or "-")
    target = by_fold.get(_fold(given), given) if given else None
    if target is not None and len(target) > 120:
        raise InvalidInput("value_too_long", field="--position", max=120)
    if pd.position and target != pd.position and target not in known:
        raise InvalidInput("install_unknown_position", site=site_code, position=given, planned=pd.position)
    moved = installed and pd.installed_position is not None and target != pd.installed_position
    if moved and not swap:  # installed already, somewhere else: a move is recorded with --swap only
        raise Conflict("install_already_at", serial=serial, installed=pd.installed_position, position=target or "-")
    if target in known and target != pd.position and target != pd.installed_position:  # another device's planned one
        if not swap:
            if pd.position is None:
                owner = next((s for o, s in others if o.position == target), "-")
                raise Conflict("install_position_planned", position=target, serial=owner)
            raise Conflict("install_wrong_position", serial=serial, position=target, planned=pd.position,
                           floor=pd.floor or "-")  # fmt: skip
        if _class_of(others, target) not in (None, pd.need_class):
            raise Conflict("install_swap_class", serial=serial, position=target,
                           need_class=localized("need_class", pd.need_class))  # fmt: skip
    taken = next((s for o, s in others if target and o.installed_position
                  and _fold(o.installed_position) == _fold(target)), None)  # fmt: skip
    if taken:
        raise Conflict("install_position_taken", position=target, serial=taken)
    before = pd.installed_position
    state = device.state
    if device.state == State.SHIPPED.value:
        res = service.transition(session, [serial], State.INSTALLED, actor=actor, at=site_code, context="install",
                                 details={serial: {"position": target}})  # fmt: skip
        if res.refused:
            r = res.refused[0]
            raise Conflict(r.code, **r.params)
        state = State.INSTALLED.value
        if pd.shipment_id is not None:
            sh = session.get(Shipment, pd.shipment_id)
            if sh is not None and sh.status == ShipmentStatus.SHIPPED.value:
                sh.status = ShipmentStatus.DELIVERED.value
    elif before != target:  # the device stays in its state: the position goes in the event's data
        data = orjson.dumps({"position": [before, target], "swapped": bool(pd.position and target != pd.position)})
        audit.append(session, [(actor, "install_position", "device", serial, device.state, device.state, site_code,
                                data.decode())], utcnow())  # fmt: skip
    pd.installed_position, pd.installed_at = target, clock.occurred(utcnow())
    return {"serial": serial, "site": site_code, "position": target, "planned": pd.position, "floor": pd.floor,
            "closet": pd.closet, "swapped": bool(pd.position and target != pd.position), "state": state,
            "already": before == target and state == device.state and before is not None}  # fmt: skip


def _fold(text: str) -> str:
    """Positions compare without case or accents (``1er etage-AP02`` is ``1ER ÉTAGE-AP02``), spaces as typed."""
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in plain if not unicodedata.combining(ch)).casefold().split())


def localized(enum: str, value: str) -> Localized:
    return Localized({lang: label(enum, value, lang) for lang in LANGS})


def localized_state(state: str) -> Localized:
    return Localized({lang: state_label(state, lang) for lang in LANGS})


def _class_of(rows: list[tuple[PlanDevice, str]], position: str | None) -> str | None:
    return next((o.need_class for o, _ in rows if o.position == position), None)


def positions_report(session: Session, site_id: int) -> dict[str, Any]:
    """Planned positions installed (as planned), missing (nothing scanned there yet) and swapped."""
    rows = site_plan_devices(session, site_id)
    done = {State.INSTALLED.value, State.IN_SERVICE.value}
    scanned = {o.installed_position for o, _, st in rows if o.installed_position and st in done}
    installed, missing, swapped, unscanned = [], [], [], []
    for o, serial, st in rows:
        if not o.position:
            continue
        item = {"position": o.position, "floor": o.floor, "closet": o.closet, "serial": serial}
        if st in done and o.installed_position == o.position:
            installed.append(item)
        elif st in done and o.installed_position:
            swapped.append(item | {"installed_position": o.installed_position})
        elif st in done:
            unscanned.append(item)  # installed by shipment, its position never scanned
        if o.position not in scanned and not (st in done and not o.installed_position):
            missing.append(item | {"state": st})
    key = lambda r: r["position"]  # noqa: E731
    return {"installed": sorted(installed, key=key), "missing": sorted(missing, key=key),
            "swapped": sorted(swapped, key=key), "not_scanned": sorted(unscanned, key=key)}  # fmt: skip
