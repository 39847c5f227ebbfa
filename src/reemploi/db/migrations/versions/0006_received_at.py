"""devices remember the centre that received them (chain of custody, impact ledger)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # ALTER TABLE ADD COLUMN with an inline reference: no copy of the table (a batch copy
        # would drop `devices`, which the foreign keys of the records point at).
        op.execute(
            "ALTER TABLE devices ADD COLUMN received_at_id INTEGER "
            "CONSTRAINT fk_devices_received_at_id_locations REFERENCES locations (id)"
        )
    else:
        op.add_column("devices", sa.Column("received_at_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_devices_received_at_id_locations", "devices", "locations", ["received_at_id"], ["id"])
    # Existing devices: the place of their last reception event in the audit log.
    op.execute(
        "UPDATE devices SET received_at_id = ("
        " SELECT l.id FROM audit_events a JOIN locations l ON l.code = a.location"
        " WHERE a.subject_type = 'device' AND a.subject = devices.serial AND a.to_state = 'received'"
        " ORDER BY a.seq DESC LIMIT 1)"
    )


def downgrade() -> None:
    with op.batch_alter_table("devices", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_devices_received_at_id_locations"), type_="foreignkey")
        batch_op.drop_column("received_at_id")
