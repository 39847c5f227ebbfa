"""Grading rules and the firmware policy, read from data files.

Grading: rules are tried in order; the first whose conditions all hold gives the grade,
the decision and the reason. A condition is ``field OP value`` with OP one of
``= != < <= > >=``; conditions are joined with ``&``. Fields are the test record's,
plus ``radio_any`` (fail when any radio fails), ``functional`` (fail when boot, a radio
or the Ethernet link fails) and ``repairs`` (repairs recorded before this test).
The last rule should have no condition (the default).
"""

from __future__ import annotations

import csv
import hashlib
import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from reemploi.errors import InvalidInput
from reemploi.refurb.models import Decision

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le, ">=": operator.ge, "!=": operator.ne, "=": operator.eq, "<": operator.lt, ">": operator.gt,
}  # fmt: skip
CONDITION = re.compile(r"^\s*([a-z_0-9]+)\s*(<=|>=|!=|=|<|>)\s*([^&]+?)\s*$")
FIELDS = {
    "power_on", "boot", "radio_24", "radio_5", "radio_6", "radio_any", "functional", "eth_speed_mbps",
    "poe_class", "firmware", "casing", "bracket", "labels", "ports", "repairs",
}  # fmt: skip
NUMERIC = {"eth_speed_mbps", "repairs"}
GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Rule:
    grade: str
    decision: Decision
    conditions: tuple[tuple[str, str, Any], ...]  # (field, operator, value)
    reason_en: str
    reason_fr: str

    def matches(self, facts: Mapping[str, Any]) -> bool:
        for name, op, value in self.conditions:
            fact = facts.get(name)
            if fact is None or not OPS[op](fact, value):
                return False
        return True

    def when(self) -> str:
        return " & ".join(f"{name}{op}{value:g}" if isinstance(value, float) else f"{name}{op}{value}"
                          for name, op, value in self.conditions)  # fmt: skip


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    version: str
    source: str

    def grade(self, facts: Mapping[str, Any]) -> Rule:
        for rule in self.rules:
            if rule.matches(facts):
                return rule
        raise InvalidInput("rules_no_default", file=self.source)


def _parse_condition(text: str, where: str) -> tuple[str, str, Any]:
    m = CONDITION.match(text)
    if not m or m.group(1) not in FIELDS:
        raise InvalidInput("rules_bad_condition", file=where, condition=text.strip(), fields=", ".join(sorted(FIELDS)))
    name, op, raw = m.groups()
    value: Any = raw.strip().lower()
    if name in NUMERIC:
        try:
            value = float(value)
        except ValueError:
            raise InvalidInput("rules_bad_condition", file=where, condition=text.strip(), fields=name) from None
    return name, op, value


def parse_rules(text: str, source: str) -> RuleSet:
    rules = []
    for n, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        where = f"{source}:{n}"
        grade = (row.get("grade") or "").strip().upper()
        if grade not in GRADES:
            raise InvalidInput("rules_bad_grade", file=where, grade=grade, grades=", ".join(GRADES))
        try:
            decision = Decision((row.get("decision") or "").strip().lower())
        except ValueError:
            decisions = ", ".join(d.value for d in Decision)
            raise InvalidInput(
                "rules_bad_decision", file=where, decision=row.get("decision"), decisions=decisions
            ) from None
        when = (row.get("when") or "").strip()
        conditions = tuple(_parse_condition(c, where) for c in when.split("&")) if when else ()
        en = (row.get("reason_en") or "").strip()
        rules.append(Rule(grade, decision, conditions, en, (row.get("reason_fr") or "").strip() or en))
    if not rules or rules[-1].conditions:
        raise InvalidInput("rules_no_default", file=source)
    return RuleSet(tuple(rules), hashlib.sha256(text.encode()).hexdigest()[:12], source)


@cache
def default_rules() -> RuleSet:
    text = resources.files("reemploi.refurb").joinpath("data/grading.csv").read_text("utf-8")
    return parse_rules(text, "grading.csv")


def load_rules(path: str | Path | None) -> RuleSet:
    """The rules in ``path``, else in $REEMPLOI_GRADING_RULES, else the shipped ones."""
    import os

    path = path or os.environ.get("REEMPLOI_GRADING_RULES")
    if not path:
        return default_rules()
    p = Path(path)
    if not p.is_file():
        raise InvalidInput("file_missing", file=str(p))
    return parse_rules(p.read_text(encoding="utf-8-sig"), str(p))


def facts_of(test: Mapping[str, Any], repairs: int) -> dict[str, Any]:
    """The values the rules see for one test (derived fields included)."""
    facts = {k: (v.lower() if isinstance(v, str) else v) for k, v in test.items() if k in FIELDS}
    radios = [facts.get(k) for k in ("radio_24", "radio_5", "radio_6")]
    facts["radio_any"] = "fail" if "fail" in radios else "pass"
    eth = facts.get("eth_speed_mbps")
    functional_fail = facts.get("boot") == "fail" or facts["radio_any"] == "fail" or (eth is not None and eth < 1000)
    facts["functional"] = "fail" if functional_fail else "pass"
    facts["repairs"] = float(repairs)
    if eth is not None:
        facts["eth_speed_mbps"] = float(eth)
    return facts


def version_key(version: str) -> tuple[tuple[int, Any], ...]:
    """Natural order of firmware versions: 17.9.4 < 17.9.10 < 17.10.1; 17.9.4a > 17.9.4."""
    parts = re.findall(r"\d+|[a-zA-Z]+", version)
    return tuple((0, int(p)) if p.isdigit() else (1, p.lower()) for p in parts)


@cache
def firmware_policy() -> dict[str, str]:
    """Upper-cased model name -> minimum firmware version."""
    text = resources.files("reemploi.refurb").joinpath("data/firmware.csv").read_text("utf-8")
    return {row["model"].strip().upper(): row["min_firmware"].strip() for row in csv.DictReader(text.splitlines())}
