"""``reemploi scan``: the bench with a barcode scanner, one or two keys per outcome.

The loop reads lines; ``reemploi.refurb.bench`` decides what they mean and what may be
done. Each key is its own transaction, so a crash never loses the earlier ones.
"""

from __future__ import annotations

import sys
from typing import Annotated, Any

import orjson
import typer
from sqlalchemy.exc import OperationalError

from reemploi import errors
from reemploi.cli.common import (
    EXIT_INPUT,
    EXIT_OK,
    EXIT_PARTIAL,
    ActorOpt,
    Ctx,
    DbOpt,
    JsonOpt,
    LangOpt,
    actor_name,
    ctx,
    engine_for,
    err,
    out,
    read_serials,
    translated,
    unit_of_work,
)
from reemploi.cli.refurb import RulesOpt, _finish
from reemploi.db import transaction
from reemploi.refurb import bench as b

ACTIONS = "|".join(a.value for a in b.Action)
FAULTS = "|".join(f.value for f in b.Fault)


def _fail(c: Ctx, code: str, **params: Any) -> None:
    message = c.t(code, **params)
    if c.json:
        sys.stderr.write(orjson.dumps({"error": code, "message": message, "exit_code": EXIT_INPUT}).decode() + "\n")
    else:
        err.print(message, style="red")
    raise typer.Exit(EXIT_INPUT)


def scan(
    serials: Annotated[
        list[str] | None,
        typer.Argument(metavar="[SERIAL...|-]", help="With --action: serials or labels, or - to read them from stdin."),
    ] = None,
    action: Annotated[
        str | None, typer.Option("--action", metavar=ACTIONS, help="Apply this action to the serials and exit.")
    ] = None,
    fault: Annotated[str | None, typer.Option("--fault", metavar=FAULTS, help="With --action test-fail.")] = None,
    firmware: Annotated[
        str | None,
        typer.Option("--firmware", metavar="VERSION", help="Firmware read by the tests; installed by upgrade (u)."),
    ] = None,
    bench: Annotated[str | None, typer.Option("--bench", metavar="NAME", help="Test bench.")] = None,
    rules: RulesOpt = None,
    actor: ActorOpt = None,
    db: DbOpt = None,
    lang: LangOpt = None,
    json: JsonOpt = False,
) -> None:
    """Bench scanner: scan a device (serial or REEMPLOI:D:SERIAL label), see its state, last test
    and next steps, record the outcome in one or two keys; each key commits on its own. Unknown
    scans are kept; arrow and other control keys are ignored. Empty line or q quits. With --action,
    apply one action to many serials and exit (0 all done, 1 some refused or unknown).

    With --json, one JSON object per line, its "event" one of: device (serial, model, kind, state,
    grade, last_test {at, grade, decision, reason}, firmware, firmware_minimum, firmware_ok, choices
    [{key, action}], faults [{key, fault}], blocked {code, reason}, note), fault_choices (serial,
    faults), done (serial, grade, decision, reason, state), refused, unknown or error (serial when
    known, code, message)."""
    from reemploi.refurb.rules import load_rules

    c = ctx(db, lang, json)
    with translated(c):
        options = b.Options(firmware=firmware, bench=bench, rules=load_rules(rules), lang=c.lang)
    who = actor_name(actor)
    if action is None:
        if serials:
            _fail(c, "scan_no_action")
        raise typer.Exit(_loop(c, who, options))
    act = _choice(c, b.Action, action, "--action")
    flt = _choice(c, b.Fault, fault, "--fault") if fault else None
    if act == b.Action.TEST_FAIL and flt is None:
        _fail(c, "scan_no_fault", faults=FAULTS)
    if act == b.Action.UPGRADE and not (firmware or "").strip():
        _fail(c, "scan_no_firmware")
    items = read_serials(c, serials or [])
    with unit_of_work(c) as session:
        r = b.apply(session, items, act, actor=who, fault=flt, options=options)
    _finish(c, r, json, show_grades=act in b.TESTS, wipes=act == b.Action.SANITIZE)


def _choice(c: Ctx, enum: type, value: str, name: str) -> Any:
    try:
        return enum(value.strip().lower())
    except ValueError:
        _fail(c, "bad_choice", field=name, value=value, choices=", ".join(e.value for e in enum))


class Screen:
    """What the technician sees: Rich lines, or one JSON object per line with --json."""

    def __init__(self, c: Ctx, firmware: str | None) -> None:
        self.c = c
        self.firmware = firmware or "?"
        self.refused = self.unknown = self.actions = 0

    def emit(self, event: str, **data: Any) -> None:
        sys.stdout.write(orjson.dumps({"event": event, **data}).decode() + "\n")
        sys.stdout.flush()

    def say(self, code: str, style: str = "", /, **params: Any) -> None:
        out.print(self.c.t(code, **params), style=style or None)  # the consoles print text as is, never markup

    def device(self, v: b.DeviceView) -> None:
        if self.c.json:
            self.emit("device", **v.as_dict(self.c.lang))
            return
        self.say("scan_device", "bold", serial=v.serial, model=v.model, state=v.state.value, grade=v.grade or "-")
        t = v.last_test
        if t:
            at = t.at.astimezone().strftime("%Y-%m-%d %H:%M")  # local time on display
            self.say("scan_last_test", at=at, grade=t.grade, decision=t.decision, reason=t.why(self.c.lang))
        else:
            self.say("scan_no_test")
        if v.last_test and v.firmware_min and not v.firmware_ok():
            self.say("scan_firmware", "yellow", found=v.firmware or "?", minimum=v.firmware_min)
        if v.blocked:
            self.say("scan_blocked", "yellow", why=self.c.t(v.blocked.code, **v.blocked.params))
        if v.note:
            self.say(v.note, "dim", state=v.state.value)
        if v.choices:
            self.say("scan_choices", "cyan", choices=self.menu(v))

    def menu(self, v: b.DeviceView) -> str:
        version = self.options_firmware or "?"
        return "   ".join(f"{ch.key} {self.c.t('scan_action_' + ch.action.value, version=version)}" for ch in v.choices)

    options_firmware: str | None = None

    def faults(self, v: b.DeviceView) -> None:
        choices = [(b.FAULT_KEY_OF[f], f) for f in v.faults]
        if self.c.json:
            self.emit("fault_choices", serial=v.serial, faults=[{"key": k, "fault": f.value} for k, f in choices])
            return
        text = "   ".join(f"{k} {self.c.t('scan_fault_' + f.value)}" for k, f in choices)
        self.say("scan_fault_choices", "cyan", choices=text)

    def result(self, r: b.BenchResult) -> None:
        self.actions += len(r.done)
        self.refused += len(r.refused)
        self.unknown += len(r.unknown)
        for o in r.done:
            if self.c.json:
                self.emit("done", **o.__dict__)
            elif o.grade:
                self.say("bench_tested", "green", serial=o.serial, grade=o.grade, decision=o.decision, reason=o.reason)
            else:
                self.say("scan_done", "green", serial=o.serial, state=o.state)
        for x in r.refused:
            self.problem("refused", x.code, **{"serial": x.serial, **x.params})
        for s in r.unknown:
            self.problem("unknown", "scan_unknown_scan", code=s)

    def problem(self, event: str, code: str, /, **params: Any) -> None:
        """A refusal or an error: one line, and the loop goes on."""
        if self.c.json:
            where = {"serial": params["serial"]} if "serial" in params else {}
            self.emit(event, **where, code=code, message=self.c.t(code, **params))
        else:
            err.print(self.c.t(code, **params), style="yellow")


def _loop(c: Ctx, actor: str, options: b.Options) -> int:
    """Read scans until an empty line, q or the end of input; the exit code."""
    tty = sys.stdin.isatty()
    screen = Screen(c, options.firmware)
    engine = engine_for(c)
    current: b.DeviceView | None = None
    awaiting_fault = False
    if tty and not c.json:
        screen.say("scan_ready", "dim")
    try:
        with translated(c):  # a database that goes away ends the loop with the usual message
            while True:
                if tty and not c.json:
                    out.print(f"{current.serial if current else ''}> ", style="bold", end="")
                line = sys.stdin.readline()
                text = b.clean_line(line)
                if not text and line.strip():
                    continue  # only arrow or other control keys, pressed by accident: not a scan
                if not text or text.lower() == "q":
                    break
                scan = b.read_scan(text)
                if awaiting_fault and current is not None and text.lower() in b.FAULT_KEYS:
                    scan = b.Scan("key", text.lower(), b.Action.TEST_FAIL, b.FAULT_KEYS[text.lower()])
                elif awaiting_fault and current is not None and len(text) <= 2:  # a slip: still choosing the fault
                    screen.problem("error", "scan_bad_fault", faults=b.fault_list(current.faults))
                    continue
                awaiting_fault = False
                if scan.kind == "key" or (scan.kind == "junk" and len(text) <= 2):
                    if scan.kind == "junk" or scan.action is None:
                        keys = ", ".join(current.keys) if current else "-"
                        screen.problem("error", "scan_unknown_key", key=text, choices=keys or "-")
                    elif current is None:
                        screen.problem("error", "scan_no_device")
                    elif (
                        scan.action == b.Action.TEST_FAIL
                        and scan.fault is None
                        and scan.action in current.keys.values()
                    ):
                        awaiting_fault = True
                        screen.faults(current)
                    else:
                        current = _press(c, engine, screen, current, scan, actor, options)
                    continue
                # An unknown code clears the device: a key pressed next must not act on the one before.
                current = _look(c, engine, screen, text, actor)
    finally:
        engine.dispose()
    if not c.json:
        screen.say("scan_bye", "dim", actions=screen.actions, refused=screen.refused, unknown=screen.unknown)
    return EXIT_PARTIAL if screen.refused or screen.unknown else EXIT_OK


def _look(c: Ctx, engine: Any, screen: Screen, text: str, actor: str) -> b.DeviceView | None:
    try:
        with transaction(engine) as session:
            view = b.next_actions(session, text, actor=actor)
    except (errors.ReemploiError, OperationalError) as exc:
        _problem(c, screen, exc)
        return None
    if view is None:
        screen.result(b.BenchResult(unknown=[text]))
        return None
    screen.device(view)
    return view


def _press(
    c: Ctx, engine: Any, screen: Screen, current: b.DeviceView, scan: b.Scan, actor: str, options: b.Options
) -> b.DeviceView:
    assert scan.action is not None
    try:
        with transaction(engine) as session:  # one key, one unit of work
            r = b.press(session, current.serial, scan.action, actor=actor, fault=scan.fault, options=options)
            view = b.next_actions(session, current.serial, actor=actor)
    except (errors.ReemploiError, OperationalError) as exc:
        _problem(c, screen, exc)
        return current
    screen.result(r)
    if view is None:
        return current
    if r.done:
        screen.device(view)
    return view


def _problem(c: Ctx, screen: Screen, exc: Exception) -> None:
    if isinstance(exc, errors.ReemploiError):
        screen.problem("error", exc.code, **exc.params)
        return
    line = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    if "locked" not in line and "busy" not in line:
        raise exc  # not a busy database: the loop cannot go on
    screen.problem("error", "database_busy", error=line)
