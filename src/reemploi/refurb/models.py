"""Bench records. All are immutable once written: a correction is a new record.

Each record names its device by id and carries who did it and when (UTC). A test
record also keeps the grade, decision and reason computed from the grading rules in
force, with the rules' version, so a later change of rules never rewrites history.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, UTCDateTime


class Check(enum.StrEnum):
    PASS = "pass"
    FAIL = "fail"
    NA = "na"  # not applicable: e.g. no 6 GHz radio on this model


class Condition(enum.StrEnum):
    OK = "ok"
    WORN = "worn"
    DAMAGED = "damaged"
    MISSING = "missing"
    BROKEN = "broken"


# The conditions each physical check may report: the ones the grading rules read.
# Anything else (a "broken" port, a "damaged" bracket) would grade as like new, so it is refused.
PHYSICAL_CHECKS: dict[str, tuple[Condition, ...]] = {
    "casing": (Condition.OK, Condition.WORN, Condition.BROKEN),
    "bracket": (Condition.OK, Condition.MISSING),
    "labels": (Condition.OK, Condition.DAMAGED, Condition.MISSING),
    "ports": (Condition.OK, Condition.DAMAGED),
}


class SanitizationMethod(enum.StrEnum):
    FACTORY_RESET = "factory_reset"
    CONFIG_ERASE_VERIFY = "config_erase_verify"
    REIMAGE = "reimage"


class Decision(enum.StrEnum):
    REUSE = "reuse"
    REPAIR = "repair"
    HARVEST = "harvest"
    RECYCLE = "recycle"


class TestRecord(Base):
    __tablename__ = "test_records"
    __test__ = False  # not a pytest test class

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    technician: Mapped[str] = mapped_column(String(120))
    bench: Mapped[str | None] = mapped_column(String(60))
    power_on: Mapped[str] = mapped_column(String(4))
    boot: Mapped[str] = mapped_column(String(4))
    radio_24: Mapped[str] = mapped_column(String(4))
    radio_5: Mapped[str] = mapped_column(String(4))
    radio_6: Mapped[str] = mapped_column(String(4))
    eth_speed_mbps: Mapped[int | None] = mapped_column(Integer)
    poe_class: Mapped[str | None] = mapped_column(String(20))
    firmware: Mapped[str | None] = mapped_column(String(40))
    casing: Mapped[str] = mapped_column(String(10))
    bracket: Mapped[str] = mapped_column(String(10))
    labels: Mapped[str] = mapped_column(String(10))
    ports: Mapped[str] = mapped_column(String(10))
    notes: Mapped[str | None] = mapped_column(String(400))
    passed: Mapped[bool] = mapped_column(Boolean)
    grade: Mapped[str] = mapped_column(String(2))
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(String(200))  # English
    reason_fr: Mapped[str] = mapped_column(String(200))
    rules_version: Mapped[str] = mapped_column(String(20))

    __table_args__ = (Index("ix_test_records_device", "device_id", "at"),)


class Repair(Base):
    __tablename__ = "repairs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    technician: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(400))
    # [{"part": "radio module", "mass_kg": 0.05}, ...]: the impact accounting reads it.
    parts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    minutes: Mapped[int | None] = mapped_column(Integer)


class Sanitization(Base):
    __tablename__ = "sanitizations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    method: Mapped[str] = mapped_column(String(30))
    passed: Mapped[bool] = mapped_column(Boolean)
    operator: Mapped[str] = mapped_column(String(120))
    verifier: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(String(400))

    __table_args__ = (Index("ix_sanitizations_device", "device_id", "at"),)


class FirmwareUpgrade(Base):
    __tablename__ = "firmware_upgrades"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    from_version: Mapped[str | None] = mapped_column(String(40))
    to_version: Mapped[str] = mapped_column(String(40))
    technician: Mapped[str] = mapped_column(String(120))


class Disposal(Base):
    """A WEEE record: who took the device (or its remains), how heavy, which certificate."""

    __tablename__ = "disposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    recycler_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    weight_kg: Mapped[float] = mapped_column(Float)
    reference: Mapped[str] = mapped_column(String(120))
    operator: Mapped[str] = mapped_column(String(120))
