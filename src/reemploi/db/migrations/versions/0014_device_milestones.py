"""device milestones: when each device first entered each stage (a summary of its events)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reemploi.db import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAGES = ("deployed", "collected", "received", "ready", "shipped", "installed")


def upgrade() -> None:
    op.create_table(
        "device_milestones",
        sa.Column("device_id", sa.Integer(), nullable=False),
        *(sa.Column(s, UTCDateTime(timezone=True), nullable=True) for s in STAGES),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name=op.f("fk_device_milestones_device_id_devices"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_device_milestones")),
    )
    cols = ", ".join(STAGES)
    firsts = ", ".join(f"MIN(CASE WHEN e.to_state = '{s}' THEN e.occurred_at END)" for s in STAGES)
    op.execute(f"INSERT INTO device_milestones (device_id, {cols}) SELECT d.id, {firsts} FROM devices d "
               "JOIN audit_events e ON e.subject_type = 'device' AND e.subject = d.serial GROUP BY d.id")


def downgrade() -> None:
    op.drop_table("device_milestones")
