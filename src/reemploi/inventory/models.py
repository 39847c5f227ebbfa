"""Inventory tables: locations, lots (pallets, boxes), devices, unmatched scans.

A device is known by its serial (unique, upper-case); its MAC, when known, is unique
too. Process state, grade, custody (location, lot) are separate columns: separate
axes. Only ``reemploi.workflow`` changes a device, and it writes the audit event.
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reemploi.catalog.models import EquipmentModel
from reemploi.db import Base, UTCDateTime, utcnow

# A serial as stored: trimmed, upper-case, letters, digits and dashes (4 to 40).
SERIAL_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{3,39}$")


class LocationKind(enum.StrEnum):
    VENUE = "venue"
    WAREHOUSE = "warehouse"
    REFURB_CENTRE = "refurb_centre"
    SITE = "site"
    RECYCLER = "recycler"


class LotKind(enum.StrEnum):
    PALLET = "pallet"
    BOX = "box"


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Name folded (no case, accents or punctuation) for matching field exports.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    city: Mapped[str | None] = mapped_column(String(120))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class Lot(Base):
    __tablename__ = "lots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default=LotKind.PALLET.value)
    origin_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    seal: Mapped[str | None] = mapped_column(String(60))
    carrier: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    origin: Mapped[Location | None] = relationship()


class Device(Base):
    __tablename__ = "devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    serial: Mapped[str] = mapped_column(String(40), unique=True)
    mac: Mapped[str | None] = mapped_column(String(17), unique=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("catalog_models.id"))
    state: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str | None] = mapped_column(String(4))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"), index=True)
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lots.id"))
    # Where the device was last received (refurbishment centre, warehouse): the chain of
    # custody's hand-over point, kept here so that the impact ledger need not scan the audit log.
    received_at_id: Mapped[int | None] = mapped_column(ForeignKey("locations.id"))
    asset_tag: Mapped[str | None] = mapped_column(String(60))
    attributes: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the device entered its current state: evidence must be newer than this.
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped by every change; lets a concurrent writer detect it lost a race.
    version: Mapped[int] = mapped_column(Integer, default=1)

    equipment_model: Mapped[EquipmentModel] = relationship()
    location: Mapped[Location | None] = relationship(foreign_keys=[location_id])
    lot: Mapped[Lot | None] = relationship()

    __table_args__ = (
        # Counts and stock queries filter by state then model; a lookup by model alone is rare.
        Index("ix_devices_state_model", "state", "model_id"),
        # Only devices in a lot are indexed: an import of a million loose devices pays nothing.
        Index(
            "ix_devices_lot",
            "lot_id",
            sqlite_where=text("lot_id IS NOT NULL"),
            postgresql_where=text("lot_id IS NOT NULL"),
        ),
    )


class UnmatchedScan(Base):
    """A scanned code that matched no device: kept, never dropped (snipe-it #17237)."""

    __tablename__ = "unmatched_scans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(200))
    context: Mapped[str] = mapped_column(String(40))
    lot_code: Mapped[str | None] = mapped_column(String(60))
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
