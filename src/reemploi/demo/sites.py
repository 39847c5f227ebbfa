"""The La Poste destination sites of the demo: illustrative sites in real cities.

Every site but the Maison de l'Innovation is invented (its name says "illustratif")
and placed near a real city centre with a seeded jitter. The Maison de l'Innovation
in Nantes carries its published figures: about 15,375 m² on 7 levels and about 1,000
staff (see ../shared/facts/domain-facts.md).
"""

from __future__ import annotations

import csv
import random
from importlib import resources
from pathlib import Path

MDI = "LP-NTE-MDI"


def cities() -> list[dict[str, str]]:
    text = resources.files("reemploi.demo").joinpath("data/french-cities.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


def _place(rng: random.Random, city: dict[str, str]) -> tuple[str, str]:
    return (
        f"{float(city['lat']) + rng.uniform(-0.03, 0.03):.4f}",
        f"{float(city['lon']) + rng.uniform(-0.04, 0.04):.4f}",
    )


def write_sites(
    rng: random.Random,
    sites_path: Path,
    zones_path: Path,
    offices: int = 68,
    post_offices: int = 36,
    hubs_count: int = 12,
) -> int:
    """Write the sites and zones files the demo imports; returns the number of sites."""
    towns = cities()
    by_name = {c["city"]: c for c in towns}
    sites: list[list[str]] = []
    zones: list[list[str]] = []

    def site(code: str, name: str, kind: str, city: dict[str, str], priority: int, vendor: str = "") -> str:
        lat, lon = _place(rng, city) if code != MDI else (city["lat"], city["lon"])
        sites.append([code, name, kind, city["city"], lat, lon, str(priority), "", vendor, ""])
        return code

    def zone(code: str, name: str, env: str, area: float, occupants: int, floors: int = 1, gen: str = "") -> None:
        zones.append([code, name, env, f"{area:.0f}", str(occupants), "", "", str(floors), gen])

    paris = by_name["Paris"]
    hq = site("LP-PAR-SIEGE", "Siège (illustratif), Paris", "headquarters", paris, 1, "Cisco")
    zone(hq, "plateaux", "open_office", 24_000, 1_900, floors=9, gen="6")
    zone(hq, "salles de réunion", "meeting", 3_000, 400, floors=9, gen="6")
    zone(hq, "circulations", "corridor", 4_500, 0, floors=9)
    mdi = site(MDI, "Maison de l'Innovation, Nantes", "innovation_centre", by_name["Nantes"], 1, "Cisco")
    # 15,375 m² on 7 levels (R+6), about 1,000 staff and 800 workstations.
    zone(mdi, "plateaux", "open_office", 10_500, 800, floors=7, gen="6")
    zone(mdi, "salles et ateliers", "meeting", 2_300, 200, floors=7, gen="6")
    zone(mdi, "atrium et circulations", "corridor", 2_575, 0, floors=7)
    zone(mdi, "parvis", "outdoor", 4_000, 60)
    big = ["Lyon", "Marseille", "Toulouse", "Lille", "Bordeaux", "Strasbourg", "Rennes", "Nice", "Montpellier",
           "Grenoble", "Dijon", "Orléans"]  # fmt: skip
    for i, name in enumerate(big, start=1):
        code = site(f"LP-PFC-{i:02d}", f"Plateforme de tri (illustratif), {name}", "sorting_platform", by_name[name], 2)
        zone(code, "halle de tri", "warehouse", rng.randrange(8_000, 22_000, 500), rng.randrange(60, 220))
        zone(code, "bureaux", "open_office", rng.randrange(400, 1_200, 50), rng.randrange(20, 60))
        zone(code, "cour et quais", "outdoor", rng.randrange(40_000, 120_000, 1_000), rng.randrange(20, 80))
    hubs = [c for c in towns if c["city"] not in big and c["city"] not in ("Paris", "Nantes")][:hubs_count]
    for i, city in enumerate(hubs, start=1):
        code = site(f"LP-PFC-C{i:02d}", f"Plateforme colis (illustratif), {city['city']}", "sorting_platform", city, 2)
        zone(code, "halle colis", "warehouse", rng.randrange(8_000, 22_000, 500), rng.randrange(60, 220))
        zone(code, "cour camions", "outdoor", rng.randrange(40_000, 120_000, 1_000), rng.randrange(10, 40))
    for i in range(1, offices + 1):
        city = rng.choice(towns)
        code = site(f"LP-BUR-{i:03d}", f"Bureaux (illustratif), {city['city']}", "office", city, rng.choice((2, 3)))
        staff = rng.randrange(60, 420, 10)
        zone(code, "plateaux", "open_office", staff * rng.uniform(9, 14), staff, floors=rng.choice((1, 2, 3, 4)))
        zone(code, "réunions", "meeting", staff * 1.5, staff // 4)
    for i in range(1, post_offices + 1):
        city = rng.choice(towns)
        code = site(f"LP-BP-{i:03d}", f"Bureau de poste (illustratif), {city['city']}", "post_office", city, 4)
        zone(code, "espace public", "open_office", rng.randrange(120, 420, 10), rng.randrange(4, 16))
    header_sites = ["code", "name", "kind", "city", "lat", "lon", "priority", "deadline", "controller_vendor",
                    "poe_budget_w"]  # fmt: skip
    header_zones = ["site", "zone", "environment", "area_m2", "occupants", "devices_per_user", "mbps_per_device",
                    "floors", "min_wifi_generation"]  # fmt: skip
    for path, header, rows in ((sites_path, header_sites, sites), (zones_path, header_zones, zones)):
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(rows)
    return len(sites)
