"""The allocation guard: a device is reserved or shipped only under an approved plan."""

from __future__ import annotations

from sqlalchemy import select

from reemploi.planning.models import Plan, PlanDevice, PlanStatus
from reemploi.workflow.guards import Candidate, Context, Refusals, guard
from reemploi.workflow.service import chunks


@guard("approved_plan")
def in_approved_plan(ctx: Context, batch: list[Candidate]) -> Refusals:
    covered: set[int] = set()
    for part in chunks(sorted(c.id for c in batch)):
        q = (
            select(PlanDevice.device_id)
            .join(Plan, Plan.id == PlanDevice.plan_id)
            .where(PlanDevice.device_id.in_(part), Plan.status == PlanStatus.APPROVED.value)
        )
        covered.update(ctx.session.scalars(q))
    return {c.serial: ("guard_no_plan", {"state": ctx.target.value}) for c in batch if c.id not in covered}
