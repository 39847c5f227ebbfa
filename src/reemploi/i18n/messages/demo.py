"""The Paris 2024 -> La Poste demo's narration."""

from reemploi.i18n.registry import M

M("demo_title", "Paris 2024 → La Poste demo: collection, refurbishment, site needs and allocation")
M("demo_venues", "Venues: {venues:n}")
M("demo_export", "Field export: {rows:n} rows, {imported:n} devices imported, {rejected:n} rejected → {file}")
M("demo_lots", "Lots (pallets): {lots:n}; lost at take-down: {lost:n}")
M(
    "demo_reception",
    "Reception: {expected:n} expected, {matched:n} scanned, {missing:n} missing, {unexpected:n} unexpected (found "
    "again: {found:n}), {unknown:n} unknown scans",
)
M(
    "demo_bench",
    "Bench: {tests:n} tests, {repairs:n} repairs, {upgrades:n} upgrades, {wipes:n} wipes, {recycled:n} recycled "
    "(WEEE record)",
)
M(
    "demo_needs",
    "Needs of {sites:n} La Poste sites (illustrative, but for the Maison de l'Innovation): {indoor:n} indoor "
    "and {outdoor:n} outdoor APs; ready stock: {ready_indoor:n} and {ready_outdoor:n}",
)
M(
    "demo_plan",
    "Plan {plan} (optimal, HiGHS): {assigned:n} APs assigned for {needed:n} needed, {unmet:n} to buy, {unused:n} "
    "left in stock; transport {transport:.1f} kgCO2e against {greedy:.1f} greedy (saving {saving:.1f})",
)
M(
    "demo_shipped",
    "{shipments:n} shipments ({boxes:n} boxes, {pallets:n} pallets) delivered and installed: {in_service:n} "
    "devices in service at La Poste sites (the APs and their switches)",
)
M("demo_grades", "Grades: {grades}")
M(
    "demo_design",
    "Design of {site} from its floor plans ({floors:n} levels): {aps:n} indoor APs ({driver}) against {estimate:n} "
    "by the rule of thumb, {share:.1%} of the area at {target:.0f} dBm or better; {outdoor:n} outdoor APs for the "
    "forecourt",
)
M("demo_grade", "{grade}: {count:n}")
M("no_grade", "no grade")
M(
    "demo_ready",
    "Released for reuse (ready or further): {ap:.1%} of indoor APs, {outdoor:.1%} of outdoor APs, "
    "{switch:.1%} of switches",
)
M("demo_audit", "Audit log: {count:n} events, {verdict} (head {head}…)")
M("demo_database", "Database: {db} ({seconds:.2f} s). Try: reemploi devices list --db sqlite:///{db} --state lost")
M("demo_report", "Impact report: {path}")
M(
    "demo_impact",
    "Net avoided emissions: {value:.1f} tCO2e [P5 {p5:.1f} – P95 {p95:.1f}]; redeployed: {ap:.1%} of APs "
    "(target {ap_target:.1%}), {switch:.1%} of switches (target {switch_target:.1%})",
)

# The steps the demo names as it goes (on stderr).
M("demo_step.venues", "venues")
M("demo_step.field_export", "field export")
M("demo_step.collection", "collection")
M("demo_step.transport", "transport")
M("demo_step.reception", "reception")
M("demo_step.found_again", "devices found again")
M("demo_step.bench", "bench")
M("demo_step.sites", "destination sites")
M("demo_step.design", "site design")
M("demo_step.allocation", "allocation")
M("demo_step.shipments", "shipments")
M("demo_step.impact", "impact")
M("demo_step.report", "report")
M("demo_step.audit", "audit log")
M(
    "demo_switches",
    "Switches for the sites' wired needs and APs: {needed:n} for {closets:n} telecom rooms; {assigned:n} refurbished "
    "ones assigned, {missing:n} to buy",
)
M("demo_mdi_closets", "{site}: {count:n} telecom rooms, {model} switches: {rooms}")
M("demo_closet", "{closet} {switches:n} ({ports:n} ports)")
M(
    "demo_installation",
    "{site} installed by position: {scanned:n} devices scanned from their labels ({boxes:n} boxes packed by floor, "
    "{floors:n} floors); {installed:n} at their planned position, {swapped:n} swapped on purpose, {refused:n} scan "
    "at a wrong position refused, {missing:n} missing. Labels: {labels}",
)
M(
    "demo_switch_gaps",
    "The refurbished switches (1 GbE, PoE+) leave {mgig:n} Wi-Fi 6E APs without a multigigabit port and {poe:n} "
    "802.3bt APs short of power at the port: to complete with multigigabit switches or PoE injectors.",
)
