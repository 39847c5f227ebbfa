"""The Paris 2024 -> La Poste demo's narration."""

from reemploi.i18n.registry import M

M("demo_title", "Paris 2024 → La Poste demo: collection, refurbishment, site needs and allocation")
M("demo_venues", "Venues: {venues}")
M("demo_export", "Field export: {rows} rows, {imported} devices imported, {rejected} rejected → {file}")
M("demo_lots", "Lots (pallets): {lots}; lost at take-down: {lost}")
M(
    "demo_reception",
    "Reception: {expected} expected, {matched} scanned, {missing} missing, {unexpected} unexpected (found "
    "again: {found}), {unknown} unknown scans",
)
M(
    "demo_bench",
    "Bench: {tests} tests, {repairs} repairs, {upgrades} upgrades, {wipes} wipes, {recycled} recycled "
    "(WEEE record)",
)
M(
    "demo_needs",
    "Needs of {sites} La Poste sites (illustrative, but for the Maison de l'Innovation): {indoor} indoor "
    "and {outdoor} outdoor APs; ready stock: {ready_indoor} and {ready_outdoor}",
)
M(
    "demo_plan",
    "Plan {plan} (optimal, HiGHS): {assigned} APs assigned for {needed} needed, {unmet} to buy, {unused} "
    "left in stock; transport {transport} kgCO2e against {greedy} greedy (saving {saving})",
)
M(
    "demo_shipped",
    "{shipments} shipments ({boxes} boxes, {pallets} pallets) delivered and installed: {in_service} "
    "devices in service at La Poste sites (the APs and their switches)",
)
M("demo_grades", "Grades: {grades}")
M(
    "demo_ready",
    "Released for reuse (ready or further): {ap} of indoor APs, {outdoor} of outdoor APs, {switch} of "
    "switches",
)
M("demo_audit", "Audit log: {count} events, {verdict} (head {head}…)")
M("demo_database", "Database: {db} ({seconds} s). Try: reemploi devices list --db sqlite:///{db} --state lost")
M("demo_report", "Impact report: {path}")
M(
    "demo_impact",
    "Net avoided emissions: {value} tCO2e [P5 {p5} – P95 {p95}]; redeployed: {ap} of APs (target "
    "{ap_target}), {switch} of switches (target {switch_target})",
)
