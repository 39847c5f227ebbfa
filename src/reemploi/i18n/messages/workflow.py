"""The lifecycle: states as readers name them, transitions, lots, the audit log."""

from reemploi.i18n.registry import M

M("transition_not_allowed", "{serial}: '{state}' to '{target}' is not allowed (allowed: {allowed})")
M("guard_reason", "{serial}: '{state}' needs a reason (why, for instance where the device was found)")
M(
    "guard_location_kind",
    "{serial}: '{state}' needs a location of kind {kinds} (location now: {location}); say where it is",
)
M("guard_evidence", "{serial}: '{state}' needs a '{evidence}' record, and there is none")
M("lot_exists", "Lot {lot} already exists.")
M("lot_code_empty", "Empty lot code.")
M("audit_gap", "event #{seq} is missing (deleted?)")
M("audit_link", "event #{seq}: chain link broken (inserted, deleted or reordered?)")
M("audit_edited", "event #{seq}: content was edited")
M("audit_head", "the chain head names event #{head} but the last one present is #{last}: tail deleted or appended?")
M(
    "audit_device_state",
    "device {serial} is '{state}' but its last event (#{last}) leaves it '{logged}': the devices table was "
    "changed outside reemploi",
)
M("audit_device_unlogged", "device {serial} has no event in the log: it was added outside reemploi")
M("web_state_deployed", "deployed")
M("web_state_collected", "collected")
M("web_state_in_transit", "in transit")
M("web_state_received", "received")
M("web_state_tested", "tested")
M("web_state_in_repair", "in repair")
M("web_state_sanitized", "sanitized")
M("web_state_ready", "ready")
M("web_state_reserved", "reserved")
M("web_state_shipped", "shipped")
M("web_state_installed", "installed")
M("web_state_in_service", "in service")
M("web_state_to_recycle", "to recycle")
M("web_state_recycled", "recycled")
M("web_state_lost", "lost")
M("web_state_harvested", "harvested")


# When things happened (workflow.clock)
M("date_unreadable", "{field}: '{value}' is not a date (e.g. 2025-03-14, 14/03/2025, 14/03/2025 09:30, 14 mars 2025).")
M("date_future", "{field}: {value} is in the future (now: {now}).")
M("date_before_previous", "{serial}: {date} is before its latest event ({previous}); a device's dates never go back.")
M("time_zone_unknown", "Unknown time zone '{zone}' (REEMPLOI_TIME_ZONE), e.g. Europe/Paris.")
M("audit_backdated", "{count:n} events were recorded more than {days:n} days after they happened (information).")
M("devices_as_of", "Devices as they were on {date}:")
M("stats_bottleneck", "Where devices wait longest: {start} → {end}, {days:.1f} days (median).")
M("stats_stuck", "{count:n} devices waiting in a state for more than {days:n} days (the longest first):")
M("stats_total", "total")
