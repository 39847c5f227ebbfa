"""The audit log (by pages, by subject) and the verification of its hash chain."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.devices import decode_cursor, encode_cursor
from reemploi.api.errors import request_lang

router = APIRouter(tags=["audit"])


@router.get("/audit", summary="Audit events, oldest first, in pages (opaque cursor)")
def list_events(
    subject: Annotated[str | None, Query(max_length=60, description="A serial, lot code or plan id.")] = None,
    subject_type: Annotated[Literal["device", "lot", "plan", "location"] | None, Query()] = None,
    actor: Annotated[str | None, Query(max_length=120)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    _: Principal = Depends(Authorize("audit:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.workflow.service import audit_events

    with api.read() as s:
        items, last = audit_events(
            s, after_seq=decode_cursor(cursor), limit=limit, subject=subject, subject_type=subject_type, actor=actor
        )
    return {"items": items, "next_cursor": encode_cursor(last) if last is not None else None}


@router.get("/audit/verify", summary="Recompute the whole hash chain")
def verify_chain(
    request: Request, _: Principal = Depends(Authorize("audit:read")), api: ApiState = Depends(api_state)
) -> dict[str, Any]:
    from reemploi.workflow.audit import verify

    with api.read() as s:
        r = verify(s)
    lang = request_lang(request)
    return {
        "ok": r.ok, "events": r.count, "head": r.head_hash, "bad_event": r.bad_seq, "problem": r.problem,
        "message": r.message(lang),
    }  # fmt: skip
