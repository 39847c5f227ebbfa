"""Long work as jobs: a POST answers 202 with a job id at once; ``GET /jobs/{id}`` follows it.

A job runs in a thread pool of the server process that accepted it, and is stored in the
database (``reemploi.jobs.models``): its status, steps, result or error, and the files it
produced, so that any server process answers for it and it outlives a restart. The
process running a job answers for it from memory. On PostgreSQL (several server
processes) the row is written when the job is queued, started, at each step and at the
end, and a job whose process died is reported failed (``job_interrupted``) by the next
process started on that host. On SQLite (one server process) it is written once, at
the end: the job's own transaction holds the database's write lock meanwhile, and a
new job must not wait for it to be accepted. A job's function gets a progress callback
and returns a JSON-able result; a domain error becomes the job's error, translated
when it is read.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from sqlalchemy import delete, select, update

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang
from reemploi.db import utcnow
from reemploi.errors import ReemploiError
from reemploi.i18n import t
from reemploi.jobs.models import JobFile, JobRecord

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger("reemploi.api.jobs")
KEEP = 500  # finished jobs kept (with their files), newest first
LISTED = 200  # jobs a list shows, newest first
HEARTBEAT = 30.0  # seconds between the marks a process puts on its queued and running jobs (PostgreSQL)
STALE = 180.0  # a queued or running job without a mark for this long lost its process (any host)

Progress = Callable[[str], None]


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


@dataclass
class Job:
    id: str
    kind: str
    owner: str
    status: str = "queued"  # queued, running, done, failed
    progress: list[str] = field(default_factory=list)
    result: Any = None
    error: tuple[str, dict[str, Any]] | None = None
    created_at: str = field(default_factory=lambda: utcnow().isoformat())
    started_at: str | None = None
    finished_at: str | None = None
    folder: FilePath | None = None  # the job's own folder while it runs here (uploads, files it writes)
    files: dict[str, FilePath] = field(default_factory=dict)  # what it produced, by name (set by its function)
    stored: dict[str, str] = field(default_factory=dict)  # stored files: name -> file name

    @property
    def file_names(self) -> list[str]:
        return list(self.stored or self.files)

    def as_dict(self, lang: str) -> dict[str, Any]:
        err = None
        if self.error:
            code, params = self.error
            err = {"code": code, "message": t(code, lang, **params)}
        return {
            "id": self.id, "kind": self.kind, "owner": self.owner, "status": self.status,
            "progress": self.progress[-1] if self.progress else None, "steps": list(self.progress),
            "result": self.result, "error": err, "created_at": self.created_at, "started_at": self.started_at,
            "finished_at": self.finished_at,
            "files": {name: f"/api/v1/jobs/{self.id}/files/{name}" for name in self.file_names},
        }  # fmt: skip

    @classmethod
    def from_row(cls, r: JobRecord, stored: dict[str, str]) -> Job:
        return cls(
            r.id, r.kind, r.owner, r.status, orjson.loads(r.steps) if r.steps else [],
            orjson.loads(r.result) if r.result else None,
            (r.error_code, orjson.loads(r.error_params or "{}")) if r.error_code else None,
            _iso(r.created_at) or "", _iso(r.started_at), _iso(r.finished_at), stored=stored,
        )  # fmt: skip


# Job managers alive in this process (several apps may share one, as in the tests).
_MANAGERS: set[str] = set()


def _dead(worker: str, host: str) -> bool:
    """Whether ``worker`` ("host:pid:token") was a job manager on this host that no longer runs."""
    where, pid, token = (worker.rsplit(":", 2) + ["", ""])[:3]
    if where != host or not pid.isdigit():
        return False
    if int(pid) == os.getpid():  # this process, or an earlier one given the same pid (containers)
        return token not in _MANAGERS
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


class JobManager:
    def __init__(self, workers: int = 2, keep: int = KEEP) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reemploi-job")
        self._live: dict[str, Job] = {}  # jobs of this process not yet stored as finished
        self._lock = threading.Lock()
        self._dir = tempfile.TemporaryDirectory(prefix="reemploi-jobs-")
        self._host = socket.gethostname()[:90]
        self._token = uuid.uuid4().hex[:12]
        self.worker = f"{self._host}:{os.getpid()}:{self._token}"
        _MANAGERS.add(self._token)
        self.keep = keep
        self._state: ApiState | None = None
        self._shared = False  # rows written as the job goes (PostgreSQL), not only at the end
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def attach(self, state: ApiState) -> None:
        """Bind to the application's units of work; report jobs of dead processes of this host as failed."""
        self._state = state
        self._shared = state.engine.dialect.name != "sqlite"
        if not self._shared:
            return
        with state.write() as s:
            rows = s.execute(select(JobRecord.id, JobRecord.worker).where(JobRecord.status.in_(("queued", "running"))))
            lost = [job_id for job_id, worker in rows if _dead(worker, self._host)]
            self._interrupted(s, lost)
        self._beat = threading.Thread(target=self._heartbeat, name="reemploi-jobs-heartbeat", daemon=True)
        self._beat.start()

    @staticmethod
    def _interrupted(s: Session, ids: list[str], before: datetime | None = None) -> None:
        """Report jobs whose process is gone as failed (those still without a mark since ``before``)."""
        if not ids:
            return
        q = update(JobRecord).where(JobRecord.id.in_(ids), JobRecord.status.in_(("queued", "running")))
        if before is not None:
            q = q.where(JobRecord.heartbeat_at < before)
        s.execute(q.values(status="failed", error_code="job_interrupted", error_params="{}", finished_at=utcnow()))

    def _heartbeat(self) -> None:
        """Mark this process's queued and running jobs every HEARTBEAT seconds, so others know it lives."""
        while not self._stop.wait(HEARTBEAT):
            with self._lock:
                ids = list(self._live)
            if not ids:
                continue
            try:
                with self.state.write() as s:
                    s.execute(update(JobRecord).where(JobRecord.id.in_(ids)).values(heartbeat_at=utcnow()))
            except Exception:  # the database is away for a moment: the next beat tries again
                log.warning("job heartbeat failed", exc_info=True)

    def _sweep(self, rows: list[JobRecord]) -> list[str]:
        """Ids of queued or running jobs, not this process's, whose process stopped marking them."""
        if not self._shared:
            return []
        cutoff = utcnow() - timedelta(seconds=STALE)
        with self._lock:
            mine = set(self._live)
        stale = [r.id for r in rows if r.status in ("queued", "running") and r.id not in mine
                 and (r.heartbeat_at or r.created_at) < cutoff]  # fmt: skip
        if stale:
            with self.state.write() as s:
                self._interrupted(s, stale, cutoff)
        return stale

    @property
    def state(self) -> ApiState:
        if self._state is None:
            raise RuntimeError("JobManager.attach() was not called")
        return self._state

    def new(self, kind: str, owner: str) -> Job:
        """A job not started yet, with its own folder (for uploads to be saved before ``start``)."""
        job_id = uuid.uuid4().hex
        folder = FilePath(self._dir.name) / job_id
        folder.mkdir()
        return Job(job_id, kind, owner, folder=folder)

    def submit(self, kind: str, owner: str, fn: Callable[[Progress], Any]) -> Job:
        return self.start(self.new(kind, owner), fn)

    def start(self, job: Job, fn: Callable[[Progress], Any]) -> Job:
        if self._shared:
            with self.state.write() as s:
                s.add(self._record(job))
        with self._lock:
            self._live[job.id] = job
        self._pool.submit(self._run, job, fn)
        return job

    def _record(self, job: Job, **values: Any) -> JobRecord:
        base: dict[str, Any] = {
            "id": job.id, "kind": job.kind, "owner": job.owner, "status": job.status, "worker": self.worker,
            "created_at": datetime.fromisoformat(job.created_at), "heartbeat_at": utcnow(),
        }  # fmt: skip
        return JobRecord(**(base | values))

    def _save(self, job_id: str, **values: Any) -> None:
        if self._shared:
            with self.state.write() as s:
                s.execute(update(JobRecord).where(JobRecord.id == job_id).values(**values))

    def _run(self, job: Job, fn: Callable[[Progress], Any]) -> None:
        job.status, job.started_at = "running", utcnow().isoformat()
        self._save(job.id, status="running", started_at=datetime.fromisoformat(job.started_at))

        def progress(step: str) -> None:
            job.progress.append(step)
            self._save(job.id, steps=orjson.dumps(job.progress).decode())

        status, result, error = "done", None, None
        try:
            result = fn(progress)
        except ReemploiError as exc:
            status, error = "failed", (exc.code, exc.params)
        except Exception:  # a bug: logged with its traceback, reported with a reference
            ref = uuid.uuid4().hex[:12]
            log.exception("job %s (%s) failed, reference %s", job.id, job.kind, ref)
            status, error = "failed", ("api_internal_error", {"ref": ref})
        try:
            self._finish(job, status, result, error, utcnow())
        except Exception:  # the database is gone: the job stays in memory, as it finished
            log.exception("job %s (%s) could not be stored", job.id, job.kind)
            job.result, job.error, job.finished_at, job.status = result, error, utcnow().isoformat(), status
            return
        with self._lock:
            self._live.pop(job.id, None)
        if job.folder is not None:
            shutil.rmtree(job.folder, ignore_errors=True)

    def _finish(self, job: Job, status: str, result: Any, error: tuple[str, dict[str, Any]] | None,
                at: datetime) -> None:  # fmt: skip
        """Store the job as finished, with its files; only then does it show as finished (files ready)."""
        values = {
            "status": status, "steps": orjson.dumps(job.progress).decode(),
            "result": orjson.dumps(result).decode() if result is not None else None,
            "error_code": error[0] if error else None,
            "error_params": orjson.dumps(error[1]).decode() if error else None,
            "started_at": datetime.fromisoformat(job.started_at) if job.started_at else None, "finished_at": at,
        }  # fmt: skip
        files = {name: (path.name[-200:], path.read_bytes()) for name, path in job.files.items()}
        with self.state.write() as s:
            if self._shared:
                s.execute(update(JobRecord).where(JobRecord.id == job.id).values(**values))
            else:
                s.add(self._record(job, **values))
                s.flush()  # the row before its files (no ORM relationship orders them)
            s.add_all(JobFile(job_id=job.id, name=n, filename=f, content=c) for n, (f, c) in files.items())
            self._trim(s)
        job.stored = {name: f for name, (f, _) in files.items()}
        job.result, job.error, job.finished_at, job.status = result, error, at.isoformat(), status

    def _trim(self, s: Session) -> None:
        old = list(
            s.scalars(
                select(JobRecord.id).where(JobRecord.finished_at.is_not(None))
                .order_by(JobRecord.finished_at.desc()).offset(self.keep)
            )
        )  # fmt: skip
        if old:
            s.execute(delete(JobFile).where(JobFile.job_id.in_(old)))
            s.execute(delete(JobRecord).where(JobRecord.id.in_(old)))

    def _stored_names(self, s: Session, ids: list[str]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {}
        if ids:
            q = select(JobFile.job_id, JobFile.name, JobFile.filename).where(JobFile.job_id.in_(ids))
            for job_id, name, filename in s.execute(q):
                out.setdefault(job_id, {})[name] = filename
        return out

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            live = self._live.get(job_id)
        if live is not None:
            return live
        if len(job_id) > 32:
            return None
        jobs = self._read(select(JobRecord).where(JobRecord.id == job_id))
        return jobs[0] if jobs else None

    def _read(self, q: Any) -> list[Job]:
        """Stored jobs (``q`` selects JobRecord rows) with their file names; first reports as
        interrupted those whose process stopped marking them, so they read as they now are."""
        with self.state.read() as s:
            rows = list(s.scalars(q))
            if self._sweep(rows):  # committed by then (only on PostgreSQL: each statement reads afresh)
                rows = list(s.scalars(q.execution_options(populate_existing=True)))
            names = self._stored_names(s, [r.id for r in rows if r.finished_at is not None])
        return [Job.from_row(r, names.get(r.id, {})) for r in rows]

    def list(self, owner: str | None = None, kind: str | None = None) -> list[Job]:
        """Jobs of every process, newest first (the last ``LISTED``); this process's own from memory."""
        q = select(JobRecord).order_by(JobRecord.created_at.desc(), JobRecord.id).limit(LISTED)
        if owner is not None:
            q = q.where(JobRecord.owner == owner)
        if kind is not None:
            q = q.where(JobRecord.kind == kind)
        jobs = {j.id: j for j in self._read(q)}
        with self._lock:  # this process's own, fresher (and on SQLite, not stored before they finish)
            jobs.update((i, j) for i, j in self._live.items()
                        if (owner is None or j.owner == owner) and (kind is None or j.kind == kind))  # fmt: skip
        return sorted(jobs.values(), key=lambda j: (j.created_at, j.id), reverse=True)[:LISTED]

    def file(self, job_id: str, name: str) -> tuple[str, bytes] | None:
        """A file a job produced: (file name, content), or None."""
        if len(job_id) > 32 or len(name) > 40:
            return None
        with self.state.read() as s:
            row = s.get(JobFile, (job_id, name))
            if row is not None:
                return (row.filename, row.content)
        with self._lock:  # finished here but not stored (the database was away): from its folder
            live = self._live.get(job_id)
        path = live.files.get(name) if live is not None and live.finished_at else None
        try:
            return (path.name, path.read_bytes()) if path is not None else None
        except OSError:
            return None

    def shutdown(self) -> None:
        """Let running jobs finish; report those still queued as interrupted (they never started)."""
        self._stop.set()
        self._pool.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            dropped = [j for j in self._live.values() if j.status == "queued"]
        for job in dropped:
            try:
                self._finish(job, "failed", None, ("job_interrupted", {}), utcnow())
            except Exception:  # the database is gone too: nothing more to do
                log.warning("job %s could not be stored at shutdown", job.id, exc_info=True)
        self._dir.cleanup()
        _MANAGERS.discard(self._token)


router = APIRouter(tags=["jobs"])


def _visible(job: Job | None, who: Principal) -> bool:
    return job is not None and (job.owner == who.name or who.role == "admin")


@router.get("/jobs", summary="Jobs (one's own; admins see all), newest first")
def list_jobs(
    request: Request, who: Principal = Depends(Authorize("jobs:read")), state: ApiState = Depends(api_state)
) -> dict[str, Any]:
    lang = request_lang(request)
    jobs = state.jobs.list(None if who.role == "admin" else who.name)
    return {"items": [j.as_dict(lang) for j in jobs]}


@router.get("/jobs/{job_id}", summary="A job's status, progress and result")
def get_job(
    job_id: str, request: Request, who: Principal = Depends(Authorize("jobs:read")),
    state: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    job = state.jobs.get(job_id)
    if job is None or not _visible(job, who):
        raise ApiError(404, "unknown_job", job=job_id)
    return job.as_dict(request_lang(request))


@router.get("/jobs/{job_id}/files/{name}", summary="Download a file a job produced (e.g. an import's rejects)")
def get_job_file(
    job_id: Annotated[str, Path(max_length=64)], name: Annotated[str, Path(max_length=40)],
    who: Principal = Depends(Authorize("jobs:read")), state: ApiState = Depends(api_state),
) -> Response:  # fmt: skip
    job = state.jobs.get(job_id)
    found = state.jobs.file(job_id, name) if job is not None and _visible(job, who) else None
    if found is None:
        raise ApiError(404, "unknown_job", job=f"{job_id}/{name}")
    return download(*found)


def download(filename: str, content: bytes, media_type: str | None = None) -> Response:
    """A stored file as an attachment, typed by its name unless told."""
    import mimetypes
    from urllib.parse import quote

    kind = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    plain = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    disposition = f"attachment; filename=\"{plain}\"; filename*=utf-8''{quote(filename)}"
    return Response(content, media_type=kind, headers={"Content-Disposition": disposition})
