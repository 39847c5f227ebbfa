"""Planning tables: a site is a location of kind `site` plus what planning needs to
know of it; zones describe its spaces; overrides keep a planner's counts beside the
computed ones (never replacing them)."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reemploi.db import Base, UTCDateTime
from reemploi.inventory.models import Location


class SiteKind(enum.StrEnum):
    HEADQUARTERS = "headquarters"
    OFFICE = "office"
    INNOVATION_CENTRE = "innovation_centre"
    SORTING_PLATFORM = "sorting_platform"
    POST_OFFICE = "post_office"
    OTHER = "other"


class Environment(enum.StrEnum):
    OPEN_OFFICE = "open_office"
    DENSE_OFFICE = "dense_office"
    MEETING = "meeting"
    CORRIDOR = "corridor"
    WAREHOUSE = "warehouse"
    OUTDOOR = "outdoor"
    AUDITORIUM = "auditorium"
    CANTEEN = "canteen"
    HALL = "hall"


class NeedClass(enum.StrEnum):
    INDOOR = "indoor"
    OUTDOOR = "outdoor"


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    priority: Mapped[int] = mapped_column(Integer, default=3)
    deadline: Mapped[date | None] = mapped_column(Date)
    controller_vendor: Mapped[str | None] = mapped_column(String(80))
    poe_budget_w: Mapped[float | None] = mapped_column(Float)

    location: Mapped[Location] = relationship()


class Zone(Base):
    __tablename__ = "zones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    environment: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[float] = mapped_column(Float)
    occupants: Mapped[int] = mapped_column(Integer, default=0)
    devices_per_user: Mapped[float | None] = mapped_column(Float)
    mbps_per_device: Mapped[float | None] = mapped_column(Float)
    floors: Mapped[int] = mapped_column(Integer, default=1)
    min_wifi_generation: Mapped[int | None] = mapped_column(Integer)
    # Wired needs (None: the environment's default, planning/data/wired.csv).
    desks: Mapped[int | None] = mapped_column(Integer)
    ports_per_desk: Mapped[float | None] = mapped_column(Float)
    printers: Mapped[int | None] = mapped_column(Integer)
    phones: Mapped[int | None] = mapped_column(Integer)
    badge_readers: Mapped[int | None] = mapped_column(Integer)
    cameras: Mapped[int | None] = mapped_column(Integer)
    other_poe: Mapped[int | None] = mapped_column(Integer)
    other_poe_w: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (UniqueConstraint("site_id", "name"),)


class NeedOverride(Base):
    __tablename__ = "need_overrides"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    need_class: Mapped[str] = mapped_column(String(10))
    count: Mapped[int] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime)

    __table_args__ = (UniqueConstraint("site_id", "need_class"),)


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    EXECUTED = "executed"
    CANCELLED = "cancelled"


class Plan(Base):
    """An allocation of ready stock to site needs, with how it was found and its baseline."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(12), default=PlanStatus.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    solver: Mapped[str] = mapped_column(String(40))
    optimal: Mapped[bool] = mapped_column(Boolean)
    gap: Mapped[float] = mapped_column(Float)
    inputs_hash: Mapped[str] = mapped_column(String(64))
    # Totals, unmet needs, unused stock and the greedy baseline, as computed.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)


class PlanDevice(Base):
    __tablename__ = "plan_devices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    need_class: Mapped[str] = mapped_column(String(10))
    transport_kgco2e: Mapped[float] = mapped_column(Float)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    box: Mapped[int | None] = mapped_column(Integer)
    # Where the device goes (planning.positions): an AP's design position or a switch's closet slot.
    position: Mapped[str | None] = mapped_column(String(120))
    floor: Mapped[str | None] = mapped_column(String(80))
    closet: Mapped[str | None] = mapped_column(String(80))
    x_m: Mapped[float | None] = mapped_column(Float)
    y_m: Mapped[float | None] = mapped_column(Float)
    # Where it was installed, as scanned (``install scan``), and when.
    installed_position: Mapped[str | None] = mapped_column(String(120))
    installed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ShipmentStatus(enum.StrEnum):
    PREPARED = "prepared"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


class Shipment(Base):
    """What leaves the stock for one site under an approved plan: boxes on pallets."""

    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"))
    status: Mapped[str] = mapped_column(String(12), default=ShipmentStatus.PREPARED.value)
    devices: Mapped[int] = mapped_column(Integer)
    boxes: Mapped[int] = mapped_column(Integer)
    pallets: Mapped[int] = mapped_column(Integer)
    distance_km: Mapped[float] = mapped_column(Float)
    transport_kgco2e: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
