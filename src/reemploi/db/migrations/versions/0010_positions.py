"""plan devices: target position and installation scan

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reemploi.db import UTCDateTime

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("plan_devices", schema=None) as batch_op:
        batch_op.add_column(sa.Column("position", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("floor", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("closet", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("x_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("y_m", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("installed_position", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("installed_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_devices", schema=None) as batch_op:
        for name in ("installed_at", "installed_position", "y_m", "x_m", "closet", "floor", "position"):
            batch_op.drop_column(name)
