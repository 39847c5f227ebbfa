"""Destination sites, zones, needs, plans and shipments."""

from reemploi.i18n.registry import M

M("site_unknown", "unknown site '{value}' (import it with reemploi sites import)")
M("site_code_taken", "code {value} is already a '{kind}' location")
M("zone_area", "area '{value}': a zone needs an area > 0 m²")
M(
    "needs_total",
    "{count:n} APs needed over {sites:n} site(s); {provided:n} already there or on their way, {remaining:n} to "
    "fill.",
)
M("needs_set", "{site} / {need_class}: {count:n} kept (the computed value stays beside it).")
M("plan_not_draft", "Plan {plan} is '{status}': only a draft can be approved.")
M("plan_not_cancellable", "Plan {plan} is '{status}': it can no longer be cancelled.")
M(
    "plan_exceeds_needs",
    "Plan {plan} sends {planned:n} {need_class} APs to {site}, which now awaits only {left}: other plans "
    "have met the need since it was computed. Compute a new plan (reemploi plan create).",
)
M(
    "plan_stale",
    "Plan {plan}: {count:n} device(s) are no longer ready (e.g. {serial}); nothing was reserved, make a new "
    "plan.",
)
M(
    "plan_summary",
    "Plan {plan} ({status}): {assigned:n} APs assigned of {needed:n} needed, {unmet:n} missing, {unused:n} unused "
    "in stock; transport {transport} kgCO2e; {solver}, optimal: {optimal}, gap {gap}",
)
M(
    "plan_greedy",
    "Greedy baseline: {assigned:n} assigned, {unmet:n} missing, transport {transport} kgCO2e (the plan saves "
    "{saving} kgCO2e)",
)
M("plan_purchase", "To buy: {count:n} {need_class} APs (Wi-Fi {gen} at least)")
M("plan_no_stock", "No ready AP in stock: every need is unmet.")
M("plan_no_needs", "No needs: import sites and zones (reemploi sites import, zones import).")
M("plan_needs_met", "No AP to send: every site has, or has on its way, the APs it needs.")
M(
    "plan_approved",
    "Plan {plan} approved: {count:n} device reserved.",
    "Plan {plan} approved: {count:n} devices reserved.",
)
M(
    "plan_cancelled",
    "Plan {plan} cancelled: {count:n} device back in stock.",
    "Plan {plan} cancelled: {count:n} devices back in stock.",
)
M(
    "plan_other_approved",
    "Plan {other} is already approved and covers the same needs: cancel it (reemploi plan cancel {other}) "
    "or carry it out before approving plan {plan}.",
)
M("plan_empty", "Plan {plan} assigns no device: nothing to approve.")
M("plan_purchase_any", "To buy: {count:n} {need_class} APs (any Wi-Fi generation)")
M("plan_unserved", "Unserved sites ({count:n}):")
M("plan_unserved_row", "  {site} {site_name} / {need_class}: {missing:n} missing of {needed:n}")
M(
    "plan_switches",
    "Switches for the sites (their wired needs and APs): {needed:n} needed, {assigned:n} from stock, {missing:n} "
    "missing, {unused:n} ready unused; transport {transport} kgCO2e",
)
M("plan_purchase_switch", "To buy: {count:n} {model} switch(es) or equivalent ({ports} PoE ports, {budget} W)")
M("needs_count_negative", "COUNT must be ≥ 0 (got {value}).")
M("plan_not_approved", "Plan {plan} is '{status}': only an approved plan is shipped.")
M("shipments_exist", "Plan {plan} already has its shipments (reemploi ship list --plan {plan}).")
M("shipment_status", "Shipment {shipment} is '{status}': not possible now.")
M("ship_total", "{count:n} shipment, transport {kg:.1f} kgCO2e.", "{count:n} shipments, transport {kg:.1f} kgCO2e.")
M("coordinates_half", "{field} missing: a latitude without a longitude (or the reverse) would put the place anywhere")
M("driver_coverage", "coverage: {area} m² at {per}")
M("driver_per_ap", "{area} m² per AP")
M("driver_mixed_areas", "mixed areas per AP")
M("driver_capacity", "capacity: {mbps} Mbps at {per} Mbps per AP")
M("driver_clients", "people: {people} at {per} per AP")
M("driver_override", "planner override (computed {computed})")
M("driver_no_zones", "no zones")
M("packing_list_title", "Packing list")
M(
    "packing_list_meta",
    "{shipment} · {site} · {devices:n} devices · {boxes:n} boxes · {pallets:n} pallets · {km:.0f} km · "
    "{kg:.2f} kgCO2e",
)
M(
    "switch_driver.ports",
    "ports: {ports:n} ports in {rooms:n} telecom rooms, each with its own {model} of {per:n} ports",
)
M("switch_driver.poe", "PoE: {watts:,.0f} W in {rooms:n} telecom rooms, each with its own {model} of {budget:n} W")
M("switch_driver.no_model", "no switch model in the catalog")
M(
    "switch_poe_unserved",
    "{site}: {count:n} devices draw more than the {watts:n} W one port of {model} gives (802.3bt APs): power them "
    "with PoE injectors or a switch of a higher PoE type.",
)
M("switch_driver.mgig", "multigigabit ports for the 6 GHz APs, {mgig:n} in all at {per_mgig:n} per {model}")
M(
    "switch_mgig_unserved",
    "{site}: {count:n} APs with a 6 GHz radio need multigigabit ports (2.5 GbE or more) that {model} does not have: "
    "buy a multigigabit switch for them, or add one to the catalog.",
)
M(
    "needs_switch_total",
    "{count:n} switches for {closets:n} telecom rooms; {provided:n} already there or on their way, {remaining:n} to "
    "fill.",
)
M(
    "closet_beyond_link",
    "{site}: telecom room {closet} ({floor}) serves runs of up to {longest:.0f} m of cable, beyond the 90 m "
    "permanent link: add a telecom room nearer (draw it on the plan).",
)

# Installation by position (planning.install)
M("install_no_serial", "No serial given.")
M("install_not_planned", "{serial} is not in a plan in force (state '{state}'): nothing says where it goes.")
M("install_wrong_site", "{serial} is planned for site {planned} (position {position}), not {site}.")
M("install_not_shipped", "{serial} is '{state}': it can be installed once its shipment has been sent.")
M("install_position_required", "{serial} has a position: {planned} (floor {floor}). Give --position.")
M("install_unknown_position", "Site {site} has no position '{position}' (this device's is {planned}).")
M(
    "install_wrong_position",
    "{serial} goes to position {planned} (floor {floor}), not {position}. Mount it there, or use --swap to record "
    "the swap.",
)
M(
    "install_already_at",
    "{serial} is already installed at position {installed}, not {position}: to record it moved, scan it with --swap.",
)
M("install_position_planned", "Position {position} is planned for {serial}: use --swap to record a swap.")
M(
    "install_position_is_label",
    "'{position}' is a device's label, not a position: scan the device first, then its place.",
)
M("packing_list_format", "{file}: a packing list is written as .csv or .pdf.")
M("install_swap_class", "Position {position} is not for a device of class {need_class} like {serial}.")
M("install_position_taken", "Position {position} already holds {serial}.")
M("install_done", "{serial} installed at {site}, position {position} (floor {floor}, telecom room {closet}).")
M("install_done_site", "{serial} installed at {site}, position {position}.")
M("install_swapped", "{serial} installed at {site}, position {position} instead of {planned}: recorded as swapped.")
M("install_already", "{serial} was already recorded at {site}, position {position}.")
M(
    "acceptance_positions",
    "Positions: {installed:n} installed as planned, {missing:n} missing, {swapped:n} swapped, {not_scanned:n} "
    "installed without a position scan.",
)
M("acceptance_position_missing", "missing: {position} (floor {floor}), planned for {serial}")
M("acceptance_position_swapped", "swapped: {serial} planned at {position}, installed at {installed}")

# As-built exports (planning.asbuilt)
M("asbuilt_format", "Unknown as-built format '{format}': one of {formats}.")
M("asbuilt_xlsx_name", "{file}: an xlsx export needs a file name ending in .xlsx.")
M("asbuilt_nothing", "{site}: no device is installed there yet, nothing to write.")
M("asbuilt_written", "{site}: {devices:n} devices written as {format} to {file}")
