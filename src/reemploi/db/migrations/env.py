"""Alembic environment: runs on the connection handed in by ``reemploi.db.migrate``."""

from alembic import context

from reemploi.db.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through reemploi.db.migrate
    raise RuntimeError("run migrations through `reemploi db upgrade`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
