"""The refurbishment bench: evidence records, grading, and the guards that read them."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from reemploi.inventory.models import Device

pytestmark = pytest.mark.usefixtures("venues")
S = [f"FOC0000R{i:03d}" for i in range(1, 7)]


@pytest.fixture
def received(cli, venues, tmp_path):  # type: ignore[no-untyped-def]
    """Six C9130AXI received at the refurbishment centre."""
    src = tmp_path / "a.csv"
    src.write_text("serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in S))
    assert cli("devices", "import", str(src)).exit_code == 0
    return S


def state(session, serial):  # type: ignore[no-untyped-def]
    session.rollback()
    return session.scalar(select(Device.state).where(Device.serial == serial))


def run_json(cli, *args, **kw):  # type: ignore[no-untyped-def]
    r = cli(*args, "--json", **kw)
    return r.exit_code, json.loads(r.stdout) if r.stdout.strip() else None


def test_the_whole_path_to_ready_needs_every_piece_of_evidence(cli, session, received):
    s = received[0]
    code, res = run_json(cli, "refurb", "test", s, "--firmware", "17.6.1")
    assert code == 0 and res["done"][0]["grade"] == "A" and res["done"][0]["decision"] == "reuse"
    assert state(session, s) == "tested"
    code, res = run_json(cli, "move", "--to", "sanitized", s)
    assert code == 1 and res["refused"]  # a wipe is a record, not a move
    assert cli("refurb", "sanitize", s, "--method", "config_erase_verify", "--verifier", "alice").exit_code == 0
    assert state(session, s) == "sanitized"
    code, res = run_json(cli, "move", "--to", "ready", s)
    assert code == 1 and res["refused"][0]["code"] == "guard_firmware" and "17.9.4" in res["refused"][0]["reason"]
    flags = json.loads(cli("devices", "show", s, "--json").stdout)["flags"]
    assert flags == [{"flag": "firmware_below_minimum", "found": "17.6.1", "minimum": "17.9.4"}]
    assert cli("refurb", "upgrade", s, "--to", "17.9.5", "--from", "17.6.1").exit_code == 0
    code, res = run_json(cli, "move", "--to", "ready", s)
    assert code == 0 and res["moved"] == [s]
    shown = json.loads(cli("devices", "show", s, "--json").stdout)
    assert shown["grade"] == "A" and len(shown["tests"]) == 1 and len(shown["sanitizations"]) == 1
    assert shown["flags"] == []
    assert shown["upgrades"][0]["to_version"] == "17.9.5"
    assert [e["to_state"] for e in shown["history"]] == ["received", "tested", "sanitized", "sanitized", "ready"]
    assert cli("audit", "verify").exit_code == 0


def test_a_retest_makes_the_wipe_stale(cli, session, received):
    s = received[1]
    cli("refurb", "test", s, "--firmware", "17.9.4")
    cli("refurb", "sanitize", s, "--method", "reimage")
    cli("move", "--to", "tested", s)  # sanitized -> tested needs a new test
    assert state(session, s) == "sanitized"
    cli("refurb", "test", s, "--firmware", "17.9.4")
    assert state(session, s) == "tested"
    cli("refurb", "sanitize", s, "--method", "reimage")
    assert state(session, s) == "sanitized"
    code, _ = run_json(cli, "move", "--to", "ready", s)
    assert code == 0


@pytest.mark.parametrize(
    ("options", "grade", "decision"),
    [
        ([], "A", "reuse"),
        (["--casing", "worn"], "B", "reuse"),
        (["--labels", "missing"], "B", "reuse"),
        (["--radio-5", "fail"], "C", "repair"),
        (["--eth", "100"], "C", "repair"),
        (["--boot", "fail"], "C", "repair"),
        (["--power", "fail"], "D", "harvest"),
    ],
)
def test_grading_follows_the_rules(cli, received, options, grade, decision):
    code, res = run_json(cli, "refurb", "test", received[0], *options)
    assert res["done"][0]["grade"] == grade and res["done"][0]["decision"] == decision


def test_a_failed_test_cannot_be_wiped_into_stock(cli, session, received):
    s = received[2]
    cli("refurb", "test", s, "--radio-24", "fail")
    code, res = run_json(cli, "refurb", "sanitize", s, "--method", "factory_reset")
    assert code == 1 and res["refused"][0]["code"] == "guard_test_not_passed"
    assert state(session, s) == "tested"


def test_repair_cycle_and_two_failed_repairs_mean_recycle(cli, session, received):
    s = received[3]
    cli("refurb", "test", s, "--radio-5", "fail")
    assert cli("refurb", "repair", s, "--action", "radio module", "--part", "radio module:0.05").exit_code == 0
    assert state(session, s) == "in_repair"
    _, res = run_json(cli, "refurb", "test", s, "--radio-5", "fail")
    assert res["done"][0]["decision"] == "repair"
    cli("refurb", "repair", s, "--action", "second try")
    _, res = run_json(cli, "refurb", "test", s, "--radio-5", "fail")
    assert (res["done"][0]["grade"], res["done"][0]["decision"]) == ("D", "recycle")
    assert cli("move", "--to", "to_recycle", "--reason", "beyond repair", s).exit_code == 0
    code, res = run_json(cli, "move", "--to", "recycled", s)
    assert code == 1 and res["refused"][0]["code"] == "guard_no_disposal"
    code, res = run_json(cli, "refurb", "dispose", s, "--recycler", "REC-IDF", "--reference", "BSD-42")
    assert code == 0 and state(session, s) == "recycled"
    shown = json.loads(cli("devices", "show", s, "--json").stdout)
    assert shown["repairs"][0]["parts"] == [{"part": "radio module", "mass_kg": 0.05}]
    assert shown["disposals"][0]["weight_kg"] == 1.45  # the catalog mass
    assert shown["disposals"][0]["recycler"] == "REC-IDF"


def test_failed_wipe_is_recorded_and_blocks(cli, session, received):
    s = received[4]
    cli("refurb", "test", s)
    code, res = run_json(cli, "refurb", "sanitize", s, "--method", "reimage", "--result", "fail")
    assert code == 1 and res["refused"][0]["code"] == "sanitization_failed"
    assert state(session, s) == "tested"
    assert len(json.loads(cli("devices", "show", s, "--json").stdout)["sanitizations"]) == 1


def test_support_horizon_must_cover_the_second_life(cli, session, received, tmp_path):
    from reemploi.catalog.service import default_catalog_path

    s = received[5]
    lines = default_catalog_path().read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = next(line for line in lines if line.startswith("Cisco,C9130AXI,"))
    import csv
    import io

    values = next(csv.reader(io.StringIO(row)))
    values[header.index("end_of_support")] = "2028-01-31"
    out = io.StringIO()
    csv.writer(out).writerows([header, values])
    (tmp_path / "eos.csv").write_text(out.getvalue())
    assert cli("catalog", "import", str(tmp_path / "eos.csv")).exit_code == 0
    cli("refurb", "test", s, "--firmware", "17.9.4")
    cli("refurb", "sanitize", s, "--method", "reimage")
    code, res = run_json(cli, "move", "--to", "ready", s)
    assert code == 1 and res["refused"][0]["code"] == "guard_support" and "2028-01-31" in res["refused"][0]["reason"]
    assert cli("settings", "set", "horizon_years", "1").exit_code == 0
    code, res = run_json(cli, "move", "--to", "ready", s)
    assert code == 0


def test_bench_refuses_devices_not_at_the_bench(cli, session, tmp_path):
    (tmp_path / "a.csv").write_text("serial,model,location\nFOC0000R100,C9130AXI,PAR-BERCY\n")
    cli("devices", "import", str(tmp_path / "a.csv"))
    code, res = run_json(cli, "refurb", "test", "FOC0000R100", "GHOST-0001")
    assert code == 1 and res["refused"][0]["code"] == "refurb_not_testable" and res["unknown"] == ["GHOST-0001"]


def test_bad_bench_input_is_clear(cli, received):
    assert cli("refurb", "test", received[0], "--casing", "shiny").exit_code == 2
    assert cli("refurb", "repair", received[0], "--action", "x", "--part", "nomass").exit_code == 2
    assert cli("refurb", "sanitize", received[0], "--method", "magnet").exit_code == 2
    r = cli("refurb", "dispose", received[0], "--recycler", "REFURB-IDF", "--reference", "X")
    assert r.exit_code == 2 and "recycler" in r.output
    assert cli("settings", "set", "horizon_years", "-3").exit_code == 2
    assert cli("settings", "set", "colour", "3").exit_code == 2


def test_bulk_import_of_rig_output_with_rejects(cli, session, received, tmp_path):
    csv_text = (
        "serial;power_on;boot;radio_24;radio_5;radio_6;eth_speed_mbps;firmware;casing\n"
        f"{received[0]};ok;ok;ok;ok;na;1000;17.9.4;ok\n"
        f"{received[1]};ok;ok;ko;ok;na;1000;17.9.4;ok\n"
        f"{received[2]};ok;ok;ok;ok;na;fast;17.9.4;ok\n"
        f"{received[3]};maybe;ok;ok;ok;na;1000;17.9.4;ok\n"
        "GHOST-0001;ok;ok;ok;ok;na;1000;17.9.4;ok\n"
        f"{received[0]};ok;ok;ok;ok;na;1000;17.9.4;ok\n"
    )
    (tmp_path / "rig.csv").write_text(csv_text)
    code, res = run_json(cli, "refurb", "import", str(tmp_path / "rig.csv"))
    assert code == 1
    assert (res["rows"], res["created"], res["rejected"]) == (6, 2, 4)
    rejects = (tmp_path / "rig.rejects.csv").read_text(encoding="utf-8-sig")
    for word in ("fast", "maybe", "GHOST-0001", "line 2"):
        assert word in rejects
    rig = [{"serial": received[4], "power_on": "pass", "boot": "pass", "radio_24": "pass", "radio_5": "pass",
            "eth_speed_mbps": 2500}]
    (tmp_path / "rig.json").write_text(json.dumps(rig))
    code, res = run_json(cli, "refurb", "import", str(tmp_path / "rig.json"))
    assert code == 0 and res["created"] == 1
    assert state(session, received[4]) == "tested"


def test_rules_file_overrides_and_bad_rules_are_refused(cli, received, tmp_path):
    (tmp_path / "strict.csv").write_text(
        "grade,decision,when,reason_en,reason_fr\nC,repair,casing=worn,strict: worn is a repair,strict\n"
        "A,reuse,,ok,ok\n"
    )
    code, res = run_json(
        cli, "refurb", "test", received[0], "--casing", "worn", "--rules", str(tmp_path / "strict.csv")
    )
    assert res["done"][0]["decision"] == "repair"
    (tmp_path / "bad.csv").write_text("grade,decision,when,reason_en,reason_fr\nA,reuse,colour=red,x,x\n")
    r = cli("refurb", "rules", "--rules", str(tmp_path / "bad.csv"), db=False)
    assert r.exit_code == 2 and "colour" in r.output
    shown = cli("refurb", "rules", "--json", db=False)
    assert json.loads(shown.stdout)["rules"][-1]["when"] == ""


def test_radios_a_model_lacks_are_recorded_as_not_applicable(cli, tmp_path):
    (tmp_path / "sw.csv").write_text("serial,model,location,state\nFOC0000W001,C9300-48P,REFURB-IDF,received\n")
    cli("devices", "import", str(tmp_path / "sw.csv"))
    cli("refurb", "test", "FOC0000W001", "--radio-6", "fail")
    test = json.loads(cli("devices", "show", "FOC0000W001", "--json").stdout)["tests"][0]
    assert (test["radio_24"], test["radio_5"], test["radio_6"]) == ("na", "na", "na")
    assert test["decision"] == "reuse"


def test_label_and_certificate_commands(cli, received, tmp_path):
    s = received[0]
    cli("refurb", "test", s, "--firmware", "17.9.4")
    cli("refurb", "sanitize", s, "--method", "reimage", "--verifier", "bob")
    cli("lots", "create", "PAL-C")
    cli("lots", "add", "PAL-C", s, received[1])
    r = cli("labels", "devices", s, received[1], "--out", str(tmp_path / "l.pdf"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["pages"] == 1
    assert (tmp_path / "l.pdf").read_bytes().startswith(b"%PDF")
    r = cli("labels", "devices", s, "--out", str(tmp_path / "l.zpl"))
    assert r.exit_code == 0 and (tmp_path / "l.zpl").read_text().count("^XA") == 1
    assert cli("labels", "devices", s, "--out", str(tmp_path / "l.png")).exit_code == 2
    assert cli("labels", "devices", "GHOST-0001", "--out", str(tmp_path / "g.pdf")).exit_code == 3
    assert cli("labels", "lots", "PAL-C", "--out", str(tmp_path / "lot.pdf")).exit_code == 0
    r = cli("refurb", "certificate", "PAL-C", "--out", str(tmp_path / "c.pdf"), "--json")
    cert = json.loads(r.stdout)
    assert r.exit_code == 1  # one device of the lot has no wipe
    assert (cert["passed"], cert["missing"]) == (1, 1) and len(cert["digest"]) == 64
    assert cli("refurb", "certificate", "NOPE", "--out", str(tmp_path / "n.pdf")).exit_code == 3


def test_a_later_failed_wipe_voids_the_earlier_pass(cli, received):
    s = received[2]
    cli("refurb", "test", s, "--firmware", "17.9.4")
    cli("refurb", "sanitize", s, "--method", "factory_reset")
    cli("refurb", "sanitize", s, "--method", "reimage", "--result", "fail")
    # the device is no longer known to be clean: back to tested, and ready is out of reach
    assert json.loads(cli("devices", "show", s, "--json").stdout)["state"] == "tested"
    code, res = run_json(cli, "move", "--to", "ready", s)
    assert code == 1 and res["refused"][0]["code"] == "transition_not_allowed"


# --- Review of the bench (issue 3): second verifier, lifecycle, messages, options.


def sanitizations(session):  # type: ignore[no-untyped-def]
    from reemploi.refurb.models import Sanitization

    session.rollback()
    return session.scalars(select(Sanitization)).all()


def test_a_second_verifier_is_optional_but_never_the_operator(cli, session, received):
    s = received[0]
    cli("refurb", "test", s, "--firmware", "17.9.4")
    for same in ("tester", " Tester ", "TESTER"):  # the actor is "tester"
        r = cli("refurb", "sanitize", s, "--method", "reimage", "--verifier", same)
        assert r.exit_code == 2 and "second verifier must be someone other than the operator" in r.output
    r = cli("refurb", "sanitize", s, "--method", "reimage", "--verifier", "  ")
    assert r.exit_code == 2 and "--verifier is empty" in r.output
    r = cli("refurb", "sanitize", s, "--method", "reimage", "--verifier", "tester", lang="fr")
    assert "Le second vérificateur doit être une autre personne que l'opérateur." in r.output
    assert sanitizations(session) == [] and state(session, s) == "tested"
    assert cli("refurb", "sanitize", s, "--method", "reimage", "--verifier", " Bob ").exit_code == 0
    assert [(w.operator, w.verifier) for w in sanitizations(session)] == [("tester", "Bob")]
    s2 = received[1]
    cli("refurb", "test", s2, "--firmware", "17.9.4")
    assert cli("refurb", "sanitize", s2, "--method", "reimage").exit_code == 0  # no verifier: still a wipe
    assert state(session, s2) == "sanitized"


def lost_from(cli, serial, where):  # type: ignore[no-untyped-def]
    """Bring a received device to ``where`` through the bench."""
    if where == "received":
        return
    fault = {"in_repair": ["--radio-5", "fail"], "harvested": ["--power", "fail"]}.get(where, [])
    cli("refurb", "test", serial, "--firmware", "17.9.4", *fault)
    if where == "in_repair":
        cli("refurb", "repair", serial, "--action", "radio module")
    elif where in ("sanitized", "ready"):
        cli("refurb", "sanitize", serial, "--method", "reimage")
        if where == "ready":
            cli("move", "--to", "ready", serial)
    elif where in ("to_recycle", "harvested"):
        cli("move", "--to", where, "--reason", "bench", serial)


@pytest.mark.parametrize(
    "where", ["received", "tested", "in_repair", "sanitized", "ready", "to_recycle", "harvested"]
)
def test_a_device_can_be_lost_wherever_it_physically_is(cli, session, received, where):
    s = received[0]
    lost_from(cli, s, where)
    assert state(session, s) == where
    code, res = run_json(cli, "move", "--to", "lost", "--reason", "not on the shelf", s)
    assert code == 0 and res["moved"] == [s]
    assert state(session, s) == "lost"


def test_every_state_where_a_device_is_held_can_lead_to_lost():
    from reemploi.workflow.states import State, next_states

    held = set(State) - {State.LOST, State.RECYCLED}  # recycled: handed over, no longer ours
    assert {s for s in held if State.LOST not in next_states(s)} == set()


def test_a_device_not_yet_received_must_be_received_first(cli, session, tmp_path):
    (tmp_path / "a.csv").write_text(
        "serial,model,location,state\nFOC0000R200,C9130AXI,PAR-BERCY,collected\nFOC0000R201,C9130AXI,PAR-BERCY,in_transit\n"
    )
    cli("devices", "import", str(tmp_path / "a.csv"))
    code, res = run_json(cli, "move", "--to", "tested", "FOC0000R200")
    assert code == 1 and res["refused"][0]["code"] == "transition_not_received"
    assert "the device must be received first" in res["refused"][0]["reason"]
    assert "in_transit, received, lost" in res["refused"][0]["reason"]  # what is possible now
    r = cli("move", "--to", "sanitized", "FOC0000R201", lang="fr")
    assert "l'équipement doit d'abord être reçu" in r.output
    code, res = run_json(cli, "refurb", "sanitize", "FOC0000R201", "--method", "reimage")
    refused = res["refused"][0]
    assert refused["code"] == "refurb_not_received" and "must be received first" in refused["reason"]
    assert state(session, "FOC0000R201") == "in_transit"


def test_a_device_past_the_bench_is_not_told_to_be_received(cli, session, received):
    s = received[0]
    cli("move", "--to", "to_recycle", "--reason", "crushed", s)
    code, res = run_json(cli, "refurb", "test", s)
    assert code == 1 and res["refused"][0]["code"] == "refurb_not_at_bench"
    assert "is not at the bench" in res["refused"][0]["reason"] and "received" not in res["refused"][0]["reason"]


def test_user_text_is_printed_as_typed_never_as_markup(cli, tmp_path):
    r = cli("refurb", "test", "[/]FOC1", "[bold]FOC2")
    assert r.exit_code == 1
    assert "[/]FOC1: unknown, scan kept" in r.output and "[BOLD]FOC2: unknown, scan kept" in r.output
    r = cli("devices", "import", str(tmp_path / "[red]missing[/red].csv"))
    assert r.exit_code == 2 and "[red]missing[/red].csv" in r.output
    r = cli("labels", "devices", "FOC1", "--out", str(tmp_path / "[/]l.png"))
    assert r.exit_code == 2 and "[/]l.png" in r.output


def test_physical_check_options_list_their_values_and_refuse_others(cli, received):
    help_text = " ".join(cli("refurb", "test", "--help", db=False).output.split())
    for words in ("Casing: ok, worn or broken.", "Mounting bracket: ok or missing.",
                  "Labels: ok, damaged or missing.", "Ports: ok or damaged.", "Powers on: pass or fail.",
                  "5 GHz radio: pass, fail or na (none)."):  # fmt: skip
        assert words in help_text
    r = cli("refurb", "test", received[0], "--ports", "broken")  # would have graded as like new
    assert r.exit_code == 2 and "--ports: 'broken' is not one of ok, damaged" in r.output
    sanitize_help = " ".join(cli("refurb", "sanitize", "--help", db=False).output.split())
    assert "factory_reset, config_erase_verify or reimage" in sanitize_help


def test_rig_import_refuses_a_condition_its_check_cannot_have(cli, received, tmp_path):
    (tmp_path / "rig.csv").write_text(
        f"serial,power_on,ports,bracket\n{received[0]},pass,broken,ok\n{received[1]},pass,ok,damaged\n"
    )
    code, res = run_json(cli, "refurb", "import", str(tmp_path / "rig.csv"))
    assert (code, res["created"], res["rejected"]) == (1, 0, 2)
    rejects = (tmp_path / "rig.rejects.csv").read_text(encoding="utf-8-sig")
    assert "ports: 'broken' is not one of ok, damaged" in rejects
    assert "bracket: 'damaged' is not one of ok, missing" in rejects


def test_sanitize_summary_counts_passed_failed_and_refused_apart(cli, session, received):
    ok, bad_test, fails1, fails2 = received[:4]
    cli("refurb", "test", ok, fails1, fails2, "--firmware", "17.9.4")
    cli("refurb", "test", bad_test, "--radio-5", "fail")
    r = cli("refurb", "sanitize", ok, bad_test, "GHOST-0001", "--method", "reimage")
    assert r.exit_code == 1
    assert "Wipes: 1 passed, 0 failed, 1 refused, 1 unknown." in r.output
    assert "passed: wipe recorded, the device is sanitized" in r.output
    assert "refused: nothing recorded, the device is unchanged" in r.output
    wiped = session.scalars(select(Device.serial).where(Device.id.in_([w.device_id for w in sanitizations(session)])))
    assert list(wiped) == [ok]  # the refused wipe is not recorded
    code, res = run_json(cli, "refurb", "sanitize", fails1, fails2, "--method", "reimage", "--result", "fail")
    assert code == 1 and res["counts"] == {"passed": 0, "failed": 2, "refused": 0, "unknown": 0}
    assert res["failed"] == [fails1, fails2]
    r = cli("refurb", "sanitize", fails1, "--method", "reimage", "--result", "fail")
    assert "Wipes: 0 passed, 1 failed, 0 refused, 0 unknown." in r.output
    assert "failed: wipe recorded, the device stays where it is and cannot become ready until a wipe passes" in r.output
    assert "refused:" not in r.output
    assert state(session, fails1) == "tested" and len(sanitizations(session)) == 4
    r = cli("refurb", "sanitize", fails2, "--method", "reimage", lang="fr")
    assert "Effacements : 1 réussi(s), 0 en échec, 0 refusé(s), 0 inconnu(s)." in r.output


def test_the_certificate_is_only_written_as_pdf(cli, received, tmp_path):
    cli("lots", "create", "PAL-P")
    cli("lots", "add", "PAL-P", received[0])
    for name in ("c.txt", "c", "c.pdf.zip"):
        r = cli("refurb", "certificate", "PAL-P", "--out", str(tmp_path / name))
        assert r.exit_code == 2 and "the certificate is a PDF: give a file name ending in .pdf" in r.output
        assert not (tmp_path / name).exists()
    assert cli("refurb", "certificate", "PAL-P", "--out", str(tmp_path / "C.PDF")).exit_code == 1  # no wipe yet
    r = cli("labels", "devices", received[0], "--out", str(tmp_path / "l.png"))
    assert r.exit_code == 2 and ".pdf (A4 sheet) or .zpl (thermal printer)" in r.output


def test_settings_take_negative_values_and_speak_json(cli):
    r = cli("settings", "set", "horizon_years", "-3")
    assert r.exit_code == 2 and "horizon_years: invalid '-3' (a number from 0 to 30)" in r.output
    r = cli("settings", "set", "horizon_years", "-0.5", "--json")
    assert r.exit_code == 2 and json.loads(r.stderr)["error"] == "setting_invalid"
    r = cli("settings", "set", "horizon_years", "7", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == {"key": "horizon_years", "value": 7.0, "default": 5.0}
    assert "horizon_years = 6 (default: 5)" in cli("settings", "set", "horizon_years", "6").output


def test_the_service_refuses_a_condition_a_check_cannot_have(session, received):
    from reemploi.errors import InvalidInput
    from reemploi.refurb.models import Condition
    from reemploi.refurb.service import TestInput, record_tests

    with pytest.raises(InvalidInput) as exc:
        record_tests(session, [TestInput(received[0], ports=Condition.BROKEN)], technician="api")
    assert exc.value.params["field"] == "ports"


def test_settings_are_explained_in_the_users_language(cli):
    r = cli("settings", "list", lang="fr")
    assert "horizon de seconde vie" in r.output and "cartons par palette" in r.output
    from reemploi.i18n import MESSAGES
    from reemploi.settings.service import DEFAULTS

    assert [k for k in DEFAULTS if f"setting_help_{k}" not in MESSAGES] == []


def test_a_rig_file_without_power_or_boot_is_refused_and_cli_names_are_understood(cli, session, received, tmp_path):
    """A missing column is never taken as a pass: `power` (the CLI's option name) once read as
    absent made a dead device look repairable."""
    (tmp_path / "nopower.csv").write_text(f"serial,radio_5\n{received[0]},pass\n")
    r = cli("refurb", "import", str(tmp_path / "nopower.csv"))
    assert r.exit_code == 2 and "required column(s) missing: power_on" in r.output
    assert state(session, received[0]) == "received"  # nothing recorded
    (tmp_path / "cli-names.csv").write_text(f"serial,power,eth,stamp\n{received[1]},fail,0,12:00\n")
    r = cli("refurb", "import", str(tmp_path / "cli-names.csv"))
    assert r.exit_code == 0 and "Columns ignored (unknown to the test import): stamp" in r.output
    test = json.loads(cli("devices", "show", received[1], "--json").stdout)["tests"][0]
    assert (test["power_on"], test["boot"], test["eth_speed_mbps"], test["grade"]) == ("fail", "fail", 0, "D")


def test_a_failed_wipe_takes_a_ready_device_back_to_tested(cli, session, received):
    """Found by the property test: a ready device whose new wipe failed stayed ready."""
    serial = received[0]
    cli("refurb", "test", serial, "--firmware", "17.9.4")
    cli("refurb", "sanitize", serial, "--method", "reimage")
    assert cli("move", "--to", "ready", serial).exit_code == 0
    r = cli("refurb", "sanitize", serial, "--method", "config_erase_verify", "--result", "fail")
    assert r.exit_code == 1
    assert state(session, serial) == "tested"
    assert cli("move", "--to", "ready", serial).exit_code != 0  # not without a passing wipe
    cli("refurb", "sanitize", serial, "--method", "reimage")
    assert state(session, serial) == "sanitized"
    assert cli("move", "--to", "ready", serial).exit_code == 0
