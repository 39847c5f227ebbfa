"""Destination sites and their needs, allocation plans (create as a job, approve, cancel), shipments."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import request_lang

router = APIRouter(tags=["planning"])

PlanId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/sites", summary="Destination sites")
def list_sites(_: Principal = Depends(Authorize("sites:read")), api: ApiState = Depends(api_state)) -> dict[str, Any]:
    from reemploi.planning.service import list_sites as sites

    with api.read() as s:
        return {"items": sites(s)}


@router.get(
    "/needs",
    summary="AP needs of every site: the term that drove them, what the site already has (provided), what is left",
)
def list_needs(
    request: Request, _: Principal = Depends(Authorize("sites:read")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.planning.service import needs_with_switches as compute_needs

    with api.read() as s:
        return {"items": compute_needs(s, lang=request_lang(request))}


@router.get("/plans", summary="Allocation plans")
def list_plans(_: Principal = Depends(Authorize("plans:read")), api: ApiState = Depends(api_state)) -> dict[str, Any]:
    from reemploi.planning.plans import list_plans as plans

    with api.read() as s:
        return {"items": plans(s)}


@router.get("/plans/{plan_id}", summary="A plan: summary, per site, greedy comparison (and devices)")
def show_plan(
    plan_id: PlanId,
    devices: Annotated[bool, Query(description="Include the device-by-device assignment.")] = False,
    _: Principal = Depends(Authorize("plans:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.planning.plans import as_dict, get_plan

    with api.read() as s:
        return as_dict(s, get_plan(s, plan_id), devices=devices)


class PlanIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    time_limit: float = Field(60.0, gt=0, le=3600, description="Solver time limit, seconds (MILP only).")


@router.post("/plans", status_code=202, summary="Compute a draft plan, as a job (202 and the job to follow)")
def create_plan(
    body: PlanIn, who: Principal = Depends(Authorize("plans:create")), api: ApiState = Depends(api_state)
) -> JSONResponse:
    from reemploi.planning.allocation import create_plan as compute
    from reemploi.planning.plans import as_dict

    def run(progress: Any) -> dict[str, Any]:
        with api.write() as s:
            plan = compute(s, name=body.name, actor=who.name, time_limit=body.time_limit, progress=progress)
            return as_dict(s, plan)

    job = api.jobs.submit("plan_create", who.name, run)
    return JSONResponse(
        {"job": job.id, "status": job.status, "href": f"/api/v1/jobs/{job.id}"},
        status_code=202, headers={"Location": f"/api/v1/jobs/{job.id}"},
    )  # fmt: skip


@router.post("/plans/{plan_id}/approve", summary="Approve a draft plan: its devices become reserved")
def approve_plan(
    plan_id: PlanId, who: Principal = Depends(Authorize("plans:approve")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.planning.plans import approve

    with api.write() as s:
        p, n = approve(s, plan_id, actor=who.name)
        return {"plan": p.id, "status": p.status, "reserved": n}


@router.post("/plans/{plan_id}/cancel", summary="Cancel a plan; reserved devices go back to ready stock")
def cancel_plan(
    plan_id: PlanId, who: Principal = Depends(Authorize("plans:approve")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.planning.plans import cancel

    with api.write() as s:
        p, n = cancel(s, plan_id, actor=who.name)
        return {"plan": p.id, "status": p.status, "released": n}


@router.get("/shipments", summary="Shipments (one per site of an approved plan)")
def list_shipments(
    plan: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    _: Principal = Depends(Authorize("shipments:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.planning.shipments import list_shipments as shipments

    with api.read() as s:
        return {"items": shipments(s, plan)}
