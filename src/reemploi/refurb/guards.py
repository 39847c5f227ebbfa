"""The evidence guards: no `tested` without a test, no `sanitized` without a passing
test, no `ready` without a later passing sanitization, compliant firmware and a vendor
support horizon that covers the second life; no `recycled` without a disposal record.

Registered into ``reemploi.workflow.guards.GUARDS`` under the names the transition
table uses; each works on the whole batch with a few set-based queries.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reemploi.i18n.formatting import Localized
from reemploi.refurb import evidence
from reemploi.refurb.models import Decision
from reemploi.refurb.rules import firmware_policy, version_key
from reemploi.settings import service as settings
from reemploi.workflow.guards import Candidate, Context, Refusals, guard


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


@guard("test_record")
def has_new_test(ctx: Context, batch: list[Candidate]) -> Refusals:
    tested = evidence.last_test_times(ctx.session, (c.id for c in batch))
    out: Refusals = {}
    for c in batch:
        at = tested.get(c.id)
        since = _aware(c.state_since)
        if at is None or (since is not None and at < since):
            out[c.serial] = ("guard_no_new_test", {"state": ctx.target.value})
    return out


@guard("retest_or_failed_wipe")
def retest_or_failed_wipe(ctx: Context, batch: list[Candidate]) -> Refusals:
    """Back to ``tested`` from a wiped state: a new test, or a wipe that failed since (the
    device is no longer known to be clean, so it cannot stay sanitized or ready)."""
    refused = has_new_test(ctx, batch)
    if not refused:
        return refused
    failed = evidence.last_failed_sanitization(ctx.session, (c.id for c in batch if c.serial in refused))
    for c in batch:
        at, since = failed.get(c.id), _aware(c.state_since)
        if c.serial in refused and at is not None and (since is None or at >= since):
            del refused[c.serial]
    return refused


@guard("passing_test")
def last_test_passed(ctx: Context, batch: list[Candidate]) -> Refusals:
    tests = evidence.last_tests(ctx.session, (c.id for c in batch))
    out: Refusals = {}
    for c in batch:
        t = tests.get(c.id)
        if t is None:
            out[c.serial] = ("guard_no_test", {"state": ctx.target.value})
        elif t.decision != Decision.REUSE:
            out[c.serial] = (
                "guard_test_not_passed",
                {"grade": t.grade, "decision": t.decision, "why": Localized(en=t.reason, fr=t.reason_fr)},
            )
    return out


@guard("ready_evidence")
def ready_evidence(ctx: Context, batch: list[Candidate]) -> Refusals:
    ids = [c.id for c in batch]
    tests = evidence.last_tests(ctx.session, ids)
    wipes = evidence.last_passing_sanitization(ctx.session, ids)
    ups = evidence.upgrades(ctx.session, ids)
    models = evidence.models_of(ctx.session, ids)
    policy = firmware_policy()
    years = settings.get(ctx.session, "horizon_years")
    horizon = datetime.now(UTC).date() + timedelta(days=round(365.25 * years))
    out: Refusals = {}
    for c in batch:
        t = tests.get(c.id)
        if t is None or t.decision != Decision.REUSE:
            out[c.serial] = ("guard_no_passing_test", {})
            continue
        wiped = wipes.get(c.id)
        if wiped is None or wiped <= _aware(t.at):  # type: ignore[operator]
            out[c.serial] = ("guard_sanitization_stale", {"tested": _aware(t.at).isoformat()[:19]})  # type: ignore[union-attr]
            continue
        model = models[c.id]
        minimum = policy.get(model.key)
        running = evidence.current_firmware(t, ups.get(c.id, []))
        if minimum and (running is None or version_key(running) < version_key(minimum)):
            out[c.serial] = ("guard_firmware", {"found": running or "?", "minimum": minimum, "model": model.model})
            continue
        if model.end_of_support and model.end_of_support < horizon:
            out[c.serial] = (
                "guard_support",
                {"model": model.model, "end": model.end_of_support.isoformat(), "horizon": horizon.isoformat()},
            )
    return out


@guard("disposal_record")
def has_disposal(ctx: Context, batch: list[Candidate]) -> Refusals:
    done = evidence.disposed(ctx.session, (c.id for c in batch))
    return {c.serial: ("guard_no_disposal", {}) for c in batch if c.id not in done}


@guard("wiped")
def wiped_after_last_test(ctx: Context, batch: list[Candidate]) -> Refusals:
    """`sanitized` is a claim about data: it needs the passing wipe that proves it."""
    ids = [c.id for c in batch]
    tests = evidence.last_tests(ctx.session, ids)
    wipes = evidence.last_passing_sanitization(ctx.session, ids)
    out: Refusals = {}
    for c in batch:
        t, wiped = tests.get(c.id), wipes.get(c.id)
        if wiped is None or (t is not None and wiped <= _aware(t.at)):  # type: ignore[operator]
            tested = _aware(t.at).isoformat()[:19] if t else "-"  # type: ignore[union-attr]
            out[c.serial] = ("guard_sanitization_stale", {"tested": tested})
    return out
