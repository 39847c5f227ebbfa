"""Catalog tables: one row per equipment model, and its aliases (regional SKUs).

Invariant: a model name and every alias are unique case-insensitively, across both
tables, so that any spelling in a field export resolves to exactly one model.
"""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reemploi.db import Base


class DeviceKind(enum.StrEnum):
    INDOOR_AP = "indoor_ap"
    OUTDOOR_AP = "outdoor_ap"
    SWITCH = "switch"
    OTHER = "other"


class DataQuality(enum.StrEnum):
    """How much a figure can be trusted (Boavizta's input/default/archetype, in spirit)."""

    MEASURED = "measured"
    VENDOR = "vendor"
    DATASHEET = "datasheet"
    DATABASE = "database"
    ESTIMATE = "estimate"


class EquipmentModel(Base):
    __tablename__ = "catalog_models"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    vendor: Mapped[str] = mapped_column(String(80))
    model: Mapped[str] = mapped_column(String(80))
    # Upper-cased model name: the unique key every lookup uses.
    key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    wifi_generation: Mapped[int | None] = mapped_column(Integer)
    bands: Mapped[str | None] = mapped_column(String(20))
    poe_class: Mapped[str | None] = mapped_column(String(30))
    max_draw_w: Mapped[float | None] = mapped_column(Float)
    max_draw_quality: Mapped[str | None] = mapped_column(String(20))
    mass_kg: Mapped[float | None] = mapped_column(Float)
    mass_quality: Mapped[str | None] = mapped_column(String(20))
    end_of_sale: Mapped[date | None] = mapped_column(Date)
    end_of_support: Mapped[date | None] = mapped_column(Date)
    embodied_kgco2e: Mapped[float | None] = mapped_column(Float)
    embodied_low: Mapped[float | None] = mapped_column(Float)
    embodied_high: Mapped[float | None] = mapped_column(Float)
    embodied_source: Mapped[str | None] = mapped_column(String(400))
    embodied_quality: Mapped[str | None] = mapped_column(String(20))
    ports: Mapped[int | None] = mapped_column(Integer)
    poe_budget_w: Mapped[float | None] = mapped_column(Float)
    spec_source: Mapped[str | None] = mapped_column(String(400))
    # Switches: access ports at 2.5 GbE or more (multigigabit), members a stack takes, uplink speed.
    mgig_ports: Mapped[int | None] = mapped_column(Integer)
    stack_max: Mapped[int | None] = mapped_column(Integer)
    uplink_gbps: Mapped[float | None] = mapped_column(Float)

    aliases: Mapped[list[ModelAlias]] = relationship(
        back_populates="equipment_model", cascade="all, delete-orphan", order_by="ModelAlias.alias"
    )


class ModelAlias(Base):
    __tablename__ = "catalog_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("catalog_models.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80), unique=True)

    equipment_model: Mapped[EquipmentModel] = relationship(back_populates="aliases")
