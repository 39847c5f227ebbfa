"""Bench records on one device: tests, repairs, sanitizations, firmware upgrades, disposals.

Each call records the evidence and makes the move it implies, through ``reemploi.refurb``;
a refused one answers 409 with the device's current state, like a move.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel, Field

from reemploi.api.auth import Principal
from reemploi.api.authz import Authorize
from reemploi.api.deps import ApiState, api_state
from reemploi.api.errors import ApiError, request_lang
from reemploi.i18n import refusal_reason, state_label
from reemploi.refurb.models import Check, SanitizationMethod
from reemploi.refurb.service import BenchResult

router = APIRouter(tags=["records"])

Serial = Annotated[str, Path(min_length=1, max_length=200)]
Short = Annotated[str, Field(min_length=1, max_length=120)]


def _reply(api: ApiState, request: Request, serial: str, r: BenchResult) -> dict[str, Any]:
    from reemploi.workflow.service import current_state

    if r.unknown:
        raise ApiError(404, "unknown_device", serial=serial.strip().upper())
    if r.refused:
        x = r.refused[0]
        with api.read() as s:
            now = current_state(s, x.serial)
        lang = request_lang(request)
        raise ApiError(
            409, "move_refused", {"reason_code": x.code, "current": now},
            serial=x.serial, state=state_label(now["state"] if now else None, lang),
            reason=refusal_reason(x.code, lang, **x.params),
        )  # fmt: skip
    done = r.done[0] if r.done else None
    return {"serial": serial.strip().upper(), "recorded": True, **(done.__dict__ if done else {}), "failed": r.failed}


class TestIn(BaseModel):
    power_on: Check = Check.PASS
    boot: Check = Check.PASS
    radio_24: Check = Check.PASS
    radio_5: Check = Check.PASS
    radio_6: Check = Check.NA
    eth_speed_mbps: int | None = Field(1000, ge=0, le=100_000)
    poe_class: Annotated[str, Field(max_length=10)] | None = None
    firmware: Annotated[str, Field(max_length=60)] | None = None
    # The conditions each physical check may report (reemploi.refurb.models.PHYSICAL_CHECKS).
    casing: Literal["ok", "worn", "broken"] = "ok"
    bracket: Literal["ok", "missing"] = "ok"
    labels: Literal["ok", "damaged", "missing"] = "ok"
    ports: Literal["ok", "damaged"] = "ok"
    notes: Annotated[str, Field(max_length=1000)] | None = None
    bench: Annotated[str, Field(max_length=60)] | None = None


@router.post("/devices/{serial}/tests", summary="Record a test run: graded by the rules, the device goes to tested")
def record_test(
    serial: Serial, body: TestIn, request: Request,
    who: Principal = Depends(Authorize("records:write")), api: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    from reemploi.refurb.models import Condition
    from reemploi.refurb.service import TestInput, record_tests

    values = body.model_dump()
    for name in ("casing", "bracket", "labels", "ports"):
        values[name] = Condition(values[name])
    with api.write() as s:
        r = record_tests(s, [TestInput(serial=serial, **values)], technician=who.name, lang=request_lang(request))
    return _reply(api, request, serial, r)


class Part(BaseModel):
    part: Short
    mass_kg: float = Field(0.0, ge=0, le=1000)


class RepairIn(BaseModel):
    action: Annotated[str, Field(min_length=1, max_length=500)]
    parts: list[Part] = Field(default_factory=list, max_length=100)
    minutes: int | None = Field(None, ge=0, le=100_000)


@router.post("/devices/{serial}/repairs", summary="Record a repair; a tested device goes to in_repair")
def record_repair(
    serial: Serial, body: RepairIn, request: Request,
    who: Principal = Depends(Authorize("records:write")), api: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    from reemploi.refurb.service import repair

    with api.write() as s:
        r = repair(
            s, [serial], technician=who.name, action=body.action, parts=[(p.part, p.mass_kg) for p in body.parts],
            minutes=body.minutes,
        )  # fmt: skip
    return _reply(api, request, serial, r)


class SanitizationIn(BaseModel):
    method: SanitizationMethod
    passed: bool
    verifier: Short | None = Field(None, description="The second person who checked the wipe.")
    notes: Annotated[str, Field(max_length=1000)] | None = None


@router.post("/devices/{serial}/sanitizations", summary="Record a data wipe; a passing one moves it to sanitized")
def record_sanitization(
    serial: Serial, body: SanitizationIn, request: Request,
    who: Principal = Depends(Authorize("records:write")), api: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    from reemploi.refurb.service import sanitize

    with api.write() as s:
        r = sanitize(
            s, [serial], operator=who.name, method=body.method, passed=body.passed, verifier=body.verifier,
            notes=body.notes,
        )  # fmt: skip
    return _reply(api, request, serial, r)


class UpgradeIn(BaseModel):
    to_version: Short
    from_version: Short | None = None


@router.post("/devices/{serial}/upgrades", summary="Record a firmware upgrade")
def record_upgrade(
    serial: Serial, body: UpgradeIn, request: Request,
    who: Principal = Depends(Authorize("records:write")), api: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    from reemploi.refurb.service import upgrade

    with api.write() as s:
        r = upgrade(s, [serial], technician=who.name, to_version=body.to_version, from_version=body.from_version)
    return _reply(api, request, serial, r)


class DisposalIn(BaseModel):
    recycler: Annotated[str, Field(min_length=1, max_length=40)] = Field(description="The recycler's location code.")
    reference: Short = Field(description="The WEEE consignment note or certificate reference.")
    weight_kg: float | None = Field(None, gt=0, le=100_000)


@router.post("/devices/{serial}/disposals", summary="Hand a device to a WEEE recycler; it goes to recycled")
def record_disposal(
    serial: Serial, body: DisposalIn, request: Request,
    who: Principal = Depends(Authorize("records:write")), api: ApiState = Depends(api_state),
) -> dict[str, Any]:  # fmt: skip
    from reemploi.refurb.service import dispose

    with api.write() as s:
        r = dispose(s, [serial], operator=who.name, recycler=body.recycler, reference=body.reference,
                    weight_kg=body.weight_kg)  # fmt: skip
    return _reply(api, request, serial, r)
