"""Tables of the site design: floor plans, surveyed or imported APs, survey points, designs,
calibrations. Each row belongs to a destination site (``sites.id``, named by table so that
this package stays below planning)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, UTCDateTime


class FloorPlanRecord(Base):
    """One floor of a site, as imported: walls, areas, existing APs and its own materials (JSON)."""

    __tablename__ = "floor_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    elevation_m: Mapped[float] = mapped_column(Float)
    height_m: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    plan_sha256: Mapped[str] = mapped_column(String(64))  # of the floor as stored (plan, materials, levels)
    units: Mapped[str] = mapped_column(String(40))
    plan: Mapped[str] = mapped_column(Text)  # Floor.as_dict() as JSON
    materials: Mapped[str] = mapped_column(Text, default="{}")  # {name: {band: dB}}
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("site_id", "name"),)


class SiteAp(Base):
    """An AP installed or placed at a site, known by name (``aps import``): what surveys measure."""

    __tablename__ = "site_aps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    floor: Mapped[str] = mapped_column(String(120))
    x_m: Mapped[float] = mapped_column(Float)
    y_m: Mapped[float] = mapped_column(Float)
    z_m: Mapped[float] = mapped_column(Float)
    model: Mapped[str | None] = mapped_column(String(80))
    eirp_dbm: Mapped[str] = mapped_column(Text, default="{}")  # {band: dBm} when known

    __table_args__ = (UniqueConstraint("site_id", "name"),)


class SurveyPoint(Base):
    """One measurement: at (floor, x, y) the AP ``ap`` was heard at ``rssi_dbm`` on ``band``."""

    __tablename__ = "survey_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    floor: Mapped[str] = mapped_column(String(120))
    x_m: Mapped[float] = mapped_column(Float)
    y_m: Mapped[float] = mapped_column(Float)
    ap: Mapped[str] = mapped_column(String(120))
    band: Mapped[str] = mapped_column(String(4))
    rssi_dbm: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(String(255))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Calibration(Base):
    """The propagation parameters fitted to a site's survey, and how well they predict held-out points."""

    __tablename__ = "calibrations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    alpha: Mapped[float] = mapped_column(Float)
    beta: Mapped[float] = mapped_column(Float)
    gamma: Mapped[float] = mapped_column(Float)
    floor_loss_db: Mapped[float] = mapped_column(Float)
    result: Mapped[str] = mapped_column(Text)  # the fit's report as JSON
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))


class SiteDesign(Base):
    """A stored design: versioned per site, its inputs hashed, the design as JSON."""

    __tablename__ = "site_designs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    floors_sha256: Mapped[str] = mapped_column(String(64))  # the site's floors it was made from
    aps_total: Mapped[int] = mapped_column(Integer)
    indoor_aps: Mapped[int] = mapped_column(Integer)
    outdoor_aps: Mapped[int | None] = mapped_column(Integer)  # None: the plans have no outdoor area
    coverage_share: Mapped[float] = mapped_column(Float)
    driver: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))

    __table_args__ = (UniqueConstraint("site_id", "version"),)
