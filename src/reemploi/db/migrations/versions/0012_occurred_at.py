"""audit events: when it happened, apart from when it was recorded

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 14:40:00

Existing events happened when they were recorded: ``occurred_at = at``. Their hashes
do not change (the occurred time enters the hash only when it differs: workflow.audit).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from reemploi.db import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("occurred_at", UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE audit_events SET occurred_at = at")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("occurred_at", existing_type=UTCDateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("occurred_at")
