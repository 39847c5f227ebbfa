"""Plan lifecycle: draft → approved (devices reserved) → executed; cancel releases them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi.db import utcnow
from reemploi.errors import Conflict, NotFound
from reemploi.inventory.models import Device, Location
from reemploi.planning.models import Plan, PlanDevice, PlanStatus, Site
from reemploi.workflow import audit, service
from reemploi.workflow.states import State


class UnknownPlan(NotFound):
    code = "unknown_plan"


def get_plan(session: Session, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise UnknownPlan(plan=plan_id)
    return plan


def _serials(session: Session, plan: Plan) -> list[str]:
    q = select(Device.serial).join(PlanDevice, PlanDevice.device_id == Device.id).where(PlanDevice.plan_id == plan.id)
    return list(session.scalars(q.order_by(Device.serial)))


def approve(session: Session, plan_id: int, *, actor: str) -> tuple[Plan, int]:
    """Approve a draft plan and reserve its devices; refused whole if any is no longer ready."""
    audit.lock(session)
    plan = get_plan(session, plan_id)
    if plan.status != PlanStatus.DRAFT.value:
        raise Conflict("plan_not_draft", plan=plan.id, status=plan.status)
    # Plans cover the same needs (every site's): two approved at once would promise them twice.
    other = session.scalar(
        select(Plan.id).where(Plan.status == PlanStatus.APPROVED.value, Plan.id != plan.id).order_by(Plan.id).limit(1)
    )
    if other is not None:
        raise Conflict("plan_other_approved", plan=plan.id, other=other)
    if not session.scalar(select(func.count()).select_from(PlanDevice).where(PlanDevice.plan_id == plan.id)):
        raise Conflict("plan_empty", plan=plan.id)
    _check_still_needed(session, plan)
    plan.status = PlanStatus.APPROVED.value
    session.flush()
    res = service.transition(session, _serials(session, plan), State.RESERVED, actor=actor, context="plan",
                             details=None, reason=f"plan {plan.id}")  # fmt: skip
    if res.refused or res.unknown:
        first = res.refused[0].serial if res.refused else res.unknown[0]
        raise Conflict("plan_stale", plan=plan.id, count=len(res.refused) + len(res.unknown), serial=first)
    audit.append(session, [(actor, "approve", "plan", str(plan.id), "draft", "approved", None, None)], utcnow())
    return plan, len(res.moved)


def _check_still_needed(session: Session, plan: Plan) -> None:
    """A draft computed before other plans met part of its needs would serve those sites twice."""
    from reemploi.planning.service import CLASS_OF_KIND, compute_needs

    left = {(r["site"], r["class"]): r["remaining"] for r in compute_needs(session)}
    planned = session.execute(
        select(Location.code, PlanDevice.need_class, func.count())
        .join(Site, Site.id == PlanDevice.site_id)
        .join(Location, Location.id == Site.location_id)
        .where(PlanDevice.plan_id == plan.id, PlanDevice.need_class.in_(list(CLASS_OF_KIND.values())))
        .group_by(Location.code, PlanDevice.need_class)
        .order_by(Location.code, PlanDevice.need_class)
    )
    for code, need_class, count in planned:
        if count > left.get((code, need_class), 0):
            raise Conflict("plan_exceeds_needs", plan=plan.id, site=code, need_class=need_class, planned=count,
                           left=left.get((code, need_class), 0))  # fmt: skip


def cancel(session: Session, plan_id: int, *, actor: str) -> tuple[Plan, int]:
    """Cancel a draft or approved plan; reserved devices go back to ready stock."""
    audit.lock(session)
    plan = get_plan(session, plan_id)
    if plan.status not in (PlanStatus.DRAFT.value, PlanStatus.APPROVED.value):
        raise Conflict("plan_not_cancellable", plan=plan.id, status=plan.status)
    before = plan.status
    released = 0
    if before == PlanStatus.APPROVED.value:
        res = service.transition(session, _serials(session, plan), State.READY, actor=actor, context="plan",
                                 reason=f"plan {plan.id} cancelled")  # fmt: skip
        released = len(res.moved)
    plan.status = PlanStatus.CANCELLED.value
    session.flush()
    audit.append(session, [(actor, "cancel", "plan", str(plan.id), before, "cancelled", None, None)], utcnow())
    return plan, released


def as_dict(session: Session, plan: Plan, *, devices: bool = False) -> dict[str, Any]:
    s = plan.summary
    out: dict[str, Any] = {
        "plan": plan.id, "name": plan.name, "status": plan.status, "created_at": plan.created_at.isoformat(),
        "solver": plan.solver, "optimal": plan.optimal, "gap": plan.gap, "inputs_hash": plan.inputs_hash,
        "assigned": s["assigned"], "needed": s["needed"], "unmet": s["unmet"], "unused": s["unused"],
        "transport_kgco2e": s["transport_kgco2e"], "greedy": s["greedy"], "purchase": s["purchase"],
        "unmet_needs": s["unmet_needs"], "unused_stock": s["unused_stock"],
        "unserved_sites": sorted({u["site"] for u in s["unmet_needs"]}),
        "switches": s.get("switches"), "switch_needs": s.get("switch_needs", []),
        "switch_purchase": s.get("switch_purchase", []), "switch_closets": s.get("switch_closets", {}),
        "site_count": s.get("sites"),
    }  # fmt: skip
    per_site = session.execute(
        select(Location.code, Location.name, PlanDevice.need_class, func.count(), func.sum(PlanDevice.transport_kgco2e))
        .join(Site, Site.id == PlanDevice.site_id)
        .join(Location, Location.id == Site.location_id)
        .where(PlanDevice.plan_id == plan.id)
        .group_by(Location.code, Location.name, PlanDevice.need_class)
        .order_by(Location.code, PlanDevice.need_class)
    ).all()
    out["sites"] = [
        {"site": c, "site_name": n, "class": k, "devices": int(d), "transport_kgco2e": round(float(t or 0), 3)}
        for c, n, k, d, t in per_site
    ]
    if devices:
        rows = session.execute(
            select(Device.serial, Location.code, PlanDevice.need_class, PlanDevice.position, PlanDevice.floor,
                   PlanDevice.closet)
            .join(PlanDevice, PlanDevice.device_id == Device.id)
            .join(Site, Site.id == PlanDevice.site_id)
            .join(Location, Location.id == Site.location_id)
            .where(PlanDevice.plan_id == plan.id)
            .order_by(Device.serial)
        ).all()
        out["assignment"] = [{"serial": s_, "site": c, "class": k, "position": p, "floor": f, "closet": cl}
                             for s_, c, k, p, f, cl in rows]  # fmt: skip
    return out


def list_plans(session: Session) -> list[dict[str, Any]]:
    return [
        {"plan": p.id, "name": p.name, "status": p.status, "created_at": p.created_at.isoformat(),
         "assigned": p.summary["assigned"], "unmet": p.summary["unmet"], "optimal": p.optimal}
        for p in session.scalars(select(Plan).order_by(Plan.id))
    ]  # fmt: skip
