"""Long work as jobs: a POST answers 202 with a job id at once; ``GET /jobs/{id}`` follows it.

Jobs run in an in-process thread pool and live in memory: they are lost when the server
stops, and each server process sees only its own (see docs/decisions.md). A job's
function gets a progress callback and returns a JSON-able result; a domain error
becomes the job's error, translated when it is read.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang
from reemploi.db import utcnow
from reemploi.errors import ReemploiError
from reemploi.i18n import t

log = logging.getLogger("reemploi.api.jobs")
KEEP = 500  # finished jobs kept in memory, newest first

Progress = Callable[[str], None]


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
    folder: FilePath | None = None  # the job's own folder (uploads, rejects files)
    files: dict[str, FilePath] = field(default_factory=dict)  # downloadable results, by name

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
            "files": {name: f"/api/v1/jobs/{self.id}/files/{name}" for name in self.files},
        }  # fmt: skip


class JobManager:
    def __init__(self, workers: int = 2) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="reemploi-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._dir = tempfile.TemporaryDirectory(prefix="reemploi-jobs-")

    def new(self, kind: str, owner: str) -> Job:
        """A job not started yet, with its own folder (for uploads to be saved before ``start``)."""
        job_id = uuid.uuid4().hex
        folder = FilePath(self._dir.name) / job_id
        folder.mkdir()
        return Job(job_id, kind, owner, folder=folder)

    def submit(self, kind: str, owner: str, fn: Callable[[Progress], Any]) -> Job:
        return self.start(self.new(kind, owner), fn)

    def start(self, job: Job, fn: Callable[[Progress], Any]) -> Job:
        with self._lock:
            self._jobs[job.id] = job
            self._trim()
        self._pool.submit(self._run, job, fn)
        return job

    def _run(self, job: Job, fn: Callable[[Progress], Any]) -> None:
        job.status, job.started_at = "running", utcnow().isoformat()
        try:
            job.result = fn(job.progress.append)
            job.status = "done"
        except ReemploiError as exc:
            job.error, job.status = (exc.code, exc.params), "failed"
        except Exception:  # a bug: logged with its traceback, reported with a reference
            ref = uuid.uuid4().hex[:12]
            log.exception("job %s (%s) failed, reference %s", job.id, job.kind, ref)
            job.error, job.status = ("api_internal_error", {"ref": ref}), "failed"
        finally:
            job.finished_at = utcnow().isoformat()

    def _trim(self) -> None:
        done = [j for j in self._jobs.values() if j.finished_at]
        for j in sorted(done, key=lambda j: j.finished_at or "")[: max(0, len(done) - KEEP)]:
            del self._jobs[j.id]
            for f in j.files.values():
                f.unlink(missing_ok=True)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def list(self, owner: str | None = None) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        return sorted((j for j in jobs if owner is None or j.owner == owner), key=lambda j: j.created_at, reverse=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._dir.cleanup()


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
) -> FileResponse:  # fmt: skip
    job = state.jobs.get(job_id)
    if job is None or not _visible(job, who) or name not in job.files:
        raise ApiError(404, "unknown_job", job=f"{job_id}/{name}")
    path = job.files[name]
    return FileResponse(path, filename=path.name)
