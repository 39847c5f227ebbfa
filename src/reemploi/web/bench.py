"""The scan page's two modes, over the bench logic the terminal ``reemploi scan`` uses.

``bench_line`` reads a line as ``reemploi.refurb.bench`` does (a serial, or a key for the
device on screen) and applies it, one unit of work per key; ``move_line`` moves each
scanned device to one state through the API's move writer (the same door as
``POST /devices/{serial}/move``). Both answer with feedback lines and the device as the
bench shows it. Unknown scans are kept by the domain (unmatched scans).
"""

from __future__ import annotations

from typing import Any

from reemploi.api.auth import Principal
from reemploi.api.deps import ApiState
from reemploi.api.moves import MoveRequest
from reemploi.i18n import MESSAGES, refusal_reason, state_label, t
from reemploi.refurb import bench as b
from reemploi.workflow.states import State


def decision(value: str, lang: str) -> str:
    """A test's decision (reuse, repair, harvest, recycle) in the reader's language."""
    code = f"web_decision_{value}"
    return t(code, lang) if code in MESSAGES else value


def _device(v: b.DeviceView | None, lang: str, firmware: str | None) -> dict[str, Any] | None:
    if v is None:
        return None
    d = v.as_dict(lang)
    d["state_label"] = state_label(v.state.value, lang)
    if v.note:  # the domain's sentence, with the state named in the reader's language
        d["note"] = t(v.note, lang, state=d["state_label"]).strip()
    # An upgrade needs the version installed: the firmware field, once it holds another than the device's.
    new_version = firmware if firmware and firmware != v.firmware else None
    d["choices"] = [
        {"key": c.key, "action": c.action.value,
         "label": t("web_scan_upgrade_ask", lang) if c.action == b.Action.UPGRADE and not new_version
         else t(f"scan_action_{c.action.value}", lang, version=firmware or "?")}
        for c in v.choices
    ]  # fmt: skip
    d["faults"] = [{"key": b.FAULT_KEY_OF[f], "fault": f.value, "label": t(f"scan_fault_{f.value}", lang)}
                   for f in v.faults]  # fmt: skip
    if v.last_test:
        lt = v.last_test
        d["last_test_text"] = t("web_scan_last_test", lang, at=lt.at.strftime("%Y-%m-%d %H:%M UTC"), grade=lt.grade,
                                decision=decision(lt.decision, lang), reason=lt.why(lang))  # fmt: skip
    else:
        d["last_test_text"] = t("web_scan_no_test", lang)
    if v.choices and v.last_test and v.firmware_min and not v.firmware_ok():  # only where there is bench work
        d["firmware_text"] = t("web_scan_firmware_low", lang, found=v.firmware or "?", minimum=v.firmware_min)
    return d


def _result_events(
    r: b.BenchResult, lang: str, action: b.Action | None = None, firmware: str | None = None
) -> list[dict[str, str]]:
    events = []
    for o in r.done:
        if action == b.Action.UPGRADE and firmware:
            text = t("web_scan_upgraded", lang, serial=o.serial, version=firmware)
        elif o.grade:
            text = t("bench_tested", lang, serial=o.serial, grade=o.grade, decision=decision(o.decision, lang),
                     reason=o.reason)  # fmt: skip
        else:
            text = t("web_scan_moved", lang, serial=o.serial, state=state_label(o.state, lang))
        events.append({"level": "ok", "text": text.strip()})
    for x in r.refused:
        events.append({"level": "warn", "text": t(x.code, lang, **{"serial": x.serial, **x.params}).strip()})
    for s in r.unknown:
        events.append({"level": "warn", "text": t("web_scan_unknown", lang, serial=s)})
    return events


def bench_line(
    api: ApiState, who: Principal, lang: str, text: str, current: str | None, awaiting_fault: bool,
    firmware: str | None,
) -> dict[str, Any]:  # fmt: skip
    line = b.clean_line(text)
    firmware = (firmware or "").strip() or None
    options = b.Options(firmware=firmware, lang=lang)
    if not line:
        return {"events": [], "device": None, "current": current}
    scan = b.read_scan(line)
    if awaiting_fault and current and line.lower() in b.FAULT_KEYS:
        scan = b.Scan("key", line.lower(), b.Action.TEST_FAIL, b.FAULT_KEYS[line.lower()])
    elif awaiting_fault and current and len(line) <= 2:  # a slip while choosing the fault: still choosing
        with api.read() as s:
            view = b.views(s, [current], actor=who.name, record_unknown=False).get(b.serial_of(current))
        if view is not None:
            faults = ", ".join(f"{b.FAULT_KEY_OF[f]} = {t(f'scan_fault_{f.value}', lang)}" for f in view.faults)
            event = {"level": "error", "text": t("scan_bad_fault", lang, faults=faults)}
            return {"events": [event], "device": _device(view, lang, firmware), "current": view.serial,
                    "awaiting_fault": True}  # fmt: skip
    if scan.kind == "key" or (scan.kind == "junk" and len(line) <= 2):
        if current is None:
            return {"events": [{"level": "error", "text": t("scan_no_device", lang)}], "device": None}
        with api.write() as s:
            view = b.next_actions(s, current, actor=who.name)
        if view is None:
            return {"events": [{"level": "error", "text": t("scan_no_device", lang)}], "device": None}
        if scan.kind == "junk" or scan.action is None:
            err = t("scan_unknown_key", lang, key=line, choices=", ".join(view.keys) or "-")
            return {"events": [{"level": "error", "text": err}], "device": _device(view, lang, firmware),
                    "current": view.serial}  # fmt: skip
        if scan.action == b.Action.TEST_FAIL and scan.fault is None and scan.action in view.keys.values():
            return {"events": [], "device": _device(view, lang, firmware), "current": view.serial,
                    "awaiting_fault": True}  # fmt: skip
        with api.write() as s:  # one key, one unit of work
            r = b.press(s, view.serial, scan.action, actor=who.name, fault=scan.fault, options=options)
            after = b.next_actions(s, view.serial, actor=who.name)
        return {"events": _result_events(r, lang, scan.action, firmware), "device": _device(after, lang, firmware),
                "current": view.serial}  # fmt: skip
    with api.write() as s:  # a look-up may record an unknown scan
        view = b.next_actions(s, line, actor=who.name)
    if view is None:  # no device is current any more: a key pressed next must not act on the one before
        return {"events": [{"level": "warn", "text": t("web_scan_unknown", lang, serial=b.serial_of(line))}],
                "device": None, "current": None}  # fmt: skip
    return {"events": [], "device": _device(view, lang, firmware), "current": view.serial}


def move_line(
    api: ApiState, who: Principal, lang: str, text: str, to: State | None, location: str | None,
    reason: str | None = None,
) -> dict[str, Any]:
    line = b.clean_line(text)
    if not line:
        return {"events": [], "device": None}
    if to is None:
        return {"events": [{"level": "error", "text": t("web_scan_to", lang)}], "device": None}
    serial = b.serial_of(line)
    req = MoveRequest(serial, to, who.name, (location or "").strip() or None, None, (reason or "").strip() or None)
    out = api.moves.submit(req).result(timeout=60)
    if out.unknown:
        return {"events": [{"level": "warn", "text": t("web_scan_unknown", lang, serial=serial)}], "device": None}
    with api.read() as s:
        view = b.views(s, [serial], actor=who.name, record_unknown=False).get(serial)
    if out.refusal is not None:
        x = out.refusal
        now = (out.current or {}).get("state", "-")
        text_ = t("web_scan_refused", lang, serial=serial, state=state_label(now, lang),
                  reason=refusal_reason(x.code, lang, **x.params))  # fmt: skip
        return {"events": [{"level": "warn", "text": text_}], "device": _device(view, lang, None)}
    done = t("web_scan_moved", lang, serial=serial, state=state_label(to.value, lang))
    return {"events": [{"level": "ok", "text": done}], "device": _device(view, lang, None)}
