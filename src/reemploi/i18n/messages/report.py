"""The CSR report's words, factor qualities, distributions and units."""

from reemploi.i18n.registry import M

M("report.title", "Network equipment reuse: impact report")
M("report.subtitle", "From {source} to {destination}")
M("report.generated", "Produced on {date} by reemploi {version}")
M("report.summary", "Summary")
M("report.net_avoided", "Net avoided emissions")
M(
    "report.net_avoided_note",
    "Emissions avoided against buying equivalent new equipment, reported apart from scopes 1-3 and never "
    "netted from them.",
)
M("report.range", "P5–P95 range")
M("report.central", "central value")
M("report.median", "median")
M("report.redeployed", "devices redeployed")
M("report.ewaste", "E-waste avoided (deferred)")
M("report.lifetime", "Lifetime extension")
M("report.device_years", "{years} device-years ({per} years per device)")
M("report.device_years_unit", "device-years")
M("report.years_per_device", "{per} years of second life per device")
M("report.adpe", "Abiotic depletion avoided (ADPe)")
M("report.reuse_rate", "Reuse rate")
M("report.by_count", "by count")
M("report.by_mass", "by mass")
M("report.released", "released for reuse")
M("report.target", "target")
M("report.met", "met")
M("report.not_met", "not met")
M("report.ap", "Wi-Fi access points")
M("report.switch", "Switches")
M("report.flow", "Flow of the devices")
M("report.flow_note", "Every device taken down, from collection to its redeployment, recycling or loss.")
M("report.taken_down", "Taken down")
M("report.collected", "Collected")
M("report.lost_takedown", "Lost at take-down")
M("report.tested", "Tested")
M("report.lost", "Lost")
M("report.awaiting_test", "Awaiting test")
M("report.ready", "Ready for reuse")
M("report.end_of_life", "End of life (recycling, parts)")
M("report.in_process", "At the bench")
M("report.installed", "Installed")
M("report.in_stock", "In stock")
M("report.recycled", "Recycled (WEEE)")
M("report.map", "Map of the flows")
M(
    "report.map_note",
    "Source venues, refurbishment centres and destination sites; line width proportional to the number of "
    "devices.",
)
M("report.venues", "Source venues")
M("report.centres", "Refurbishment centres")
M("report.sites", "Destination sites")
M("report.waterfall", "From avoided carbon to the net figure")
M("report.embodied", "Manufacturing avoided")
M("report.refurbishment", "Refurbishment energy")
M("report.parts", "Replaced parts")
M("report.packaging", "Packaging")
M("report.transport", "Transport")
M("report.use_phase", "Use-phase difference")
M("report.net", "Net")
M("report.sensitivity", "Sensitivity: what drives the spread")
M(
    "report.sensitivity_note",
    "Each factor (or group of correlated factors) set to its 5th then its 95th percentile, the others at "
    "their central value; rank correlation with the result over {draws:n} draws.",
)
M("report.driver", "Driver")
M("report.at_p5", "at P5")
M("report.at_p95", "at P95")
M("report.rank_corr", "rank corr.")
M("report.terms", "Terms of the calculation")
M("report.term", "Term")
M("report.value", "Value")
M("report.unit", "Unit")
M("report.quality", "Quality")
M("report.indicators", "Indicators")
M("report.indicator", "Indicator")
M("report.attribution", "Attribution between the partners")
M("report.attribution_note", "So that no tonne is claimed twice: {source} {share_s}, {destination} {share_d}.")
M("report.esrs", "ESRS E5-4 / E5-5 style table")
M("report.esrs_in_units", "Resource inflows: reused equipment received (count)")
M("report.esrs_in_kg", "Resource inflows: reused equipment received (weight)")
M("report.esrs_in_share", "Share of reused products in the programme's inflows")
M("report.esrs_out_reuse", "Resource outflows: prepared for reuse (weight)")
M("report.esrs_out_recycled", "Waste diverted from disposal: recycling (weight)")
M("report.esrs_out_lost", "Devices lost (fate unknown)")
M("report.esrs_note", "These figures cover only the programme tracked by reemploi, not the companies' whole flows.")
M("report.regulation", "Regulatory notes")
M(
    "report.regulation_text",
    "AGEC law, article 58, and decree 2021-254: public buyers must acquire at least 20 % of their IT "
    "equipment reused or refurbished (most categories). REEN law (2021), articles 15-16: reparability and "
    "durability indices, reuse of public equipment. These bind the State and local authorities; for a "
    "company such as La Poste they are a voluntary benchmark. EN 50614:2020 (preparing WEEE for reuse: "
    "testing, wiping, records) is followed here as good practice.",
)
M("report.method", "Methodology annex")
M(
    "report.method_text",
    "Method {version} (docs/methodology.md), after the WBCSD Guidance on Avoided Emissions (2023), the GHG "
    "Protocol, ISO 14040/14044 and ITU-T L.1410. Reference scenario: buying an equivalent new device. For "
    "each redeployed device: manufacturing avoided × (second-life years / life of the new one, capped at "
    "1) − refurbishment energy − replaced parts − packaging − transport (mass × road distance × factor) ± "
    "use-phase difference. Only installed or in-service devices count. Monte Carlo with {draws:n} draws "
    "(seed {seed}) over every factor that has a distribution; factors of one group are drawn together.",
)
M(
    "report.out_of_scope",
    "Out of scope: the first life (during the Games), people's travel, buildings, abiotic resource "
    "depletion (no published factor for this equipment), devices still in stock (a potential, not counted).",
)
M("report.factors", "Factors used")
M("report.key", "Key")
M("report.distribution", "Distribution")
M("report.source", "Source")
M("report.year", "Year")
M("report.data_quality", "Data quality")
M(
    "report.data_quality_text",
    "{estimates:n} of {total:n} factors are estimates for want of a published source, including the "
    "manufacturing of access points (no published LCA: approximated by ADEME Base IMPACTS' 'box'). The "
    "result is therefore a range, not a number. A public comparative claim calls for a critical review "
    "(ISO 14044). {defaulted}{fallback}",
)
M("report.defaulted", "Models without their own factor (their kind's default): {models}. ")
M("report.fallback", "{legs:n} legs without coordinates counted at the fallback distance. ")
M("report.stamp", "Reproducibility")
M("report.software", "Software")
M("report.method_version", "Method version")
M("report.factor_set", "Factor set")
M("report.input_hash", "Input hash")
M("report.draws_seed", "Draws / seed")
M("report.ledger", "Per-device ledger")
M("report.serial", "Serial")
M("report.model", "Model")
M("report.kind", "Kind")
M("report.venue", "Venue")
M("report.centre", "Centre")
M("report.site", "Site")
M("report.km_collect", "collection km (great circle)")
M("report.km_deliver", "delivery km (great circle)")
M("report.parts_kg", "parts (kg)")
M("report.second_life", "second life (years)")
M("report.avoided_kg", "avoided (kgCO2e, central)")
M("report.count", "Count")
M("report.low", "Low")
M("report.high", "High")
M("report.group", "Group")
M("report.note", "Note")
M("report.none", "none")
M("report.page", "Page {n:n}")
M("driver.embodied_ap", "Manufacturing of access points (group)")
M("driver.embodied_switch", "Manufacturing of switches (group)")
M("driver.life_new", "Life of new equipment (group)")
M("driver.use_power", "Use-phase power difference (group)")
M("driver.grid.FR", "Grid carbon intensity (FR)")
M("driver.refurb.bench_kwh", "Bench energy per device")
M("driver.parts.kgco2e_per_kg", "Parts: kgCO2e per kg")
M("driver.packaging.kgco2e_per_unit", "Packaging per device")
M("driver.transport.road_tkm", "Road freight per t·km")
M("driver.transport.road_factor", "Road detour factor")
M("driver.transport.fallback_km", "Fallback distance")
M("quality.measured", "measured")
M("quality.published", "published")
M("quality.datasheet", "datasheet")
M("quality.proxy", "proxy")
M("quality.estimate", "estimate")
M("distribution.fixed", "fixed")
M("distribution.uniform", "uniform")
M("distribution.triangular", "triangular")
M("distribution.lognormal", "lognormal")
M("unit.kgCO2e/unit", "kgCO2e/unit")
M("unit.kg/unit", "kg/unit")
M("unit.years", "years")
M("unit.kWh/unit", "kWh/unit")
M("unit.road km/great-circle km", "road km/great-circle km")
M("unit.kgCO2e/t.km", "kgCO2e/t.km")
M("unit.kgSbeq/unit", "kgSbeq/unit")

# The flow counts of the indicators sheet (impact service's ``flow``).
M("flow.fleet", "devices in the fleet")
M("flow.collected", "collected")
M("flow.tested", "tested")
M("flow.ready", "ready for reuse (in stock, reserved or on their way)")
M("flow.installed", "redeployed (installed or in service)")
M("flow.recycled", "recycled (WEEE)")
M("flow.to_recycle", "to recycle")
M("flow.harvested", "kept for spare parts")
M("flow.lost", "lost")
M("flow.lost_at_takedown", "lost at take-down")
M("flow.awaiting_test", "awaiting test")
M("flow.at_bench", "at the bench")
M("flow.recycled_kg", "recycled (kg)")
M("flow.redeployed_kg", "redeployed (kg)")
M("flow.taken_down_kg", "taken down (kg)")
