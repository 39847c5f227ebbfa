"""Devices: list (filters, cursor pagination), detail with timeline, moves (one, bulk)."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize, AuthorizeThenConfirm
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang
from reemploi.api.moves import MoveRequest
from reemploi.i18n import refusal_reason, state_label, t
from reemploi.workflow.service import MoveResult
from reemploi.workflow.states import State

router = APIRouter(tags=["devices"])

Text = Annotated[str, Field(min_length=1, max_length=200)]


def encode_cursor(key: int) -> str:
    return base64.urlsafe_b64encode(orjson.dumps({"k": key})).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        value = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        key = value["k"]
        if not isinstance(key, int) or key < 0:
            raise ValueError
        return key
    except (ValueError, TypeError, KeyError, orjson.JSONDecodeError):
        raise ApiError(400, "bad_cursor") from None


class DevicePage(BaseModel):
    items: list[dict[str, Any]]
    next_cursor: str | None = Field(description="Pass as ?cursor= for the next page; null on the last page.")


@router.get("/devices", summary="Devices, filtered, in pages (opaque cursor)", response_model=DevicePage)
def list_devices(
    state: Annotated[State | None, Query()] = None,
    model: Annotated[str | None, Query(max_length=120)] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
    location: Annotated[str | None, Query(max_length=40)] = None,
    lot: Annotated[str | None, Query(max_length=60)] = None,
    q: Annotated[str | None, Query(max_length=120, description="Part of a serial, MAC or asset tag.")] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    _: Principal = Depends(Authorize("devices:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.inventory.service import list_devices_page

    after = decode_cursor(cursor)
    with api.read() as s:
        items, last = list_devices_page(
            s, state=state, model=model, kind=kind, location=location, lot=lot, q=q, after_id=after, limit=limit
        )
    for d in items:
        del d["id"]  # the cursor carries it; the serial is the device's identity
    return {"items": items, "next_cursor": encode_cursor(last) if last is not None else None}


@router.get("/devices/{serial}", summary="A device: fields, bench records, audit history and one timeline")
def get_device(
    serial: Annotated[str, Path(max_length=200)],
    _: Principal = Depends(Authorize("devices:read")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.inventory.service import device_timeline

    with api.read() as s:
        return device_timeline(s, serial)


MOVE = AuthorizeThenConfirm("devices:move")


class MoveIn(BaseModel):
    to: State
    location: Text | None = Field(None, description="Location code the device is at after the move.")
    lot: Text | None = Field(None, description="Put the device in this lot.")
    reason: Annotated[str, Field(max_length=500)] | None = None
    occurred_at: datetime | None = Field(
        None, description="When it happened, if not now (ISO 8601; without an offset, the programme's time zone). "
                          "Not in the future, not before the device's latest event."
    )

    def occurred(self) -> datetime | None:
        """``occurred_at`` as an aware UTC time, checked not to be in the future."""
        from reemploi.workflow import clock

        if self.occurred_at is None:
            return None
        at = self.occurred_at if self.occurred_at.tzinfo else self.occurred_at.replace(tzinfo=clock.zone())
        at = at.astimezone(UTC)
        clock.check_not_future(at, "occurred_at")
        return at


class BulkMoveIn(MoveIn):
    serials: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1, max_length=10_000)


def _refusals(r: MoveResult, lang: str, states: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"serial": x.serial, "code": x.code, "message": t(x.code, lang, **x.params), "state": states.get(x.serial)}
        for x in r.refused
    ]


@router.post("/devices/{serial}/move", summary="Move one device (409 with its current state when refused)")
async def move_device(
    serial: Annotated[str, Path(max_length=200)],
    body: MoveIn,
    request: Request,
    who: Principal = Depends(MOVE),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    # async, and the move itself is applied by the server's move writer with the other moves
    # waiting (group commit, see reemploi.api.moves): no worker thread is held meanwhile.
    # The writer confirms the caller in the move's own transaction (MOVE only remembers it).
    req = MoveRequest(serial, body.to, who.name, body.location, body.lot, body.reason, body.occurred(),
                      confirm=(who.credentials, MOVE) if who.credentials else None)  # fmt: skip
    out = await asyncio.wrap_future(api.moves.submit(req))
    # An unknown serial is kept as an unmatched scan (committed), then reported.
    if out.unknown:
        raise ApiError(404, "unknown_device", serial=out.serial)
    if out.refusal is not None:
        x, now = out.refusal, out.current
        lang = request_lang(request)
        raise ApiError(
            409, "move_refused", {"reason_code": x.code, "current": now},
            serial=x.serial, state=state_label(now["state"] if now else None, lang),
            reason=refusal_reason(x.code, lang, **x.params),
        )  # fmt: skip
    return {"moved": True, "serial": out.serial, "state": body.to.value}


@router.post("/devices/move", summary="Move many devices; each on its own (moved, refused, unknown)")
def move_devices(
    body: BulkMoveIn,
    request: Request,
    who: Principal = Depends(Authorize("devices:move")),
    api: ApiState = Depends(api_state),
) -> dict[str, Any]:
    from reemploi.workflow.clock import occurring
    from reemploi.workflow.service import load_candidates, transition

    occurred = body.occurred()
    with api.write() as s, occurring(occurred):
        r = transition(
            s, body.serials, body.to, actor=who.name, reason=body.reason, at=body.location, lot=body.lot,
            context="api",
        )  # fmt: skip
        states = {k: c.state.value for k, c in load_candidates(s, [x.serial for x in r.refused]).items()}
    return {
        "to": r.target.value, "moved": r.moved, "refused": _refusals(r, request_lang(request), states),
        "unknown": r.unknown,
    }  # fmt: skip
