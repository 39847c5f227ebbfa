"""Jobs tables: one row per job (status, steps, result or error) and the files it produced.

A job runs in the server process that accepted it (``worker`` names it: host and pid);
its row lets any process answer for it, and keeps it across restarts. Files (an
import's rejects, the CSR report) are stored with it, so they download from any process.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from reemploi.db import Base, UTCDateTime, utcnow


class JobRecord(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    owner: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))  # queued, running, done, failed
    steps: Mapped[str | None] = mapped_column(Text)  # JSON list of progress steps
    result: Mapped[str | None] = mapped_column(Text)  # JSON
    error_code: Mapped[str | None] = mapped_column(String(60))
    error_params: Mapped[str | None] = mapped_column(Text)  # JSON
    worker: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Put by the running process every 30 s (PostgreSQL): a job without it for minutes lost its process.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_jobs_created_at", "created_at"),)


class JobFile(Base):
    __tablename__ = "job_files"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes] = mapped_column(LargeBinary)
