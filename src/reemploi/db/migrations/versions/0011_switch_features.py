"""catalog: multigigabit ports, stack size and uplink speed of switches

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("catalog_models", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mgig_ports", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stack_max", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("uplink_gbps", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("catalog_models", schema=None) as batch_op:
        for name in ("uplink_gbps", "stack_max", "mgig_ports"):
            batch_op.drop_column(name)
