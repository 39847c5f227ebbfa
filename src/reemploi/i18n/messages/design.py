"""Site design: floor plans, materials, radios, designs, surveys and calibration."""

from reemploi.i18n.registry import M

# Floor plans (reemploi floors import)
M("plan_format", "{file}: not a floor plan this tool reads (formats: {formats}).")
M("plan_bad_file", "{file}: unreadable {format} file ({error}); nothing was imported.")
M("plan_no_walls", "{file}: no wall found (what was left out: {skipped}); nothing was imported.")
M(
    "plan_unknown_material",
    "{file}: unknown wall material(s) {materials} (materials: {known}); give them in a materials file or map the "
    "layers with --layer-map; nothing was imported.",
)
M("plan_wall_no_material", "{file}, feature {feature}: a wall (LineString) without a 'material' property.")
M("plan_bad_number", "{file}, feature {feature}: {field} '{value}' is not a number.")
M("plan_bad_role", "{file}, feature {feature}: role '{value}' unknown (roles: {roles}).")
M(
    "plan_no_scale",
    "{file}: the drawing has no unit ($INSUNITS {units}): give --scale, the metres per drawing unit (0.001 for "
    "millimetres, 0.01 for centimetres, 0.0254 for inches); nothing was imported.",
)
M(
    "plan_implausible_size",
    "{file}: the plan would be {size} m across with its unit ({units}): its unit is wrong. Try {hint}; nothing was "
    "imported.",
)
M("plan_no_scale_esx", "{file}: floor '{floor}' has no scale (metersPerUnit): set it in Ekahau first.")
M("plan_no_such_floor", "{file}: no floor '{floor}' (floors: {floors}).")
M("plan_bad_scale", "--scale {value}: metres per drawing unit, more than 0 (0.001 for millimetres).")
M("plan_faces_merged", "{count:n} walls drawn as two faces were taken as one wall each")
M("materials_bad_row", "{file}, line {line}: {field} missing or not a loss in dB between 0 and 100.")
M("layer_map_bad_row", "{file}, line {line}: a pattern and a material are needed.")
M("regulatory_unknown", "No radio regulation known for '{country}' (known: {known}).")
M("regulatory_no_band", "No limit known for the {band} GHz band {environment} in {country}.")
M("unknown_floor", "Unknown floor: {floor}")
M("floor_unknown", "floor '{floor}' is not a floor of the site (floors: {floors})")
M("floor_unknown_line", "{file}, line {line}: floor '{floor}' is not a floor of the site (floors: {floors}).")
M("number_invalid_line", "{file}, line {line}: x_m and y_m must be numbers.")
M("field_required", "{field} is required")
# Designs
M("design_no_floors", "No floor to design.")
M("design_bad_band", "Band '{band}' unknown (bands: {bands}).")
M("design_no_model", "No AP model with a {band} GHz radio in stock or to buy: nothing to place.")
M("design_no_candidates", "No place to mount an AP: every candidate is out of scope or in an exclusion area.")
M(
    "design_no_plan",
    "Site {site} has no floor plan: import one with `reemploi floors import {site} FILE` (its needs stay the rule "
    "of thumb, an estimate).",
)
M("design_none", "Site {site} has no design yet: `reemploi design run {site}`.")
M(
    "design_target_unreachable",
    "No placement covers {target:.0%} of the area at the target level: at most {coverable:.1%} can be; the design "
    "covers what it can.",
)
M(
    "design_summary",
    "{site}, design {version}: {aps:n} APs ({driver}: coverage needs {coverage:n}, capacity {capacity:n}); "
    "{share:.1%} of the area at {target:.0f} dBm or better on {band} GHz (target {share_target:.0%}).",
)
M("design_solver", "Placement: {method}, {state}, proven gap {gap:.2%}, {seconds:.1f} s.")
M("design_solver_optimal", "optimal")
M("design_solver_stopped", "stopped at the time limit")
M("design_naive", "Naive grid (one AP per {area:n} m²): {aps:n} APs, {share:.1%} of the area covered.")
M("design_models", "Models: {models}.")
M("design_model_item", "{count:n} {model} ({origin})")
M("design_origin_stock", "from stock")
M("design_origin_buy", "to buy")
M(
    "design_model_line",
    "Model: {name}, alpha {alpha}, beta {beta}, gamma {gamma}, floor {floor_loss} dB ({calibrated}).",
)
M("design_calibrated", "calibrated on the site's survey")
M("design_default_model", "default, not calibrated")
M("design_co_channel", "Channels: {band} GHz, {count:n} pairs of APs on the same channel hear each other.")
M("driver_design", "design v{version}: {driver}, {share:.0%} at {target:.0f} dBm")
M("driver_estimate", "estimate (rule of thumb): {driver}")
M("basis.design", "design")
M("basis.estimate", "estimate")
M("basis.override", "planner's choice")
M("design_driver.coverage", "coverage")
M("design_driver.capacity", "capacity")
M("floors_imported", "{site}: {count:n} floor(s) imported from {file} (unit: {units}).")
M("floors_skipped", "Left out: {what} ({count:n}): {why}")
M("floor_line", "{floor}: {walls:n} walls, {zones:n} zones ({area:n} m²), {aps:n} APs on the plan")
M("floor_deleted", "{site}: floor {floor} deleted.")
M("no_floors", "{site}: no floor plan.")
M("heatmaps_written", "{count:n} heatmap(s) written to {folder}")
# Surveys and calibration
M("survey_unknown_ap", "AP '{ap}' is not one of the site's APs (import them with `reemploi aps import`)")
M("survey_bad_band", "band '{value}' unknown (bands: {bands})")
M("calibrate_too_few", "{count:n} survey points: at least {min:n} are needed to calibrate.")
M("calibrate_no_survey", "Site {site} has no survey point that names one of its APs: `reemploi survey import`.")
M("calibrate_implausible", "the fitted distance exponent is outside 1-6: check the survey's AP positions and powers")
M(
    "calibrate_summary",
    "{site}: fitted on {train:n} points, tested on {test:n}: RMSE {rmse} dB, bias {bias} dB (default model: RMSE "
    "{rmse0} dB, bias {bias0} dB).",
)
M("heatmap_title", "{site} · {floor} · {band} GHz · best signal (dBm)")
M("bad_eirp", "--eirp {value}: expected BAND=DBM, e.g. 5=20")
M("percent_value", "{value:.1%}")
M(
    "design_target_missed",
    "The design covers {share:.1%} of the area at the target level, short of {target:.0%}: add candidates "
    "(a smaller --spacing) or lower the target.",
)
M(
    "design_existing",
    "APs already on the plans: {aps:n}, {share:.1%} of the area covered with the same model and power.",
)
M("design_pdf_title", "Wi-Fi design of {site}, version {version}")
M(
    "design_pdf_summary",
    "{aps:n} APs ({driver}: coverage needs {coverage:n}, capacity {capacity:n}); {share:.1%} of the area at "
    "{target:.0f} dBm or better on {band} GHz.",
)
M(
    "design_pdf_model",
    "Propagation: {name} (alpha {alpha}, beta {beta}, gamma {gamma}, floor {floor_loss} dB) plus the walls crossed; "
    "inputs {inputs}…",
)
M("design_pdf_floor", "{floor}: {aps:n} APs, {share} covered")
M("design_pdf_col_ap", "AP")
M("design_pdf_col_model", "model")
M("design_pdf_col_band", "band (GHz)")
M("design_pdf_col_channel", "channel")
M("design_pdf_written", "Design (PDF): {path}")
M("design_outdoor", "Outdoor areas: {aps:n} outdoor APs, {share:.1%} of them at {target:.0f} dBm or better.")
M("design_no_outdoor_model", "The plans have outdoor areas but no outdoor AP model is in stock or to buy: left out.")
M(
    "design_stale",
    "Design {version} of {site} was made from floor plans that have changed since (imported again or deleted): it "
    "is no longer the site's need; run `reemploi design run {site}` again.",
)
M("design_eirp_capped", "--eirp {band}={asked}: above the {limit} dBm the regulation allows indoors; {limit} dBm used.")
M(
    "design_secondary_missed",
    "A second AP reaches {share:.1%} of the area at the target level, short of {target:.0%}.",
)
M("design_secondary", "Secondary coverage: {share:.1%} of the area reached by a second AP at {target:.0f} dBm.")
M(
    "design_separation_relaxed",
    "A room needs more APs than fit {separation:n} m apart: the separation was dropped for this design.",
)
# What a plan reader left out (floors import)
M("skip_what.layer", "layer {name}")
M("skip_what.entities", "on layer {name}")
M("skip_what.block", "blocks on layer {name}")
M("skip_what.geometry", "{name} geometries")
M("skip_what.segment_points", "wall segments")
M("skip_what.segment_type", "wall segments")
M("skip_what.attenuation_area", "attenuation areas")
M("skip_why.not_wall_layer", "the layer names no wall material (--layer-map to give it one)")
M("skip_why.fill", "fills (hatches) are not walls: their outlines usually are, on the same layer")
M("skip_why.not_a_line", "not a line")
M("skip_why.block", "a block that cannot be exploded")
M("skip_why.block_depth", "blocks nested too deep")
M("skip_why.not_wall_or_area", "neither a wall nor an area")
M("skip_why.not_read", "not read yet")
M("skip_why.points_missing", "their points are missing from the project")
M("skip_why.type_unknown", "their wall type is missing from the project")
M("materials_columns", "{file}: column(s) {columns} missing (columns found: {found}).")
M(
    "layer_map_columns",
    "{file}: a layer map needs the columns pattern (or motif) and material (or matériau); columns found: {found}.",
)
M(
    "layer_map_unknown_material",
    "{file}: the layer map names unknown material(s) {materials} (materials: {known}); add them with --materials.",
)
M("plan_bad_environment", "{file}: zone '{zone}' has environment '{value}' (environments: {choices}).")
M("ap_model_unknown", "model '{model}' is not in the catalog")
M("ap_outside_plan", "({x}, {y}) is outside floor {floor} (x {xmin} to {xmax}, y {ymin} to {ymax}): metres expected")
M("band.2.4", "2.4")
M("band.5", "5")
M("band.6", "6")
M("model_name.p1238-office-nlos", "ITU-R P.1238 office, non-line-of-sight")
M("model_name.p1238-office-los", "ITU-R P.1238 office, line of sight")
M("model_name.p1238-industrial-nlos", "ITU-R P.1238 industrial, non-line-of-sight")
M("model_name.free-space-multi-wall", "free space with the walls crossed")
M("model_name.calibrated", "calibrated on the site's survey")
M("solver_method.milp", "MILP (HiGHS)")
M("solver_method.milp+repair", "MILP (HiGHS), completed on the fine grid")
M("solver_method.greedy", "greedy (the solver found nothing better in time)")
M("solver_method.greedy+repair", "greedy, completed on the fine grid")
M("design_pdf_col_eirp", "EIRP (dBm)")
M("heatmap_legend_target", "the target, {target:.0f} dBm")
M("heatmap_legend_wall", "walls (thicker: more loss)")
M("heatmap_legend_ap", "APs")
M(
    "design_zones_from_file",
    "The plans have no zones: the zones file's {people:n} occupants are shared over the {floors:n} floors, each a "
    "zone over its whole extent. Draw the zones on the plans for a finer design.",
)
