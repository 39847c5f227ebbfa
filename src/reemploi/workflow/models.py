"""Audit tables: append-only events chained by SHA-256, and the chain's head.

Invariant: events have contiguous ``seq`` from 1; each ``prev_hash`` is the hash of
the event before it (the first links to GENESIS); each ``hash`` is recomputable from
the stored fields; ``audit_head`` holds the last seq and hash, so a deleted tail is
seen too. Events are written only by ``reemploi.workflow.audit.append``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, UTCDateTime


class AuditEvent(Base):
    __tablename__ = "audit_events"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str | None] = mapped_column(String(20))
    location: Mapped[str | None] = mapped_column(String(40))
    data: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    # When it happened (``at`` is when it was recorded): workflow.clock.
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)

    # A device's events in order, and when each happened and to which state: the questions of time
    # (workflow.timeline) read this index alone.
    __table_args__ = (Index("ix_audit_events_subject", "subject_type", "subject", "occurred_at", "to_state"),)


class AuditHead(Base):
    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    hash: Mapped[str] = mapped_column(String(64))


class DeviceMilestone(Base):
    """When a device first entered each stage of the programme (``workflow.timeline``), kept by every move.

    A summary of its audit events (which stay the record): lead times read a row per
    device instead of aggregating every event."""

    __tablename__ = "device_milestones"

    device_id: Mapped[int] = mapped_column(ForeignKey("devices.id", ondelete="CASCADE"), primary_key=True)
    deployed: Mapped[datetime | None] = mapped_column(UTCDateTime)
    collected: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ready: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shipped: Mapped[datetime | None] = mapped_column(UTCDateTime)
    installed: Mapped[datetime | None] = mapped_column(UTCDateTime)
