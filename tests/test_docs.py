"""Docs are tested: the CLI reference is current and the README's commands exist."""

from __future__ import annotations

import re
from pathlib import Path

from reemploi.cli.docgen import render

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_up_to_date():
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == render(), "run `make docs`"


def test_readme_starts_with_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no command block"
    first = blocks[0]
    assert "make demo" in first and "make test" in first
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, flags=re.M) and re.search(r"^test:", makefile, flags=re.M)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "REEMPLOI_REQUIRE_POSTGRES=1" in ci
