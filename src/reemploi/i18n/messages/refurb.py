"""The refurbishment bench: tests, grades, repairs, wipes, firmware, disposal, test-rig imports."""

from reemploi.i18n.registry import M

M("refurb_not_testable", "{serial}: a device in state '{state}' cannot be tested here (it must be received first)")
M("refurb_not_repairable", "{serial}: a repair follows a test (state: {state})")
M("refurb_not_sanitizable", "{serial}: a wipe follows a test (state: {state})")
M("refurb_not_disposable", "{serial}: only devices in 'to_recycle' or 'harvested' go to a recycler (state: {state})")
M("sanitization_failed", "{serial}: wipe '{method}' failed, recorded; the device stays where it is")
M("repair_no_action", "Describe the repair (--action).")
M("verifier_is_operator", "The second verifier must be someone other than the operator.")
M("upgrade_no_version", "Give the installed version (--to).")
M("disposal_no_reference", "Give the WEEE certificate or tracking reference (--reference).")
M("disposal_not_recycler", "{location} is a '{kind}', not a recycler.")
M("disposal_bad_weight", "Invalid weight: {weight} kg.")
M("bad_part", "--part {value}: expected PART:MASS_KG, e.g. 'radio module:0.05'.")
M("bad_choice", "{field}: '{value}' is not one of {choices}")
M("guard_no_new_test", "{serial}: '{state}' needs a test recorded since the device entered its current state")
M("guard_no_test", "{serial}: '{state}' needs a test")
M("guard_test_not_passed", "{serial}: the last test did not pass (grade {grade}, decision {decision}: {why})")
M("guard_no_passing_test", "{serial}: no passing test: test it first")
M("guard_sanitization_stale", "{serial}: no passing wipe since the last test ({tested}): sanitize it")
M("guard_firmware", "{serial}: firmware {found:n} is below the minimum {minimum} for {model}: upgrade it")
M("guard_support", "{serial}: vendor support for {model} ends on {end}, before the second-life horizon ({horizon})")
M("guard_no_disposal", "{serial}: 'recycled' needs a WEEE disposal record (reemploi refurb dispose)")
M("rules_no_default", "{file}: the last grading rule must have no condition (the default)")
M("rules_bad_condition", "{file}: unreadable condition '{condition}' (fields: {fields})")
M("rules_bad_grade", "{file}: unknown grade '{grade}' ({grades})")
M("rules_bad_decision", "{file}: unknown decision '{decision}' ({decisions})")
M("setting_unknown", "Unknown setting: {key} (settings: {keys})")
M("setting_invalid", "{key}: invalid '{value}' (a number from {low} to {high})")
M("file_bad_json", "{file}: unreadable JSON ({error}).")
M("unknown_site", "Unknown site: {site}")
M("value_missing", "{field}: value missing")
M("labels_written", "{count:n} label written to {file}", "{count:n} labels written to {file}")
M(
    "certificate_written",
    "Certificate for lot {lot}: {file} ({passed:n} wiped, {failed:n} failed, {missing:n} without a wipe); "
    "SHA-256 {digest}",
)
M("unknown_plan", "Unknown plan: {plan}")
M("guard_no_plan", "{serial}: '{state}' needs an approved allocation plan")
M(
    "location_past_collection",
    "{serial} is '{state}' at {current}: an import does not move it back to {value} (after collection its "
    "place follows its moves)",
)
M("import_reject_line", "  line {line}: {reason}")
M("yes", "yes")
M("no", "no")
M("unknown_shipment", "Unknown shipment: {shipment}")
M("not_in_shipment", "Not in shipment {shipment}: {serials:n}")
M("acceptance", "Site {site}: {installed:n} installed of {planned:n} planned, {gaps:n} missing.")
M("bench_summary", "{done:n} recorded, {refused:n} refused, {unknown:n} unknown.")
M("bench_tested", "{serial}: grade {grade}, {decision} — {reason}")
M(
    "tests_columns_missing",
    "{file}: required column(s) missing: {columns} (columns found: {found:n}); a test run without them says "
    "nothing of the device, nothing was recorded.",
)
M("columns_ignored", "Columns ignored (unknown to the test import): {columns}")
