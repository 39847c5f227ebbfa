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

from reemploi.inventory import service as inventory
from reemploi.inventory.importer import import_devices
from reemploi.inventory.models import LocationKind
from reemploi.workflow import audit, lots, service
from reemploi.workflow.states import State

ACTOR = "demo"
REFURB = "REFURB-IDF"

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
    files: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


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
            is_outdoor = rng.random() < (0.35 if outdoor else 0.06)
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


def run(session: Session, out_dir: Path, p: DemoParams, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Play the scenario into ``session`` (an empty, migrated database with its catalog)."""
    say = progress or (lambda _s: None)
    rng = random.Random(p.seed)
    out_dir.mkdir(parents=True, exist_ok=True)

    say("venues")
    inventory.import_locations(session, venues_csv(), kind=LocationKind.VENUE)
    centres = out_dir / "centres.csv"
    write_centres(centres)
    inventory.import_locations(session, centres)
    with venues_csv().open(encoding="utf-8") as fh:
        venues = list(csv.DictReader(fh))

    say("field export")
    export = out_dir / "inventaire-terrain-jop2024.csv"
    export_rows = write_field_export(rng, p, venues, export)
    rejects = out_dir / "inventaire-terrain-jop2024.rejects.csv"
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

    say("found again")
    found = 0
    for serial, code in unexpected:
        # Marked lost by its own lot's reconciliation: it is here after all.
        r = service.transition(
            session, [serial], State.RECEIVED, actor=ACTOR, at=REFURB, reason=f"trouvé dans le lot {code}"
        )
        found += len(r.moved)

    say("audit")
    check = audit.verify(session)
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
        by_state=inventory.count_devices(session),
        audit_events=check.count,
        audit_ok=check.ok,
        audit_head=check.head_hash,
        files={"field_export": str(export), "rejects": str(rejects), "centres": str(centres)},
    )
