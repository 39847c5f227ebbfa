"""Migrations: one linear chain, and it builds exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from reemploi.db import migrate
from reemploi.db.models import Base


def test_migration_chain_is_linear():
    script = ScriptDirectory.from_config(migrate.config())
    assert len(script.get_heads()) == 1
    revisions = list(script.walk_revisions())
    assert sum(1 for r in revisions if r.down_revision is None) == 1


def test_migrated_database_matches_the_models(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert migrate.current(engine) == migrate.head()


def test_an_existing_fleet_learns_where_each_device_was_received(tmp_path):
    """0006 back-fills devices.received_at_id from the audit log, on a database with data
    and foreign keys pointing at devices (no table copy on SQLite)."""
    from sqlalchemy import text

    from reemploi.db import make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0005")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO catalog_models (id, vendor, model, key, kind) "
                          "VALUES (1, 'Cisco', 'C9130AXI', 'C9130AXI', 'indoor_ap')"))  # fmt: skip
        conn.execute(text("INSERT INTO locations (id, code, name, name_key, kind) VALUES "
                          "(1, 'REFURB-A', 'A', 'a', 'refurb_centre'), (2, 'REFURB-B', 'B', 'b', 'refurb_centre')"))
        conn.execute(text("INSERT INTO devices (id, serial, model_id, state, location_id, created_at, updated_at, "
                          "state_since, version) VALUES (1, 'S1', 1, 'tested', 2, '2026-01-01', '2026-01-01', "
                          "'2026-01-01', 3), (2, 'S2', 1, 'collected', NULL, '2026-01-01', '2026-01-01', "
                          "'2026-01-01', 2)"))  # fmt: skip
        conn.execute(text("INSERT INTO test_records (device_id, at, technician, power_on, boot, radio_24, radio_5, "
                          "radio_6, casing, bracket, labels, ports, passed, grade, decision, reason, reason_fr, "
                          "rules_version) VALUES (1, '2026-01-02', 't', 'pass', 'pass', 'pass', 'pass', 'na', 'ok', "
                          "'ok', 'ok', 'ok', 1, 'A', 'reuse', 'r', 'r', '1')"))  # fmt: skip
        events = [(1, "S1", "received", "REFURB-A"), (2, "S1", "received", "REFURB-B"), (3, "S2", "collected", None)]
        for seq, serial, state, loc in events:
            conn.execute(text("INSERT INTO audit_events (seq, at, actor, action, subject_type, subject, to_state, "
                              "location, prev_hash, hash) VALUES (:seq, '2026-01-01', 'x', 'transition', 'device', "
                              ":s, :st, :loc, '0', '0')"),
                         {"seq": seq, "s": serial, "st": state, "loc": loc})  # fmt: skip
    migrate.upgrade(engine)
    with engine.connect() as conn:
        rows = dict(conn.execute(text("SELECT serial, received_at_id FROM devices")).all())
    assert rows == {"S1": 2, "S2": None}  # the last reception wins; never received: none
    engine.dispose()


def test_an_existing_chain_gets_occurred_times_and_still_verifies(tmp_path):
    """0012: events written before they had two times happened when they were recorded; their hashes hold."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    from reemploi.db import make_engine, session_factory
    from reemploi.workflow import audit

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine, "0011")
    prev, t0 = audit.GENESIS, datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    with engine.begin() as conn:
        for seq in (1, 2, 3):
            at = t0 + timedelta(hours=seq)
            fields = ["x", "create", "lot", f"L{seq}", None, None, None, None]
            h = audit.event_hash(prev, seq, audit.iso(at), fields)  # as the chain was hashed before 0012
            conn.execute(text("INSERT INTO audit_events (seq, at, actor, action, subject_type, subject, prev_hash, "
                              "hash) VALUES (:seq, :at, 'x', 'create', 'lot', :s, :p, :h)"),
                         {"seq": seq, "at": at.strftime("%Y-%m-%d %H:%M:%S.%f"), "s": f"L{seq}", "p": prev,
                          "h": h})  # fmt: skip
            prev = h
        conn.execute(text("UPDATE audit_head SET seq = 3, hash = :h WHERE id = 1"), {"h": prev})
    migrate.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM audit_events WHERE occurred_at = at")).scalar() == 3
    with session_factory(engine)() as s:
        r = audit.verify(s)
    assert r.ok and r.count == 3 and r.backdated == 0
    engine.dispose()
