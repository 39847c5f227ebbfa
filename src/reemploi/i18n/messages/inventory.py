"""The inventory: catalog, locations, devices, imports and their row-level reasons."""

from reemploi.i18n.registry import M

M("serial_missing", "serial is empty")
M("serial_placeholder", "placeholder serial '{value}'")
M("serial_excel", "serial mangled by Excel '{value}' (export the column as text)")
M("serial_invalid", "invalid serial '{value}' (4 to 40 letters, digits or dashes)")
M("serial_duplicate", "serial {value} already seen on line {line}")
M("mac_invalid", "invalid MAC address '{value}'")
M("mac_excel", "MAC address mangled by Excel '{value}' (export the column as text)")
M("formula_uncached", "formula without a computed value in column {columns} (open and save the workbook in Excel)")
M("mac_reserved", "MAC address {value} is all-zero, broadcast or multicast")
M("mac_duplicate", "MAC address {value} already seen on line {line}")
M("mac_taken", "MAC address {value} already belongs to device {serial}")
M("model_missing", "model is empty")
M("model_unknown", "model not in the catalog '{value}'")
M("location_missing", "location is empty (give --location for the whole file)")
M("location_unknown", "unknown location '{value}'")
M("state_unknown", "unknown state '{value}'")
M(
    "state_needs_evidence",
    "state '{value}' cannot be imported (at most 'received'): reemploi move gets there, with what it needs "
    "(tests, wipe, a reason…)",
)
M("state_change_refused", "change from '{state}' to '{value}' refused: {why}")
M("row_too_long", "{cells:n} cells for {width} columns (unquoted delimiter?)")
M("code_missing", "code is empty")
M("code_invalid", "invalid code '{value}'")
M("code_duplicate", "code {value} already seen on line {line}")
M("name_missing", "name is empty")
M("kind_missing", "kind is empty (give --kind)")
M("kind_invalid", "unknown kind '{value}' (kinds: {kinds})")
M("number_invalid", "{field}: invalid number '{value}'")
M("number_range", "{field}: {value} outside [{low}, {high}]")
M("date_invalid", "{field}: invalid date '{value}' (YYYY-MM-DD)")
M("alias_taken", "alias {value} already used by {model}")
M("value_too_long", "{field}: longer than {max} characters")
