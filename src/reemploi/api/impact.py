"""Impact figures and the CSR report: ``GET /impact``; reports generated as jobs, then downloaded.

A report is long work (Monte Carlo, charts, PDF): ``POST /reports`` answers 202 with a job.
One report is written at a time per server process (charts are drawn with matplotlib,
which is not thread-safe, and the work is CPU-bound); a request meanwhile gets 409 with
the running job. Any role that reads reports may download any report (an auditor reads
what the CSR officer generated), unlike other jobs' files, which only their owner sees.
"""

from __future__ import annotations

import threading
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang
from reemploi.api.jobs import Job, download

router = APIRouter(tags=["impact"])

KIND = "report"
FORMATS = ("html", "pdf", "xlsx")
MEDIA = {"html": "text/html", "pdf": "application/pdf",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}  # fmt: skip
_one_at_a_time = threading.Lock()


@router.get("/impact", summary="Avoided emissions, e-waste and reuse rates (figures with P5-P95)")
def get_impact(
    draws: Annotated[int, Query(ge=1_000, le=100_000, description="Monte Carlo draws.")] = 10_000,
    seed: Annotated[int, Query(ge=0, le=2**31 - 1)] = 2024,
    _: Principal = Depends(Authorize("impact:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.impact.service import compute

    with api.read() as s:
        return compute(s, draws=draws, seed=seed).data


class ReportIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: Literal["fr", "en"] | None = Field(None, description="Default: the caller's language.")
    formats: list[Literal["html", "pdf", "xlsx"]] = Field(
        default_factory=lambda: list(FORMATS), min_length=1, max_length=3
    )


def report_jobs(api: ApiState) -> list[Job]:
    """Report jobs, newest first (whoever asked for them)."""
    return api.jobs.list(kind=KIND)


def running_report(api: ApiState) -> Job | None:
    return next((j for j in report_jobs(api) if j.status in ("queued", "running")), None)


def submit_report(api: ApiState, who: Principal, lang: str, formats: list[str]) -> Job:
    """Start writing the CSR report as a job; ApiError 409 if one is being written."""
    busy = running_report(api)
    if busy is not None:
        raise ApiError(409, "report_busy", {"job": busy.id, "href": f"/api/v1/jobs/{busy.id}"}, job=busy.id)
    job = api.jobs.new(KIND, who.name)
    wanted = [f for f in FORMATS if f in formats]

    def run(progress: Any) -> dict[str, Any]:
        from reemploi.impact.report.build import write_report
        from reemploi.impact.service import compute

        with _one_at_a_time:
            progress("compute")
            with api.read() as s:
                result = compute(s, with_devices=True)
            progress("write")
            assert job.folder is not None
            written = write_report(result, job.folder, lang=lang, formats=wanted)
        job.files = {fmt: FilePath(p) for fmt, p in written.items()}
        return {
            "lang": lang, "formats": list(written),
            "files": {fmt: f"/api/v1/reports/{job.id}/{fmt}" for fmt in written},
            "net_avoided_tco2e": result.data["net_avoided_tco2e"],
        }

    return api.jobs.start(job, run)


@router.post("/reports", status_code=202, summary="Write the CSR report (HTML, PDF, XLSX) as a job")
def create_report(
    body: ReportIn, request: Request, who: Principal = Depends(Authorize("reports:create")),
    api: ApiState = Depends(api_state),
) -> JSONResponse:  # fmt: skip
    job = submit_report(api, who, body.lang or request_lang(request), list(body.formats))
    return JSONResponse(
        {"job": job.id, "status": job.status, "href": f"/api/v1/jobs/{job.id}"},
        status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"},
    )  # fmt: skip


@router.get("/reports", summary="Reports written, newest first, with their download links")
def list_reports(
    request: Request, _: Principal = Depends(Authorize("reports:read")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    lang = request_lang(request)
    return {"items": [j.as_dict(lang) | {"downloads": _links(j)} for j in report_jobs(api)]}


def _links(job: Job) -> dict[str, str]:
    return {fmt: f"/api/v1/reports/{job.id}/{fmt}" for fmt in job.file_names}


@router.get("/reports/{job_id}/{name}", summary="Download a report file (html, pdf or xlsx)")
def download_report(
    job_id: Annotated[str, Path(max_length=64)], name: Annotated[str, Path(max_length=10)],
    _: Principal = Depends(Authorize("reports:read")), api: ApiState = Depends(api_state),
) -> Response:  # fmt: skip
    job = api.jobs.get(job_id)
    found = api.jobs.file(job_id, name) if job is not None and job.kind == KIND else None
    if found is None:
        raise ApiError(404, "unknown_report", report=f"{job_id}/{name}")
    return download(*found, media_type=MEDIA.get(name))
