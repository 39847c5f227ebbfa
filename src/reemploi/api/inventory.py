"""Catalog, locations, lots and reconciliation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.inventory.models import LocationKind

router = APIRouter(tags=["inventory"])


@router.get("/catalog", summary="Equipment models of the catalog")
def list_catalog(
    _: Principal = Depends(Authorize("catalog:read")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.catalog.service import as_dict, list_models

    with api.read() as s:
        return {"items": [as_dict(m) for m in list_models(s)]}


@router.get("/locations", summary="Locations (venues, warehouses, refurbishment centres, sites, recyclers)")
def list_locations(
    kind: Annotated[LocationKind | None, Query()] = None,
    _: Principal = Depends(Authorize("locations:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.inventory.service import list_locations as locations

    with api.read() as s:
        return {"items": locations(s, kind)}


@router.get("/lots", summary="Lots with their device counts")
def list_lots(_: Principal = Depends(Authorize("lots:read")), api: ApiState = Depends(api_state)) -> dict[str, Any]:
    from reemploi.workflow.lots import list_lots as lots

    with api.read() as s:
        return {"items": lots(s)}


class ReconcileIn(BaseModel):
    scanned: list[Annotated[str, Field(max_length=200)]] = Field(max_length=100_000)
    receive_at: Annotated[str, Field(min_length=1, max_length=40)] | None = Field(
        None, description="Also move the matched devices to received at this location."
    )
    mark_missing_lost: bool = Field(False, description="Also move the missing devices to lost.")


@router.post("/lots/{code}/reconcile", summary="Compare a lot with the serials scanned at reception")
def reconcile_lot(
    code: Annotated[str, Path(max_length=60)],
    body: ReconcileIn,
    who: Principal = Depends(Authorize("lots:reconcile")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.workflow.lots import reconcile

    with api.write() as s:
        r = reconcile(
            s, code, body.scanned, actor=who.name, receive_at=body.receive_at, mark_missing_lost=body.mark_missing_lost
        )
    return {
        "lot": r.lot, "expected": r.expected, "matched": r.matched, "missing": r.missing,
        "unexpected": [{"serial": s_, "lot": lot} for s_, lot in r.unexpected], "unknown": r.unknown,
        "received": r.received.moved if r.received else [], "lost": r.lost.moved if r.lost else [],
    }  # fmt: skip
