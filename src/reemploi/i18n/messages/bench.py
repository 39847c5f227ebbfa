"""The keyboard-wedge bench screen (reemploi scan): keys, faults, prompts; settings."""

from reemploi.i18n.registry import M

M("scan_unknown", "{serial}: unknown, scan kept")
M("scan_ready", "Scan a device, then a key. Empty line or q: quit.")
M("scan_device", "{serial} · {model} · state {state} · grade {grade}")
M("scan_last_test", "  last test {at}: grade {grade}, {decision} — {reason}")
M("scan_no_test", "  no test yet")
M("scan_firmware", "  firmware {found:n} (minimum {minimum})")
M("scan_blocked", "  blocked: {why}")
M("scan_choices", "  keys: {choices}")
M("scan_fault_choices", "  which fault? {choices}")
M("scan_note_ready", "  in stock, ready for reuse: nothing to do here")
M("scan_note_recycler", "  goes to a recycler: reemploi refurb dispose")
M("scan_note_not_here", "  not at the bench (state {state}): nothing to do here")
M("scan_done", "{serial} → {state}")
M("scan_done_upgrade", "{serial}: firmware {version} recorded")
M("scan_unknown_scan", "'{code}': no such device, scan kept (reemploi scans unmatched)")
M("scan_unknown_key", "'{key}': unknown key; keys: {choices}")
M("scan_no_device", "Scan a device first.")
M("scan_not_offered", "{serial}: '{key}' ({action}) is not offered for this device (state '{state}'); keys: {choices}")
M("scan_no_fault", "Say which fault: {faults}")
M("scan_bad_fault", "Unknown fault; faults: {faults}")
M(
    "scan_no_firmware",
    "Give the firmware version installed (--firmware VERSION in the terminal, the firmware field on the "
    "scan page).",
)
M("scan_no_action", "Give --action with serials (or -), or neither for the interactive mode.")
M("scan_bye", "{actions:n} action(s), {refused:n} refused, {unknown:n} unknown scan(s).")
M(
    "transition_not_received",
    "{serial}: '{state}' to '{target}' is not allowed: the device must be received first (allowed: "
    "{allowed})",
)
M("refurb_not_received", "{serial}: the device is '{state}': it must be received first")
M("refurb_not_at_bench", "{serial}: a device in state '{state}' is not at the bench: nothing to test here")
M("verifier_blank", "--verifier is empty: give the second verifier's name, or leave the option out.")
M("sanitize_summary", "Wipes: {passed:n} passed, {failed:n} failed, {refused:n} refused, {unknown:n} unknown.")
M("sanitize_passed_means", "  passed: wipe recorded, the device is sanitized (or stays in stock)")
M(
    "sanitize_failed_means",
    "  failed: wipe recorded, the device stays where it is and cannot become ready until a wipe passes",
)
M("sanitize_refused_means", "  refused: nothing recorded, the device is unchanged (reason above)")
M("labels_format", "{file}: labels are written as .pdf (A4 sheet) or .zpl (thermal printer).")
M("certificate_format", "{file}: the certificate is a PDF: give a file name ending in .pdf.")
M("rejects_kept", "({file} already existed: left as it was, the rejects went to a new file)")
M("setting_set", "{key} = {value} (default: {default})")
M("setting_help_horizon_years", "second-life horizon (years): vendor support must cover it for a device to be ready")
M("setting_help_box_capacity", "devices per shipping box")
M("setting_help_pallet_capacity", "boxes per pallet")
M("setting_help_target_reuse_ap", "reuse-rate target for access points (share of those taken down)")
M("setting_help_target_reuse_switch", "reuse-rate target for switches (share of those taken down)")
M(
    "setting_help_attribution_source_share",
    "share of the avoided emissions attributed to the source organisation; the rest to the destination",
)
M("scan_action_test-pass", "test passed")
M("scan_action_test-wear", "test passed, cosmetic wear")
M("scan_action_test-fail", "test failed (+ fault)")
M("scan_action_repair", "send to repair")
M("scan_action_sanitize", "wiped (configuration erased, then verified)")
M("scan_action_upgrade", "firmware upgraded ({version})")
M("scan_action_ready", "ready for reuse")
M("scan_action_harvest", "keep for parts")
M("scan_action_recycle", "to recycle")
M("scan_fault_power", "no power")
M("scan_fault_boot", "does not boot")
M("scan_fault_radio_24", "2.4 GHz radio")
M("scan_fault_radio_5", "5 GHz radio")
M("scan_fault_radio_6", "6 GHz radio")
M("scan_fault_eth", "Ethernet below 1 Gb/s")
M("scan_fault_ports", "damaged port")
M("scan_fault_casing", "broken casing")
