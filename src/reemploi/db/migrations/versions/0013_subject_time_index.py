"""audit events: the subject index also holds when each event happened and its state

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 15:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_subject")
        batch_op.create_index("ix_audit_events_subject", ["subject_type", "subject", "occurred_at", "to_state"])


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_subject")
        batch_op.create_index("ix_audit_events_subject", ["subject_type", "subject"])
