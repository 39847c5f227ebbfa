"""Concurrent writers queue on the audit chain: nothing is lost, nothing deadlocks."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from reemploi.db import make_engine, transaction
from reemploi.inventory.importer import import_devices
from reemploi.inventory.models import Device
from reemploi.workflow.audit import verify
from reemploi.workflow.models import AuditEvent
from reemploi.workflow.service import transition
from reemploi.workflow.states import State

pytestmark = pytest.mark.usefixtures("venues")


def test_concurrent_moves_and_imports_keep_one_verified_chain(db_url, tmp_path):
    groups = [[f"FOC4444C{g}{i:02d}" for i in range(30)] for g in range(4)]
    first = tmp_path / "first.csv"
    first.write_text("serial,model,location\n" + "".join(f"{s},C9130AXI,PAR-BERCY\n" for grp in groups for s in grp))
    late = tmp_path / "late.csv"
    late.write_text("serial,model,location\n" + "".join(f"FOC4444L{i:03d},C9120AXI,PAR-BERCY\n" for i in range(200)))
    engine = make_engine(db_url)
    with transaction(engine) as s:
        import_devices(s, first, actor="setup")
    errors: list[BaseException] = []

    def mover(serials: list[str]) -> None:
        eng = make_engine(db_url)
        try:
            for target in (State.COLLECTED, State.IN_TRANSIT):
                for serial in serials:  # one transaction per device: many short writers
                    with transaction(eng) as s:
                        r = transition(s, [serial], target, actor=threading.current_thread().name)
                        assert r.moved == [serial], r
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)
        finally:
            eng.dispose()

    def importer() -> None:
        eng = make_engine(db_url)
        try:
            with transaction(eng) as s:
                res = import_devices(s, late, actor="late")
                assert res.created == 200
        except BaseException as exc:
            errors.append(exc)
        finally:
            eng.dispose()

    threads = [threading.Thread(target=mover, args=(g,), name=f"mover{i}") for i, g in enumerate(groups)]
    threads.append(threading.Thread(target=importer, name="importer"))
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    with transaction(engine, write=False) as s:
        assert s.scalar(select(func.count()).select_from(Device).where(Device.state == "in_transit")) == 120
        # 120 + 200 creations, 2 moves for each of the 120 devices.
        devices_and_lots = select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type != "location")
        assert s.scalar(devices_and_lots) == 320 + 240
        result = verify(s)
        assert result.ok and result.count == s.scalar(select(func.count()).select_from(AuditEvent))
    engine.dispose()
