"""The demo scenario: Paris 2024 venues, their Wi-Fi fleet, collection and reception.

Everything is generated from the shipped facts (venues) and the parameters with one
seeded random generator, and played through the real use cases (imports, lots,
moves, reconciliation), so the demo exercises what a user would run. Same
parameters and seed, same database content (times aside).
"""

from __future__ import annotations

import csv
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from reemploi.demo.sites import write_sites
from reemploi.inventory import service as inventory
from reemploi.inventory.importer import import_devices
from reemploi.inventory.models import LocationKind
from reemploi.planning import allocation, plans, shipments
from reemploi.planning import service as planning
from reemploi.refurb import service as refurb
from reemploi.refurb.models import Check, Condition, Decision, SanitizationMethod
from reemploi.refurb.rules import firmware_policy
from reemploi.refurb.service import TestInput
from reemploi.workflow import audit, lots, service
from reemploi.workflow.states import State

ACTOR = "demo"
# Released for a second life: in stock or further down the road to a site.
RELEASED = ("ready", "reserved", "shipped", "installed", "in_service")
TECHNICIAN = "tech.demo"
VERIFIER = "verif.demo"
REFURB = "REFURB-IDF"
RECYCLER = "REC-IDF"

# Who makes up the fleet. Cisco was the Games' network partner (see docs/decisions.md).
INDOOR_MIX = (("C9130AXI-E", 0.45), ("C9120AXI-E", 0.30), ("C9136I-ROW", 0.15), ("CW9166I-ROW", 0.10))
OUTDOOR_MIX = (("C9124AXE-E", 1.0),)
SWITCH_MIX = (("C9200L-24P-4G", 0.6), ("C9300-48P", 0.4))
OUTDOOR_WORDS = ("road", "marathon", "triathlon", "beach", "sailing", "surfing", "rowing", "canoe",
                 "equestrian", "golf", "bmx", "mountain", "skate", "race walk", "archery", "football",
                 "athletics", "hockey", "rugby")  # fmt: skip


@dataclass
class DemoParams:
    seed: int = 2024
    aps: int = 3000
    switches: int = 1000
    ap_lot_size: int = 40
    switch_lot_size: int = 12
    lost_at_takedown: float = 0.003  # not found when the venue is dismantled
    missing_in_transit: float = 0.004  # packed but not scanned at reception
    mispacked: float = 0.003  # in another lot than recorded
    messy_rows: float = 0.006  # rows of the field export that need fixing
    unknown_scans_per_100_lots: int = 4
    # Bench outcomes, per kind ("ap" or "switch"): chance that a first test finds each
    # fault. Functional faults are repaired; a repair works with `repair_success`.
    dead: dict[str, float] = field(default_factory=lambda: {"ap": 0.05, "switch": 0.15})
    boot_fault: dict[str, float] = field(default_factory=lambda: {"ap": 0.03, "switch": 0.04})
    radio_fault: dict[str, float] = field(default_factory=lambda: {"ap": 0.06, "switch": 0.0})
    port_fault: dict[str, float] = field(default_factory=lambda: {"ap": 0.01, "switch": 0.10})
    broken_casing: dict[str, float] = field(default_factory=lambda: {"ap": 0.02, "switch": 0.03})
    worn: dict[str, float] = field(default_factory=lambda: {"ap": 0.15, "switch": 0.20})
    repair_success: dict[str, float] = field(default_factory=lambda: {"ap": 0.6, "switch": 0.45})
    old_firmware: float = 0.4  # found below the programme's minimum: upgraded
    wipe_failure: float = 0.005  # a config erase that does not verify: re-imaged


@dataclass
class DemoSummary:
    database: str
    params: dict[str, Any]
    venues: int
    export_rows: int
    imported: int
    rejected: int
    rejects_file: str | None
    lots: int
    lost_at_takedown: int
    reconciliation: dict[str, int]
    found_again: int
    by_state: dict[str, dict[str, int]]
    audit_events: int
    audit_ok: bool
    audit_head: str
    bench: dict[str, int] = field(default_factory=dict)
    sites: int = 0
    needs: dict[str, int] = field(default_factory=dict)
    plan: dict[str, Any] = field(default_factory=dict)
    by_grade: dict[str, int] = field(default_factory=dict)
    ready_rate: dict[str, float] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    impact: dict[str, Any] = field(default_factory=dict)
    design: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _design_mdi(session: Session, out_dir: Path) -> dict[str, Any]:
    """The Maison de l'Innovation's floor plans (drawn to its published area and levels) and its design.

    The plans are written as a GeoJSON file and imported like any site's; the design then
    replaces the rule of thumb as the site's indoor need. Returns both counts and the
    coverage achieved.
    """
    import json

    from reemploi.demo.building import maison_de_l_innovation, to_geojson
    from reemploi.demo.sites import MDI
    from reemploi.planning import design

    def indoor_need() -> int:
        return sum(r["count"] for r in planning.compute_needs(session) if r["site"] == MDI and r["class"] == "indoor")

    estimate = indoor_need()
    plans_dir = out_dir / "plans"
    plans_dir.mkdir(parents=True, exist_ok=True)
    path = plans_dir / "maison-de-l-innovation.geojson"
    path.write_text(json.dumps(to_geojson(maison_de_l_innovation())), encoding="utf-8")
    design.import_floors(session, MDI, path, actor=ACTOR)
    d = design.run_design(session, MDI, actor=ACTOR, time_limit_s=30)
    return {"site": MDI, "estimate": estimate, "aps": d["indoor_aps"], "outdoor_aps": d["outdoor_aps"],
            "coverage_share": d["coverage_share"],
            "target_dbm": d["target_dbm"], "driver": d["driver"], "floors": len(d["floors"]),
            "naive_grid": d["naive_grid"], "plan_file": str(path), "need": indoor_need()}  # fmt: skip


def _pick(rng: random.Random, mix: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([m for m, _ in mix], weights=[w for _, w in mix])[0]


def _venue_weight(name: str, sports: str) -> float:
    n, s = name.lower(), sports.lower()
    if "non-competition" in s:
        return 4.0
    if n.startswith(("stade", "arena")) or "la défense" in n or "roland" in n:
        return 2.5
    return 1.2


def _serials(rng: random.Random, count: int) -> list[str]:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
    out: set[str] = set()
    while len(out) < count:
        prefix = rng.choice(("FOC", "FJC", "FCW", "FGL"))
        week = f"{rng.randint(20, 23)}{rng.randint(1, 52):02d}"
        out.add(prefix + week + "".join(rng.choice(alphabet) for _ in range(4)))
    ordered = sorted(out)
    rng.shuffle(ordered)
    return ordered


def _mac(index: int) -> str:
    # Locally administered unicast (0x02): synthetic addresses that no vendor owns.
    value = (0x02 << 40) | (0x2024 << 24) | index
    h = f"{value:012x}"
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


def venues_csv() -> Path:
    return Path(str(resources.files("reemploi.demo").joinpath("data/paris2024-venues.csv")))


def write_field_export(rng: random.Random, p: DemoParams, venues: list[dict[str, str]], path: Path) -> int:
    """The venue inventory as a real field export would come: French headers, semicolons,
    Windows-1252, a title row, regional SKUs, venue names, and a few rows to fix."""
    weights = [_venue_weight(v["name"], v["sports"]) * rng.gammavariate(4, 0.25) for v in venues]
    serials = _serials(rng, p.aps + p.switches)
    rows: list[list[str]] = []
    for i, serial in enumerate(serials):
        v = rng.choices(venues, weights=weights)[0]
        if i < p.aps:
            outdoor = any(w in v["sports"].lower() for w in OUTDOOR_WORDS)
            is_outdoor = rng.random() < (0.12 if outdoor else 0.02)
            model = _pick(rng, OUTDOOR_MIX if is_outdoor else INDOOR_MIX)
            zone = rng.choice(("tribune", "parvis", "périmètre")) if is_outdoor else rng.choice(
                ("salle presse", "vestiaires", "accueil", "salle technique", "loges"))  # fmt: skip
        else:
            model = _pick(rng, SWITCH_MIX)
            zone = "local technique"
        rows.append([serial, _mac(i + 1), model, v["name"], f"JOP24-{i + 1:06d}", zone])
    # What a field export really holds: placeholders, Excel-mangled numbers, a MAC in
    # the wrong column, a row copied twice.
    n_messy = max(4, round(len(rows) * p.messy_rows))
    for k in range(n_messy):
        src = rng.choice(rows)
        kind = k % 4
        if kind == 0:
            rows.append(["inconnu", "", src[2], src[3], "", src[5]])
        elif kind == 1:
            rows.append([f"{rng.randint(1, 9)}.{rng.randint(10000, 99999)}E+11", "", src[2], src[3], "", src[5]])
        elif kind == 2:
            rows.append([src[0], src[1], src[2], src[3], src[4], src[5]])
        else:
            rows.append([src[1], "", src[2], src[3], "", src[5]])
    rng.shuffle(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="cp1252", newline="") as fh:
        fh.write("Inventaire Wi-Fi et commutateurs - sites JOP Paris 2024 (extrait terrain)\r\n\r\n")
        w = csv.writer(fh, delimiter=";", lineterminator="\r\n")
        w.writerow(["N° de série", "Adresse MAC", "Modèle", "Site olympique", "N° d'inventaire", "Zone"])
        w.writerows(rows)
    return len(rows)


def write_centres(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["code", "name", "kind", "city", "lat", "lon", "note"])
        w.writerow([REFURB, "Centre de reconditionnement Île-de-France", "refurb_centre", "Saint-Denis",
                    "48.9362", "2.3574", "illustrative: not a real facility"])  # fmt: skip
        w.writerow(["WH-IDF", "Entrepôt logistique Île-de-France", "warehouse", "Paris", "48.8566", "2.3522",
                    "illustrative: not a real facility"])  # fmt: skip
        w.writerow([RECYCLER, "Recycleur DEEE agréé Île-de-France", "recycler", "Gennevilliers", "48.9333", "2.3",
                    "illustrative: not a real facility"])  # fmt: skip


def run(
    session: Session,
    out_dir: Path,
    p: DemoParams,
    progress: Callable[[str], None] | None = None,
    report_lang: str | None = "fr",
) -> DemoSummary:
    """Play the scenario into ``session`` (an empty, migrated database with its catalog)."""
    say = progress or (lambda _s: None)
    rng = random.Random(p.seed)
    out_dir.mkdir(parents=True, exist_ok=True)

    say("venues")
    inventory.import_locations(session, venues_csv(), kind=LocationKind.VENUE, actor=ACTOR)
    centres = out_dir / "centres.csv"
    write_centres(centres)
    inventory.import_locations(session, centres, actor=ACTOR)
    with venues_csv().open(encoding="utf-8") as fh:
        venues = list(csv.DictReader(fh))

    say("field_export")
    export = out_dir / "inventaire-terrain-jop2024.csv"
    export_rows = write_field_export(rng, p, venues, export)
    rejects = out_dir / "inventaire-terrain-jop2024.rejects.csv"
    rejects.unlink(missing_ok=True)  # an earlier run's: rejects files are otherwise never overwritten
    imported = import_devices(session, export, actor=ACTOR, rejects_path=rejects, lang="fr")

    say("collection")
    by_venue: dict[str, dict[str, list[str]]] = {}
    for d in inventory.iter_devices(session, state=State.DEPLOYED):
        group = "SW" if d["kind"] == "switch" else "AP"
        by_venue.setdefault(d["location"], {}).setdefault(group, []).append(d["serial"])
    lot_codes: list[str] = []
    lost_takedown = 0
    for venue in sorted(by_venue):
        for group in sorted(by_venue[venue]):
            serials = sorted(by_venue[venue][group])
            rng.shuffle(serials)
            missing = [s for s in serials if rng.random() < p.lost_at_takedown]
            if missing:
                lost_takedown += len(service.transition(
                    session, missing, State.LOST, actor=ACTOR, reason="introuvable au démontage",
                ).moved)  # fmt: skip
            present = [s for s in serials if s not in set(missing)]
            size = p.ap_lot_size if group == "AP" else p.switch_lot_size
            for n, start in enumerate(range(0, len(present), size), start=1):
                code = f"L-{venue}-{group}-{n:03d}"
                lots.create_lot(session, code, actor=ACTOR, origin=venue, seal=f"S{rng.randint(100000, 999999)}",
                                carrier=rng.choice(("Transporteur A", "Transporteur B")))  # fmt: skip
                service.transition(session, present[start : start + size], State.COLLECTED, actor=ACTOR, lot=code)
                lot_codes.append(code)

    say("transport")
    for code in lot_codes:
        lots.move_lot(session, code, State.IN_TRANSIT, actor=ACTOR)

    say("reception")
    contents = {code: lots.lot_serials(session, lots.service.find_lot(session, code)) for code in lot_codes}
    scans: dict[str, list[str]] = {code: list(s) for code, s in contents.items()}
    for code in lot_codes:
        for s in contents[code]:
            r = rng.random()
            if r < p.missing_in_transit:
                scans[code].remove(s)
            elif r < p.missing_in_transit + p.mispacked:
                # Physically packed in a neighbouring lot: missing here, unexpected there.
                scans[code].remove(s)
                other = lot_codes[(lot_codes.index(code) + 1) % len(lot_codes)]
                scans[other].append(s)
    for _ in range(max(1, len(lot_codes) * p.unknown_scans_per_100_lots // 100)):
        scans[rng.choice(lot_codes)].append(f"JOP24-{rng.randint(900000, 999999)}")
    totals = Counter[str]()
    unexpected: list[tuple[str, str]] = []
    for code in lot_codes:
        rec = lots.reconcile(session, code, scans[code], actor=ACTOR, receive_at=REFURB, mark_missing_lost=True)
        totals.update(expected=rec.expected, matched=len(rec.matched), missing=len(rec.missing),
                      unexpected=len(rec.unexpected), unknown=len(rec.unknown))  # fmt: skip
        unexpected.extend((s, code) for s, _ in rec.unexpected)

    say("found_again")
    found = 0
    for serial, code in unexpected:
        # Marked lost by its own lot's reconciliation: it is here after all.
        r = service.transition(
            session, [serial], State.RECEIVED, actor=ACTOR, at=REFURB, reason=f"trouvé dans le lot {code}"
        )
        found += len(r.moved)

    say("bench")
    bench = _bench(session, rng, p)

    say("sites")
    sites_csv, zones_csv = out_dir / "sites-la-poste.csv", out_dir / "zones-la-poste.csv"
    n_sites = write_sites(rng, sites_csv, zones_csv)
    planning.import_sites(session, sites_csv)
    planning.import_zones(session, zones_csv)
    say("design")
    design_summary = _design_mdi(session, out_dir)
    needs: dict[str, int] = {}
    closets = 0
    for row in planning.needs_with_switches(session):
        needs[row["class"]] = needs.get(row["class"], 0) + row["count"]
        if row["class"] == "switch":
            closets += len(row["closets"])
            if row["site"] == design_summary.get("site"):
                design_summary["closets"] = [{k: c[k] for k in ("closet", "floor", "ports", "aps", "poe_w",
                                                                "switches")} for c in row["closets"]]  # fmt: skip
                design_summary["switch_model"] = row["model"]
    needs_closets = closets

    say("allocation")
    plan = allocation.create_plan(session, name="Paris 2024 → La Poste", actor=ACTOR)
    plans.approve(session, plan.id, actor=ACTOR)
    plan_summary = {k: plan.summary[k] for k in ("assigned", "needed", "unmet", "unused", "transport_kgco2e", "greedy")}
    plan_summary |= {"plan": plan.id, "solver": plan.solver, "optimal": plan.optimal, "gap": plan.gap,
                     "switches": plan.summary["switches"], "closets": needs_closets}

    say("shipments")
    sent = shipments.create_shipments(session, plan.id, actor=ACTOR)
    mdi = design_summary.get("site")
    for sh in sent:
        shipments.send(session, sh.code, actor=ACTOR)
        if mdi and sh.code.endswith(mdi):
            plan_summary["installation"] = _install_by_position(session, rng, sh, mdi, out_dir)
        else:
            shipments.install(session, sh.code, None, actor="installateur.demo")
        shipments.in_service(session, sh.code, actor="installateur.demo")
    if mdi:  # the site's as-built records, for its NetBox and its controller
        from reemploi.planning.asbuilt import export as asbuilt

        for fmt in ("netbox", "controller", "xlsx"):
            name = f"asbuilt-{mdi}-{fmt}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
            asbuilt(session, mdi, fmt, out_dir / name, replace=True)
    plan_summary["shipments"] = len(sent)
    plan_summary["boxes"] = sum(sh.boxes for sh in sent)
    plan_summary["pallets"] = sum(sh.pallets for sh in sent)

    say("impact")
    from reemploi.impact import service as impact
    from reemploi.impact.report.build import write_report

    result = impact.compute(session, with_devices=bool(report_lang))
    d = result.data
    impact_summary = {
        "net_avoided_tco2e": d["net_avoided_tco2e"], "reuse_rate": d["reuse_rate"],
        "ewaste_avoided_kg": d["ewaste_avoided_kg"], "input_hash": d["input_hash"],
    }  # fmt: skip
    report_files: dict[str, str] = {}
    if report_lang:
        say("report")
        report = write_report(result, out_dir / "rapport", lang=report_lang)
        report_files = {f"report_{k}": v for k, v in report.items()}

    say("audit")
    check = audit.verify(session)
    by_state = inventory.count_devices(session)
    return DemoSummary(
        database="",
        params=asdict(p),
        venues=len(venues),
        export_rows=export_rows,
        imported=imported.created,
        rejected=imported.rejected,
        rejects_file=imported.rejects_file,
        lots=len(lot_codes),
        lost_at_takedown=lost_takedown,
        reconciliation=dict(totals),
        found_again=found,
        by_state=by_state,
        audit_events=check.count,
        audit_ok=check.ok,
        audit_head=check.head_hash,
        bench=bench,
        sites=n_sites,
        needs=needs,
        plan=plan_summary,
        design=design_summary,
        impact=impact_summary,
        by_grade=inventory.count_grades(session),
        ready_rate={
            kind: round(
                sum(by_state.get(st, {}).get(k, 0) for st in RELEASED)
                / max(1, sum(v.get(k, 0) for v in by_state.values())),
                4,
            )
            for kind, k in (("ap", "indoor_ap"), ("outdoor_ap", "outdoor_ap"), ("switch", "switch"))
        },
        files={
            "field_export": str(export),
            "rejects": str(rejects),
            "centres": str(centres),
            "sites": str(sites_csv),
            "zones": str(zones_csv),
            **report_files,
        },  # fmt: skip
    )


def _install_by_position(session: Session, rng: random.Random, sh: Any, site: str, out_dir: Path) -> dict[str, Any]:
    """The Maison de l'Innovation installed device by device: each scanned at its position from its label.

    One installer scans an AP at the neighbour's position (refused, the right one named),
    and two APs of a box are swapped on purpose (recorded as swapped). Writes the packing
    list (by floor) and the installation labels."""
    from reemploi.errors import ReemploiError
    from reemploi.planning import install
    from reemploi.refurb.labels import install_labels, render_pdf

    packing = out_dir / f"colisage-{site}.csv"
    shipments.packing_list(session, sh.code, packing, lang="fr")
    labels_pdf = out_dir / f"etiquettes-pose-{site}.pdf"
    labels = install_labels(session, sh.code)
    render_pdf(labels, labels_pdf, lang="fr")
    aps = [lab for lab in labels if lab.position and "/" not in lab.position]  # not a switch slot
    same = [lab for lab in aps if lab.model == Counter(x.model for x in aps).most_common(1)[0][0]] if aps else []
    a, b = rng.sample(same, 2) if len(same) >= 2 else (None, None)
    refused = 0
    if a is not None and b is not None:
        try:  # the wrong position, without --swap: refused
            install.install_at(session, a.serial, b.position, site=site, actor="installateur.demo")
        except ReemploiError:
            refused += 1
    swapped = {a.serial: b.position, b.serial: a.position} if a is not None and b is not None else {}
    for lab in labels:
        install.install_at(session, lab.serial, swapped.get(lab.serial, lab.position), site=site,
                           swap=lab.serial in swapped, actor="installateur.demo")  # fmt: skip
    acc = shipments.acceptance(session, site)["positions"]
    return {"site": site, "scanned": len(labels), "refused": refused, "installed": len(acc["installed"]),
            "swapped": len(acc["swapped"]), "missing": len(acc["missing"]), "boxes": sh.boxes,
            "floors": len({lab.floor for lab in labels}), "labels": labels_pdf.name,
            "packing_list": packing.name}  # fmt: skip


def _kind(model_kind: str) -> str:
    return "switch" if model_kind == "switch" else "ap"


def _draw(rng: random.Random, p: DemoParams, kind: str, serial: str, firmware: str) -> TestInput:
    """One test run's findings, drawn from the scenario's fault rates for this kind."""
    if rng.random() < p.dead[kind]:
        return TestInput(serial, power_on=Check.FAIL, boot=Check.FAIL, firmware=None, bench="B1")
    t = TestInput(serial, firmware=firmware, bench=rng.choice(("B1", "B2", "B3")))
    if kind == "switch":
        t.radio_24 = t.radio_5 = t.radio_6 = Check.NA
    if rng.random() < p.boot_fault[kind]:
        t.boot = Check.FAIL
    if kind == "ap" and rng.random() < p.radio_fault[kind]:
        t.radio_5 = Check.FAIL
    if rng.random() < p.port_fault[kind]:
        t.ports = Condition.DAMAGED
    if rng.random() < p.broken_casing[kind]:
        t.casing = Condition.BROKEN
    elif rng.random() < p.worn[kind]:
        t.casing = Condition.WORN
    return t


def _bench(session: Session, rng: random.Random, p: DemoParams) -> dict[str, int]:
    """Test, repair, upgrade, wipe and release every received device; recycle the rest."""
    policy = firmware_policy()
    devices = sorted(
        (d["serial"], _kind(d["kind"]), d["model"]) for d in inventory.iter_devices(session, state=State.RECEIVED)
    )
    kinds = {s: k for s, k, _ in devices}
    current: dict[str, str] = {}
    for serial, _, model in devices:
        minimum = policy.get(model.upper(), "17.9.4")
        current[serial] = "17.6.5" if rng.random() < p.old_firmware else minimum
    counts: Counter[str] = Counter()
    # First test of everyone, then up to two repair rounds for what a repair can fix.
    todo = [_draw(rng, p, kinds[s], s, current[s]) for s, _, _ in devices]
    for round_ in range(3):
        if not todo:
            break
        res = refurb.record_tests(session, todo, technician=TECHNICIAN, lang="fr")
        counts["tests"] += len(res.done)
        repair = [o.serial for o in res.done if o.decision == Decision.REPAIR.value]
        for o in res.done:
            if o.decision == Decision.HARVEST.value:
                service.transition(session, [o.serial], State.HARVESTED, actor=TECHNICIAN, reason=o.reason)
            elif o.decision == Decision.RECYCLE.value:
                service.transition(session, [o.serial], State.TO_RECYCLE, actor=TECHNICIAN, reason=o.reason)
        if not repair or round_ == 2:
            break
        refurb.repair(session, repair, technician=TECHNICIAN, action="remplacement du module défectueux",
                      parts=[("module", 0.05)], minutes=25)  # fmt: skip
        counts["repairs"] += len(repair)
        todo = []
        for s in repair:
            fixed = rng.random() < p.repair_success[kinds[s]]
            t = TestInput(s, firmware=current[s], bench="B1")
            if kinds[s] == "switch":
                t.radio_24 = t.radio_5 = t.radio_6 = Check.NA
            if not fixed:
                t.boot = Check.FAIL
            todo.append(t)
    passed = [d["serial"] for d in inventory.iter_devices(session, state=State.TESTED) if d["grade"] in ("A", "B")]
    old = [s for s in passed if current[s] == "17.6.5"]
    refurb.upgrade(session, old, technician=TECHNICIAN, to_version="17.9.5", from_version="17.6.5")
    counts["upgrades"] += len(old)
    failing = {s for s in passed if rng.random() < p.wipe_failure}
    wipe_ok = [s for s in passed if s not in failing]
    refurb.sanitize(session, wipe_ok, operator=TECHNICIAN, method=SanitizationMethod.CONFIG_ERASE_VERIFY,
                    passed=True, verifier=VERIFIER)  # fmt: skip
    if failing:
        refurb.sanitize(session, sorted(failing), operator=TECHNICIAN,
                        method=SanitizationMethod.CONFIG_ERASE_VERIFY, passed=False)  # fmt: skip
        refurb.sanitize(session, sorted(failing), operator=TECHNICIAN, method=SanitizationMethod.REIMAGE,
                        passed=True, verifier=VERIFIER)  # fmt: skip
    counts["wipes"] += len(passed) + 2 * len(failing)
    ready = service.transition(session, passed, State.READY, actor=TECHNICIAN)
    counts["ready"] += len(ready.moved)
    counts["not_ready"] += len(ready.refused)
    gone = [
        d["serial"] for st in (State.HARVESTED, State.TO_RECYCLE) for d in inventory.iter_devices(session, state=st)
    ]
    if gone:
        res = refurb.dispose(session, gone, operator=TECHNICIAN, recycler=RECYCLER, reference="BSD-DEMO-0001")
        counts["recycled"] += len(res.done)
    return dict(counts)


def create_demo(
    folder: Path, p: DemoParams, progress: Callable[[str], None] | None = None, report_lang: str | None = "fr"
) -> DemoSummary:
    """A fresh SQLite database in ``folder`` with the whole scenario played in it.

    The demo owns its database: it deletes an earlier one, migrates, loads the catalog
    and commits once at the end (all or nothing). Writes ``summary.json`` beside it.
    """
    import time

    import orjson

    from reemploi.catalog.service import load_default
    from reemploi.db import make_engine, migrate, transaction

    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "reemploi-demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{db_path}")
    try:
        migrate.upgrade(engine)
        with transaction(engine) as session:
            load_default(session)
            summary = run(session, folder, p, progress=progress, report_lang=report_lang)
    finally:
        engine.dispose()
    summary.database = str(db_path)
    summary.seconds = round(time.perf_counter() - started, 2)
    (folder / "summary.json").write_bytes(orjson.dumps(summary.as_dict(), option=orjson.OPT_INDENT_2))
    return summary
