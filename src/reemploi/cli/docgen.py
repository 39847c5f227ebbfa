"""Generates docs/cli.md from the commands' own --help (checked by tests/test_docs.py)."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.testing import CliRunner

from reemploi.cli.app import app

INTRO = """# Command-line reference

Generated from `reemploi --help` by `make docs`; `tests/test_docs.py` fails when it
is out of date. Every command takes `--lang fr|en`; every command that reads or changes
the database takes `--db URL` (not `demo`, which makes its own, nor `refurb rules` and
`factors`, which read files).

Exit codes: 0 success; 1 partly done (some rows rejected, some serials refused or
unknown, reconciliation gaps, audit log tampered with); 2 unusable input or bad usage
(nothing written); 3 unknown device, location, lot or model; 4 conflict (already
exists, changed meanwhile by someone else); 5 database unreachable or not initialised;
70 internal error (a bug: the traceback is saved to a file named in the message, and
nothing was committed). With `--json`, errors are one JSON object on stderr:
`{"error": CODE, "message": TEXT, "exit_code": N}`.
"""


def command_paths() -> list[list[str]]:
    """Every command and group, as argument lists: [], ["devices"], ["devices", "import"]..."""

    def walk(cmd: Any, path: list[str]) -> list[list[str]]:
        out = [path]
        for name in sorted(getattr(cmd, "commands", {}) or {}):
            out.extend(walk(cmd.commands[name], [*path, name]))
        return out

    return walk(typer.main.get_command(app), [])


def render() -> str:
    runner = CliRunner()
    parts = [INTRO]
    for path in command_paths():
        result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100", "TERM": "dumb"}, prog_name="reemploi")
        parts.append(f"## `{' '.join(['reemploi', *path])}`\n\n```text\n{result.output.rstrip()}\n```\n")
    return "\n".join(parts)


if __name__ == "__main__":
    sys.stdout.write(render())
