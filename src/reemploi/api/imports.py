"""Imports as jobs: upload a field export (CSV or XLSX); the import runs in the background.

The upload is saved in the job's folder; the rejects file, when there is one, is offered
for download from the job (``files.rejects``): fixed, it re-imports as is.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang

router = APIRouter(tags=["imports"])

MAX_UPLOAD = 512 * 1024 * 1024  # a million-row export is about 80 MB
SUFFIXES = (".csv", ".xlsx", ".txt", ".tsv")


@router.post("/imports/devices", status_code=202, summary="Import devices from a field export, as a job")
def import_devices(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV or XLSX field export.")],
    default_location: Annotated[str | None, Form(max_length=40)] = None,
    sheet: Annotated[str | None, Form(max_length=100)] = None,
    who: Principal = Depends(Authorize("imports:run")),
    api: ApiState = Depends(api_state),
) -> JSONResponse:
    from reemploi.inventory.importer import import_devices as run_import

    name = FilePath(file.filename or "upload.csv").name
    if not name.lower().endswith(SUFFIXES):
        raise ApiError(422, "export_format", file=name)
    job = api.jobs.new("import_devices", who.name)
    assert job.folder is not None
    source = job.folder / name
    size = 0
    with source.open("wb") as out:
        while chunk := file.file.read(1 << 20):
            size += len(chunk)
            if size > MAX_UPLOAD:
                raise ApiError(413, "upload_too_large", max=MAX_UPLOAD // (1024 * 1024))
            out.write(chunk)
    rejects = job.folder / f"{source.stem}.rejects.csv"
    lang = request_lang(request)

    def run(progress: Any) -> dict[str, Any]:
        with api.write() as s:
            r = run_import(
                s, source, actor=who.name, rejects_path=rejects, default_location=default_location, sheet=sheet,
                lang=lang, progress=lambda n: progress(f"{n} rows"), source=name,
            )  # fmt: skip
        if r.rejected and rejects.exists():
            job.files["rejects"] = rejects
        return {**r.as_dict(), "rejects_file": None, "reasons": r.reasons}

    api.jobs.start(job, run)
    return JSONResponse(
        {"job": job.id, "status": job.status, "href": f"/api/v1/jobs/{job.id}"},
        status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"},
    )  # fmt: skip
