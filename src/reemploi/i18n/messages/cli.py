"""What the commands print once they are done."""

from reemploi.i18n.registry import M

M(
    "init_done",
    "Database ready: {url} (revision {rev}). Catalog: {created:n} created, {updated:n} updated, {unchanged:n} "
    "unchanged.",
)
M("schema_upgraded", "Schema up to date: revision {rev}")
M("schema_current", "{rev} (head {head}): up to date")
M("schema_behind", "{rev} (head {head}): needs upgrade (reemploi db upgrade)")
M(
    "import_counts",
    "{rows:n} rows: {created:n} created, {updated:n} updated, {unchanged:n} unchanged, {rejected:n} rejected.",
)
M("rejects_at", "Rejects: {file}")
M("dry_run", "Dry run: nothing was written.")
M("list_truncated", "Only the first {count:n} are shown: --limit 0 for all, or reemploi devices export.")
M("device_count", "{count:n} device", "{count:n} devices")
M("columns_left_out", "Columns left out for lack of width: {columns} (a wider terminal, or --json).")
M("exported", "{count:n} device exported to {file}", "{count:n} devices exported to {file}")
M("move_summary", "{moved:n} moved to '{target}', {refused:n} refused, {unknown:n} unknown.")
M("move_already", "{count:n} already '{target}' (nothing changed).")
M("lot_created", "Lot {lot} created.")
M("lot_taken_from", "{serial}: taken out of lot {before} into lot {lot}")
M("lot_added", "Lot {lot}: {added:n} added, {already:n} already in, {unknown:n} unknown.")
M(
    "reconcile_summary",
    "Lot {lot}: {expected:n} expected, {matched:n} scanned, {missing:n} missing, {unexpected:n} unexpected, "
    "{unknown:n} unknown.",
)
M("reconcile_missing", "  missing     {serial}")
M("reconcile_unexpected", "  unexpected  {serial} (lot {lot})")
M("reconcile_unknown", "  unknown     {serial}")
M("audit_intact", "Audit log intact: {count:n} events, head {head}")
M("audit_tampered", "Audit log tampered with: {why}")
M("no_events", "No events.")
M("intact", "intact")
M("tampered", "TAMPERED")
M("state", "state")
M(
    "internal_error",
    "reemploi: internal error (a bug, not your input); details in {path}. Nothing was committed. Set "
    "REEMPLOI_DEBUG=1 to see the traceback.",
)

# The command-line toolkit's own words (reemploi.cli.localize). The ``toolkit.error.*``
# templates mirror Typer's English wording exactly: they are how its errors are recognised.
M("toolkit.usage", "Usage:")
M("toolkit.options_metavar", "[OPTIONS]")
M("toolkit.subcommand_metavar", "COMMAND [ARGS]...")
M("toolkit.heading.Options", "Options")
M("toolkit.heading.Commands", "Commands")
M("toolkit.heading.Arguments", "Arguments")
M("toolkit.help_option", "Show this message and exit.")
M("toolkit.try_help", "Try '{command}' for help.")
M("toolkit.error", "Error: {message}")
M("toolkit.aborted", "Aborted!")
M("toolkit.required", "required")
M("toolkit.default", "default: {value}")
M("toolkit.env_var", "env var: {value}")
M("toolkit.separator", "; ")
M("toolkit.error.no_such_option", "No such option: {name}")
M("toolkit.error.no_such_option_possible", "No such option: {name} (Possible options: {options})")
M("toolkit.error.missing_argument", "Missing argument '{name}'.")
M("toolkit.error.missing_option", "Missing option '{name}'.")
M("toolkit.error.missing_parameter", "Missing parameter: {name}")
M("toolkit.error.invalid_value_for", "Invalid value for '{name}': {message}")
M("toolkit.error.invalid_value", "Invalid value: {message}")
M("toolkit.error.requires_argument", "Option '{name}' requires an argument.")
M("toolkit.error.requires_arguments", "Option '{name}' requires {count:n} arguments.")
M("toolkit.error.takes_no_value", "Option '{name}' does not take a value.")
M("toolkit.error.extra_arguments", "Got unexpected extra argument(s) ({args})")
M("toolkit.error.no_such_command", "No such command '{name}'.")
M("toolkit.error.missing_command", "Missing command.")
M("toolkit.error.not_integer", "Input should be a valid integer, unable to parse string as an integer")
M("toolkit.error.not_number", "Input should be a valid number, unable to parse string as a number")
M("toolkit.error.not_boolean", "Input should be a valid boolean, unable to interpret input")
M("toolkit.error.ge", "Input should be greater than or equal to {value}")
M("toolkit.error.gt", "Input should be greater than {value}")
M("toolkit.error.le", "Input should be less than or equal to {value}")
M("toolkit.error.lt", "Input should be less than {value}")
M("toolkit.error.one_of", "Input should be {choices}")
M("toolkit.error.path_missing", "{label} '{path}' does not exist.")
M("toolkit.error.path_is_dir", "{label} '{path}' is a directory.")
M("toolkit.error.path_unreadable", "{label} '{path}' is not readable.")
M("toolkit.error.could_not_open", "Could not open file '{file}': {message}")
M("field_line", "{name}: {value}")
M("toolkit.error.value_error", "Value error, {message}")
M("toolkit.error.not_a_number", "not a number: '{value}'")
M("toolkit.error.did_you_mean", "No such command '{name}'. Did you mean '{other}'?")
