"""jobs: long work stored so that every server process sees it, and its files

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 08:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import reemploi.db

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("owner", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("steps", sa.Text(), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error_code", sa.String(length=60), nullable=True),
        sa.Column("error_params", sa.Text(), nullable=True),
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("created_at", reemploi.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", reemploi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", reemploi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", reemploi.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    op.create_index("ix_jobs_created_at", "jobs", ["created_at"], unique=False)
    op.create_table(
        "job_files",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["jobs.id"], name=op.f("fk_job_files_job_id_jobs"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "name", name=op.f("pk_job_files")),
    )


def downgrade() -> None:
    op.drop_table("job_files")
    op.drop_index("ix_jobs_created_at", table_name="jobs")
    op.drop_table("jobs")
