"""Jobs are stored: any server process answers for them, they outlive a restart, and a
job whose process died is reported as interrupted."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from reemploi.api import create_app
from reemploi.api.jobs import JobManager, _dead
from reemploi.jobs.models import JobFile, JobRecord

pytestmark = pytest.mark.usefixtures("venues")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def wait_job(client: TestClient, job_id: str, headers: dict[str, str]) -> dict:  # type: ignore[type-arg]
    for _ in range(1200):
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job  # type: ignore[no-any-return]
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_a_job_is_seen_by_every_server_process_and_outlives_a_restart(db_url, role_tokens):
    h = bearer(role_tokens["technician"])
    csv = "serial,model,location\nFOC7777J001,C9130AXI,PAR-BERCY\nFOC7777J002,NOPE-MODEL,PAR-BERCY\n"
    first, second = (create_app(db_url, secret_key="k") for _ in range(2))
    with TestClient(first) as a, TestClient(second) as b:
        r = a.post("/api/v1/imports/devices", files={"file": ("field.csv", csv.encode(), "text/csv")}, headers=h)
        assert r.status_code == 202
        job_id = r.json()["job"]
        done = wait_job(a, job_id, h)
        assert done["status"] == "done" and done["result"]["rejected"] == 1
        seen = b.get(f"/api/v1/jobs/{job_id}", headers=h).json()  # the other process
        assert {k: seen[k] for k in ("status", "result", "steps", "files")} == {
            k: done[k] for k in ("status", "result", "steps", "files")
        }
        rejects = b.get(done["files"]["rejects"], headers=h)
        assert rejects.status_code == 200 and "FOC7777J002" in rejects.text
        assert 'filename*=utf-8\'\'field.rejects.csv' in rejects.headers["content-disposition"]
        assert [j["id"] for j in b.get("/api/v1/jobs", headers=h).json()["items"]] == [job_id]
        other = bearer(role_tokens["planner"])  # someone else's job stays hidden from other users
        assert b.get(f"/api/v1/jobs/{job_id}", headers=other).status_code == 404
        assert b.get(done["files"]["rejects"], headers=other).status_code == 404
    with TestClient(create_app(db_url, secret_key="k")) as c:  # after a restart
        assert c.get(f"/api/v1/jobs/{job_id}", headers=h).json()["status"] == "done"
        assert "FOC7777J002" in c.get(done["files"]["rejects"], headers=h).text


def test_only_the_latest_finished_jobs_are_kept_with_their_files(db_url, role_tokens, engine):
    app = create_app(db_url, secret_key="k")
    app.state.reemploi.jobs.keep = 2
    h = bearer(role_tokens["technician"])
    with TestClient(app) as client:
        ids = []
        for i in range(4):
            csv = f"serial,model,location\nFOC7777K{i:03d},NOPE,PAR-BERCY\n"
            r = client.post("/api/v1/imports/devices", files={"file": ("f.csv", csv.encode(), "text/csv")}, headers=h)
            ids.append(r.json()["job"])
            assert wait_job(client, ids[-1], h)["status"] == "done"
        assert client.get(f"/api/v1/jobs/{ids[0]}", headers=h).status_code == 404
        assert client.get(f"/api/v1/jobs/{ids[3]}", headers=h).json()["files"]
    with engine.connect() as conn:
        assert set(conn.execute(select(JobRecord.id)).scalars()) == set(ids[2:])
        assert conn.execute(select(func.count()).select_from(JobFile)).scalar() == 2


def test_a_dead_process_is_told_from_a_live_one():
    host = socket.gethostname()[:90]
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(gone.stdout)
    assert _dead(f"{host}:{dead_pid}:t0", host)
    manager = JobManager(workers=1)
    try:
        assert not _dead(manager.worker, host)  # alive, in this very process
        import os

        assert _dead(f"{host}:{os.getpid()}:not-a-live-manager", host)  # an earlier process given this pid
        assert not _dead(f"elsewhere:{dead_pid}:t0", host)  # another host's: not ours to judge
    finally:
        manager.shutdown()
    assert _dead(manager.worker, host)


def test_a_job_whose_process_died_is_reported_interrupted(db_url, engine, role_tokens):
    if engine.dialect.name == "sqlite":
        pytest.skip("on SQLite (one server process) a job is stored once it has finished")
    from reemploi.db import session_factory

    host = socket.gethostname()[:90]
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    with session_factory(engine)() as s:
        s.add(JobRecord(id="f" * 32, kind="plan_create", owner="planner", status="running",
                        worker=f"{host}:{int(gone.stdout)}:t0"))  # fmt: skip
        s.add(JobRecord(id="e" * 32, kind="plan_create", owner="planner", status="running",
                        worker=f"elsewhere:{int(gone.stdout)}:t0"))  # fmt: skip
        s.commit()
    with TestClient(create_app(db_url, secret_key="k")) as client:
        h = bearer(role_tokens["planner"])
        job = client.get("/api/v1/jobs/" + "f" * 32, headers=h).json()
        assert job["status"] == "failed" and job["error"]["code"] == "job_interrupted"
        assert client.get("/api/v1/jobs/" + "e" * 32, headers=h).json()["status"] == "running"


def test_a_job_whose_process_stopped_marking_it_is_reported_interrupted_from_any_host(db_url, engine, role_tokens):
    if engine.dialect.name == "sqlite":
        pytest.skip("on SQLite (one server process) a job is stored once it has finished")
    from datetime import timedelta

    from reemploi.db import session_factory, utcnow

    with session_factory(engine)() as s:
        s.add(JobRecord(id="a" * 32, kind="report", owner="csr", status="running", worker="old-container:1:t0",
                        heartbeat_at=utcnow() - timedelta(minutes=10)))  # fmt: skip
        s.add(JobRecord(id="b" * 32, kind="report", owner="csr", status="running", worker="other-host:1:t1",
                        heartbeat_at=utcnow()))  # fmt: skip
        s.commit()
    with TestClient(create_app(db_url, secret_key="k")) as client:
        h = bearer(role_tokens["csr"])
        items = {j["id"]: j for j in client.get("/api/v1/jobs", headers=bearer(role_tokens["admin"])).json()["items"]}
        assert items["a" * 32]["status"] == "failed" and items["a" * 32]["error"]["code"] == "job_interrupted"
        assert client.get("/api/v1/jobs/" + "b" * 32, headers=h).json()["status"] == "running"  # it lives
        assert client.get("/api/v1/jobs/" + "b" * 32 + "x", headers=h).status_code == 404  # ids are exact
