"""The report's words, in French and English (the CLI's messages live in reemploi.i18n)."""

from __future__ import annotations

from typing import Any

TEXTS: dict[str, tuple[str, str]] = {
    "title": ("Réemploi des équipements réseau : bilan d'impact", "Network equipment reuse: impact report"),
    "subtitle": ("{de}{source} à {destination}", "From {source} to {destination}"),
    "generated": ("Établi le {date} par reemploi {version}", "Produced on {date} by reemploi {version}"),
    "summary": ("Synthèse", "Summary"),
    "net_avoided": ("Émissions évitées nettes", "Net avoided emissions"),
    "net_avoided_note": (
        "Émissions évitées par rapport à l'achat d'équipements neufs équivalents, déclarées à part des scopes 1 à 3 "
        "et jamais déduites de ceux-ci.",
        "Emissions avoided against buying equivalent new equipment, reported apart from scopes 1-3 and never "
        "netted from them.",
    ),
    "range": ("intervalle P5–P95", "P5–P95 range"),
    "central": ("valeur centrale", "central value"),
    "median": ("médiane", "median"),
    "redeployed": ("équipements redéployés", "devices redeployed"),
    "ewaste": ("Déchets électroniques évités (différés)", "E-waste avoided (deferred)"),
    "lifetime": ("Prolongation de durée de vie", "Lifetime extension"),
    "device_years": ("{years} années-équipement ({per} ans par équipement)",
                     "{years} device-years ({per} years per device)"),  # fmt: skip
    "device_years_unit": ("années-équipement", "device-years"),
    "years_per_device": ("{per} ans de seconde vie par équipement", "{per} years of second life per device"),
    "adpe": ("Épuisement des ressources abiotiques évité (ADPe)", "Abiotic depletion avoided (ADPe)"),
    "reuse_rate": ("Taux de réemploi", "Reuse rate"),
    "by_count": ("en nombre", "by count"),
    "by_mass": ("en masse", "by mass"),
    "released": ("remis en état pour réemploi", "released for reuse"),
    "target": ("objectif", "target"),
    "met": ("atteint", "met"),
    "not_met": ("non atteint", "not met"),
    "ap": ("Points d'accès Wi-Fi", "Wi-Fi access points"),
    "switch": ("Commutateurs", "Switches"),
    "flow": ("Flux des équipements", "Flow of the devices"),
    "flow_note": (
        "Chaque équipement démonté, de la collecte à son redéploiement, son recyclage ou sa perte.",
        "Every device taken down, from collection to its redeployment, recycling or loss.",
    ),
    "taken_down": ("Démontés", "Taken down"),
    "collected": ("Collectés", "Collected"),
    "lost_takedown": ("Perdus au démontage", "Lost at take-down"),
    "tested": ("Testés", "Tested"),
    "lost": ("Perdus", "Lost"),
    "awaiting_test": ("En attente de test", "Awaiting test"),
    "ready": ("Prêts au réemploi", "Ready for reuse"),
    "end_of_life": ("Fin de vie (recyclage, pièces)", "End of life (recycling, parts)"),
    "in_process": ("En atelier", "At the bench"),
    "installed": ("Installés", "Installed"),
    "in_stock": ("En stock", "In stock"),
    "recycled": ("Recyclés (DEEE)", "Recycled (WEEE)"),
    "map": ("Carte des flux", "Map of the flows"),
    "map_note": (
        "Sites d'origine (épreuves), centres de remise en état et sites de destination ; épaisseur des traits "
        "proportionnelle au nombre d'équipements.",
        "Source venues, refurbishment centres and destination sites; line width proportional to the number of "
        "devices.",
    ),
    "venues": ("Sites d'origine", "Source venues"),
    "centres": ("Centres de remise en état", "Refurbishment centres"),
    "sites": ("Sites de destination", "Destination sites"),
    "waterfall": ("Du carbone évité au bilan net", "From avoided carbon to the net figure"),
    "embodied": ("Fabrication évitée", "Manufacturing avoided"),
    "refurbishment": ("Énergie de remise en état", "Refurbishment energy"),
    "parts": ("Pièces remplacées", "Replaced parts"),
    "packaging": ("Emballage", "Packaging"),
    "transport": ("Transport", "Transport"),
    "use_phase": ("Écart de consommation en usage", "Use-phase difference"),
    "net": ("Net", "Net"),
    "sensitivity": ("Sensibilité : ce qui fait varier le résultat", "Sensitivity: what drives the spread"),
    "sensitivity_note": (
        "Chaque facteur (ou groupe de facteurs corrélés) placé à son 5e puis à son 95e centile, les autres à "
        "leur valeur centrale ; corrélation de rang avec le résultat sur {draws} tirages.",
        "Each factor (or group of correlated factors) set to its 5th then its 95th percentile, the others at "
        "their central value; rank correlation with the result over {draws} draws.",
    ),
    "driver": ("Facteur", "Driver"),
    "at_p5": ("au P5", "at P5"),
    "at_p95": ("au P95", "at P95"),
    "rank_corr": ("corr. de rang", "rank corr."),
    "terms": ("Postes du calcul", "Terms of the calculation"),
    "term": ("Poste", "Term"),
    "value": ("Valeur", "Value"),
    "unit": ("Unité", "Unit"),
    "quality": ("Qualité", "Quality"),
    "indicators": ("Indicateurs", "Indicators"),
    "indicator": ("Indicateur", "Indicator"),
    "attribution": ("Attribution entre partenaires", "Attribution between the partners"),
    "attribution_note": (
        "Pour qu'aucune tonne ne soit revendiquée deux fois : {source} {share_s}, {destination} {share_d}.",
        "So that no tonne is claimed twice: {source} {share_s}, {destination} {share_d}.",
    ),
    "esrs": ("Tableau de type ESRS E5-4 / E5-5", "ESRS E5-4 / E5-5 style table"),
    "esrs_in_units": ("Flux entrants : équipements réemployés reçus (nombre)",
                      "Resource inflows: reused equipment received (count)"),  # fmt: skip
    "esrs_in_kg": ("Flux entrants : équipements réemployés reçus (masse)",
                   "Resource inflows: reused equipment received (weight)"),  # fmt: skip
    "esrs_in_share": ("Part des produits réemployés dans les flux entrants du programme",
                      "Share of reused products in the programme's inflows"),  # fmt: skip
    "esrs_out_reuse": ("Flux sortants : préparés en vue du réemploi (masse)",
                       "Resource outflows: prepared for reuse (weight)"),  # fmt: skip
    "esrs_out_recycled": ("Déchets détournés de l'élimination : recyclage (masse)",
                          "Waste diverted from disposal: recycling (weight)"),  # fmt: skip
    "esrs_out_lost": ("Équipements perdus (devenir inconnu)", "Devices lost (fate unknown)"),
    "esrs_note": (
        "Ces chiffres ne couvrent que le programme suivi par reemploi, pas l'ensemble des flux des entreprises.",
        "These figures cover only the programme tracked by reemploi, not the companies' whole flows.",
    ),
    "regulation": ("Repères réglementaires", "Regulatory notes"),
    "regulation_text": (
        "Loi AGEC, article 58, et décret 2021-254 : les acheteurs publics doivent acquérir au moins 20 % de leurs "
        "équipements informatiques issus du réemploi ou reconditionnés (pour la plupart des catégories). Loi REEN "
        "(2021), articles 15-16 : indices de réparabilité et de durabilité, réemploi des équipements publics. Ces "
        "textes lient l'État et les collectivités ; pour une entreprise comme La Poste ils sont un repère "
        "volontaire. EN 50614:2020 (préparation des DEEE en vue du réemploi : tests, effacement, traçabilité) est "
        "suivie ici comme bonne pratique.",
        "AGEC law, article 58, and decree 2021-254: public buyers must acquire at least 20 % of their IT equipment "
        "reused or refurbished (most categories). REEN law (2021), articles 15-16: reparability and durability "
        "indices, reuse of public equipment. These bind the State and local authorities; for a company such as "
        "La Poste they are a voluntary benchmark. EN 50614:2020 (preparing WEEE for reuse: testing, wiping, "
        "records) is followed here as good practice.",
    ),
    "method": ("Annexe méthodologique", "Methodology annex"),
    "method_text": (
        "Méthode {version} (docs/methodology.md), d'après le guide du WBCSD sur les émissions évitées (2023), le "
        "GHG Protocol, l'ISO 14040/14044 et l'UIT-T L.1410. Scénario de référence : l'achat d'un équipement neuf "
        "équivalent. Pour chaque équipement redéployé : fabrication évitée × (durée de seconde vie / durée de vie "
        "du neuf, plafonnée à 1) − énergie de remise en état − pièces remplacées − emballage − transport (masse × "
        "distance routière × facteur) ± écart de consommation en usage. Seuls les équipements installés ou en "
        "service comptent. Monte-Carlo de {draws} tirages (graine {seed}) sur chaque facteur ayant une "
        "distribution ; les facteurs d'un même groupe sont tirés ensemble.",
        "Method {version} (docs/methodology.md), after the WBCSD Guidance on Avoided Emissions (2023), the GHG "
        "Protocol, ISO 14040/14044 and ITU-T L.1410. Reference scenario: buying an equivalent new device. For each "
        "redeployed device: manufacturing avoided × (second-life years / life of the new one, capped at 1) − "
        "refurbishment energy − replaced parts − packaging − transport (mass × road distance × factor) ± use-phase "
        "difference. Only installed or in-service devices count. Monte Carlo with {draws} draws (seed {seed}) over "
        "every factor that has a distribution; factors of one group are drawn together.",
    ),
    "out_of_scope": (
        "Hors périmètre : la première vie (pendant les Jeux), les déplacements des personnes, les bâtiments, "
        "l'épuisement des ressources abiotiques (aucun facteur publié pour ces équipements), les équipements "
        "encore en stock (potentiel, non compté).",
        "Out of scope: the first life (during the Games), people's travel, buildings, abiotic resource depletion "
        "(no published factor for this equipment), devices still in stock (a potential, not counted).",
    ),
    "factors": ("Facteurs utilisés", "Factors used"),
    "key": ("Clé", "Key"),
    "distribution": ("Distribution", "Distribution"),
    "source": ("Source", "Source"),
    "year": ("Année", "Year"),
    "data_quality": ("Qualité des données", "Data quality"),
    "data_quality_text": (
        "{estimates} facteurs sur {total} sont des estimations faute de source publiée, dont la fabrication des "
        "points d'accès (aucune ACV publiée : approximée par la « box » de la Base IMPACTS de l'ADEME). Le résultat "
        "est donc un intervalle, pas un chiffre. Une déclaration comparative publique demande une revue critique "
        "(ISO 14044). {defaulted}{fallback}",
        "{estimates} of {total} factors are estimates for want of a published source, including the manufacturing "
        "of access points (no published LCA: approximated by ADEME Base IMPACTS' 'box'). The result is therefore a "
        "range, not a number. A public comparative claim calls for a critical review (ISO 14044). "
        "{defaulted}{fallback}",
    ),
    "defaulted": ("Modèles sans facteur propre (défaut de leur type) : {models}. ",
                  "Models without their own factor (their kind's default): {models}. "),  # fmt: skip
    "fallback": ("{legs} trajets sans coordonnées comptés à la distance par défaut. ",
                 "{legs} legs without coordinates counted at the fallback distance. "),  # fmt: skip
    "stamp": ("Reproductibilité", "Reproducibility"),
    "software": ("Logiciel", "Software"),
    "method_version": ("Version de la méthode", "Method version"),
    "factor_set": ("Jeu de facteurs", "Factor set"),
    "input_hash": ("Empreinte des données d'entrée", "Input hash"),
    "draws_seed": ("Tirages / graine", "Draws / seed"),
    "ledger": ("Registre par équipement", "Per-device ledger"),
    "serial": ("N° de série", "Serial"),
    "model": ("Modèle", "Model"),
    "kind": ("Type", "Kind"),
    "venue": ("Site d'origine", "Venue"),
    "centre": ("Centre", "Centre"),
    "site": ("Site", "Site"),
    "km_collect": ("km collecte (orthodromie)", "collection km (great circle)"),
    "km_deliver": ("km livraison (orthodromie)", "delivery km (great circle)"),
    "parts_kg": ("pièces (kg)", "parts (kg)"),
    "second_life": ("seconde vie (ans)", "second life (years)"),
    "avoided_kg": ("évité (kgCO2e, valeur centrale)", "avoided (kgCO2e, central)"),
    "count": ("Nombre", "Count"),
    "low": ("Bas", "Low"),
    "high": ("Haut", "High"),
    "group": ("Groupe", "Group"),
    "note": ("Note", "Note"),
    "none": ("aucun", "none"),
    "page": ("Page {n}", "Page {n}"),
}


DRIVERS: dict[str, tuple[str, str]] = {
    "embodied_ap": ("Fabrication des points d'accès (groupe)", "Manufacturing of access points (group)"),
    "embodied_switch": ("Fabrication des commutateurs (groupe)", "Manufacturing of switches (group)"),
    "life_new": ("Durée de vie du neuf (groupe)", "Life of new equipment (group)"),
    "use_power": ("Écart de puissance en usage (groupe)", "Use-phase power difference (group)"),
    "grid.FR": ("Intensité carbone de l'électricité (FR)", "Grid carbon intensity (FR)"),
    "refurb.bench_kwh": ("Énergie du banc par équipement", "Bench energy per device"),
    "parts.kgco2e_per_kg": ("Pièces : kgCO2e par kg", "Parts: kgCO2e per kg"),
    "packaging.kgco2e_per_unit": ("Emballage par équipement", "Packaging per device"),
    "transport.road_tkm": ("Transport routier par t·km", "Road freight per t·km"),
    "transport.road_factor": ("Facteur de détour routier", "Road detour factor"),
    "transport.fallback_km": ("Distance par défaut", "Fallback distance"),
}


def driver_label(driver: str, lang: str) -> str:
    pair = DRIVERS.get(driver)
    if pair is None:
        return driver
    return pair[0] if lang == "fr" else pair[1]


def tr(key: str, lang: str, **params: Any) -> str:
    fr, en = TEXTS[key]
    text = fr if lang == "fr" else en
    return text.format(**params) if params else text


def number(x: float | None, lang: str, digits: int = 1) -> str:
    """1 234,5 in French, 1,234.5 in English."""
    if x is None:
        return "–"
    s = f"{x:,.{digits}f}"
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def percent(x: float | None, lang: str, digits: int = 1) -> str:
    if x is None:
        return "–"
    s = f"{x * 100:.{digits}f}"
    return f"{s.replace('.', ',')}\u202f%" if lang == "fr" else f"{s}%"


QUALITY_FR = {"measured": "mesuré", "published": "publié", "datasheet": "fiche technique", "proxy": "approximation",
              "estimate": "estimation"}  # fmt: skip
DISTRIBUTION_FR = {"fixed": "fixe", "uniform": "uniforme", "triangular": "triangulaire", "lognormal": "log-normale"}
UNIT_FR = {"kgCO2e/unit": "kgCO2e/unité", "kg/unit": "kg/unité", "years": "ans", "kWh/unit": "kWh/unité",
           "road km/great-circle km": "km route/km orthodromie", "kgCO2e/t.km": "kgCO2e/t.km",
           "kgSbeq/unit": "kgSbeq/unité"}  # fmt: skip


def quality(value: str, lang: str) -> str:
    return QUALITY_FR.get(value, value) if lang == "fr" else value


def distribution(value: str, lang: str) -> str:
    return DISTRIBUTION_FR.get(value, value) if lang == "fr" else value


def unit(value: str, lang: str) -> str:
    return UNIT_FR.get(value, value) if lang == "fr" else value


def plain(x: float, lang: str) -> str:
    """A factor's value as written (no padding zeros): 6 years, 0.105, 500 km."""
    s = f"{x:,.6f}".rstrip("0").rstrip(".")
    return s.replace(",", "\u202f").replace(".", ",") if lang == "fr" else s


def from_org(source: str) -> str:
    """French elision: « D'Orange », « De La Poste »."""
    return "D'" if source[:1].lower() in "aeiouyéèêàâîôûh" else "De "
