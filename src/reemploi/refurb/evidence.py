"""Set-based reads of the bench records, for guards, decisions and device pages.

Each function takes many device ids and runs one query per chunk, never one per device.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.catalog.models import EquipmentModel
from reemploi.inventory.models import Device, Location
from reemploi.refurb.models import Disposal, FirmwareUpgrade, Repair, Sanitization, TestRecord
from reemploi.workflow.service import chunks


def _ids(ids: Iterable[int]) -> list[int]:
    return sorted(set(ids))


def last_tests(session: Session, device_ids: Iterable[int]) -> dict[int, TestRecord]:
    """The newest test of each device (ties broken by id)."""
    out: dict[int, TestRecord] = {}
    for part in chunks(_ids(device_ids)):
        newest = (
            select(TestRecord.device_id, func.max(TestRecord.id).label("id"))
            .where(TestRecord.device_id.in_(part))
            .group_by(TestRecord.device_id)
            .subquery()
        )
        for t in session.scalars(select(TestRecord).join(newest, TestRecord.id == newest.c.id)):
            out[t.device_id] = t
    return out


def last_test_times(session: Session, device_ids: Iterable[int]) -> dict[int, datetime]:
    """When each device was last tested (cheaper than loading the records)."""
    out: dict[int, datetime] = {}
    for part in chunks(_ids(device_ids)):
        q = select(TestRecord.device_id, func.max(TestRecord.at)).where(TestRecord.device_id.in_(part))
        for did, at in session.execute(q.group_by(TestRecord.device_id)):
            out[did] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return out


def _latest_wipe_if(session: Session, device_ids: Iterable[int], passed: bool) -> dict[int, datetime]:
    """When each device was last wiped, for the devices whose latest wipe has result ``passed``."""
    out: dict[int, datetime] = {}
    for part in chunks(_ids(device_ids)):
        newest = (
            select(Sanitization.device_id, func.max(Sanitization.id).label("id"))
            .where(Sanitization.device_id.in_(part))
            .group_by(Sanitization.device_id)
            .subquery()
        )
        q = select(Sanitization.device_id, Sanitization.at).join(newest, Sanitization.id == newest.c.id)
        for did, at in session.execute(q.where(Sanitization.passed.is_(passed))):
            out[did] = at if at.tzinfo else at.replace(tzinfo=UTC)
    return out


def last_passing_sanitization(session: Session, device_ids: Iterable[int]) -> dict[int, datetime]:
    """When each device was last wiped, if that latest wipe passed (a later failed wipe voids it)."""
    return _latest_wipe_if(session, device_ids, True)


def last_failed_sanitization(session: Session, device_ids: Iterable[int]) -> dict[int, datetime]:
    """When each device's latest wipe was done, for the devices whose latest wipe failed."""
    return _latest_wipe_if(session, device_ids, False)


def repair_counts(session: Session, device_ids: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for part in chunks(_ids(device_ids)):
        q = select(Repair.device_id, func.count()).where(Repair.device_id.in_(part)).group_by(Repair.device_id)
        out.update({did: int(n) for did, n in session.execute(q)})
    return out


def upgrades(session: Session, device_ids: Iterable[int]) -> dict[int, list[FirmwareUpgrade]]:
    out: dict[int, list[FirmwareUpgrade]] = {}
    for part in chunks(_ids(device_ids)):
        q = select(FirmwareUpgrade).where(FirmwareUpgrade.device_id.in_(part)).order_by(FirmwareUpgrade.id)
        for u in session.scalars(q):
            out.setdefault(u.device_id, []).append(u)
    return out


def disposed(session: Session, device_ids: Iterable[int]) -> set[int]:
    out: set[int] = set()
    for part in chunks(_ids(device_ids)):
        out.update(session.scalars(select(Disposal.device_id).where(Disposal.device_id.in_(part)).distinct()))
    return out


def models_of(session: Session, device_ids: Iterable[int]) -> dict[int, EquipmentModel]:
    out: dict[int, EquipmentModel] = {}
    for part in chunks(_ids(device_ids)):
        q = select(Device.id, EquipmentModel).join(EquipmentModel, Device.model_id == EquipmentModel.id)
        for did, m in session.execute(q.where(Device.id.in_(part))):
            out[did] = m
    return out


def current_firmware(test: TestRecord | None, ups: list[FirmwareUpgrade]) -> str | None:
    """The firmware a device runs now: its last upgrade, unless a later test saw another."""
    version, at = (test.firmware, test.at) if test else (None, None)
    for u in ups:
        if at is None or u.at >= at:
            version, at = u.to_version, u.at
    return version


def records(session: Session, device_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every bench record of one device, oldest first (for ``devices show``)."""

    def rows(model: Any, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        q = select(model).where(model.device_id == device_id).order_by(model.id)
        return [
            {f: (v.isoformat() if isinstance(v := getattr(r, f), datetime) else v) for f in fields}
            for r in session.scalars(q)
        ]

    recyclers = select(Disposal.recycler_id).where(Disposal.device_id == device_id)
    codes = dict(session.execute(select(Location.id, Location.code).where(Location.id.in_(recyclers))).all())
    return {
        "tests": rows(
            TestRecord,
            (
                "at",
                "technician",
                "bench",
                "power_on",
                "boot",
                "radio_24",
                "radio_5",
                "radio_6",
                "eth_speed_mbps",
                "poe_class",
                "firmware",
                "casing",
                "bracket",
                "labels",
                "ports",
                "notes",
                "passed",
                "grade",
                "decision",
                "reason",
                "rules_version",
            ),
        ),  # fmt: skip
        "repairs": rows(Repair, ("at", "technician", "action", "parts", "minutes")),
        "sanitizations": rows(Sanitization, ("at", "method", "passed", "operator", "verifier", "notes")),
        "upgrades": rows(FirmwareUpgrade, ("at", "from_version", "to_version", "technician")),
        "disposals": [
            d | {"recycler": codes.get(d.pop("recycler_id"))}
            for d in rows(Disposal, ("at", "recycler_id", "weight_kg", "reference", "operator"))
        ],
    }


def flags(session: Session, device_id: int) -> list[dict[str, Any]]:
    """What stands between a device and `ready` on policy grounds, even before it asks.

    Firmware below the programme minimum, vendor support ending before the second-life
    horizon. The same rules as the `ready` guard (``refurb.guards.ready_evidence``).
    """
    from datetime import timedelta

    from reemploi.refurb.rules import firmware_policy, version_key
    from reemploi.settings import service as settings

    out: list[dict[str, Any]] = []
    model = models_of(session, [device_id])[device_id]
    test = last_tests(session, [device_id]).get(device_id)
    running = current_firmware(test, upgrades(session, [device_id]).get(device_id, []))
    minimum = firmware_policy().get(model.key)
    if minimum and running and version_key(running) < version_key(minimum):
        out.append({"flag": "firmware_below_minimum", "found": running, "minimum": minimum})
    horizon = datetime.now(UTC).date() + timedelta(days=round(365.25 * settings.get(session, "horizon_years")))
    if model.end_of_support and model.end_of_support < horizon:
        out.append({"flag": "support_ends_before_horizon", "end": model.end_of_support.isoformat(),
                    "horizon": horizon.isoformat()})  # fmt: skip
    return out
