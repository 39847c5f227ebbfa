"""When things happened: two times on every event, dates as people type them, never backwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from reemploi.errors import InvalidInput
from reemploi.workflow import clock

pytestmark = pytest.mark.usefixtures("venues")
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("typed", "expected"), [
    ("2025-03-14", datetime(2025, 3, 14, 22, 59, 59, tzinfo=UTC)),  # a day: its end, Paris time (UTC+1)
    ("14/03/2025", datetime(2025, 3, 14, 22, 59, 59, tzinfo=UTC)),  # French order: day, month, year
    ("14/03/2025 09:30", datetime(2025, 3, 14, 8, 30, tzinfo=UTC)),
    ("14/07/2025 à 09h30", datetime(2025, 7, 14, 7, 30, tzinfo=UTC)),  # summer time: UTC+2
    ("5 déc. 2025", datetime(2025, 12, 5, 22, 59, 59, tzinfo=UTC)),
    ("1er mars 2025", datetime(2025, 3, 1, 22, 59, 59, tzinfo=UTC)),
    ("5 décembre 2025", datetime(2025, 12, 5, 22, 59, 59, tzinfo=UTC)),
    ("5 Dec 2025", datetime(2025, 12, 5, 22, 59, 59, tzinfo=UTC)),
    ("2025-03-14T10:00:00Z", datetime(2025, 3, 14, 10, 0, tzinfo=UTC)),
    ("2026-12-05", NOW),  # today, without a time: now, not tonight
])  # fmt: skip
def test_dates_are_read_as_people_type_them(typed: str, expected: datetime) -> None:
    assert clock.parse(typed, now=NOW) == expected


@pytest.mark.parametrize("typed", ["32/01/2025", "hier", "5 foo 2025", "", "2025-13-01"])
def test_an_unreadable_date_is_refused_naming_it(typed: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        clock.parse(typed, now=NOW)
    assert exc.value.code == "date_unreadable" and exc.value.params["value"] == typed


def test_a_date_in_the_future_is_refused_but_not_a_clock_a_little_ahead() -> None:
    with pytest.raises(InvalidInput) as exc:
        clock.parse("2026-12-06", now=NOW)
    assert exc.value.code == "date_future"
    assert clock.parse("05/12/2026 13:05", now=NOW) == datetime(2026, 12, 5, 12, 5, tzinfo=UTC)  # 5 min ahead


def _import(cli, tmp_path, serials):  # type: ignore[no-untyped-def]
    (tmp_path / "d.csv").write_text("serial,model,location\n" + "".join(f"{s},C9130AXI,PAR-BERCY\n" for s in serials))
    assert cli("devices", "import", str(tmp_path / "d.csv"), "--date", "2024-09-02").exit_code == 0


def test_a_move_keeps_when_it_happened_apart_from_when_it_was_recorded(cli, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000T001"])
    r = cli("move", "--to", "collected", "FOC0000T001", "--date", "10/09/2024 08:15", "--json")
    assert r.exit_code == 0, r.output
    hist = json.loads(cli("devices", "show", "FOC0000T001", "--json").stdout)["history"]
    assert [h["occurred_at"][:16] for h in hist] == ["2024-09-02T21:59", "2024-09-10T06:15"]
    assert all(h["recorded_at"][:10] == datetime.now(UTC).date().isoformat() for h in hist)
    assert all(h["at"] == h["recorded_at"] for h in hist)  # the old field keeps its meaning
    assert cli("audit", "verify").exit_code == 0  # the occurred time is in the hash, and the chain holds


def test_a_date_before_the_devices_previous_event_is_refused_and_nothing_moves(cli, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000T002", "FOC0000T003"])
    assert cli("move", "--to", "collected", "FOC0000T002", "--date", "2024-09-20").exit_code == 0
    r = cli("move", "--to", "in_transit", "FOC0000T002", "FOC0000T003", "--date", "2024-09-10", lang="fr")
    assert r.exit_code == 1  # one moved, one refused
    assert "FOC0000T002" in r.output and "antérieur" in r.output
    states = {d["serial"]: d["state"] for d in json.loads(cli("devices", "list", "--json").stdout)}
    assert states["FOC0000T002"] == "collected"  # refused: unchanged
    r = cli("move", "--to", "in_transit", "FOC0000T002", "--date", "2024-09-20")  # the same day: not backwards
    assert r.exit_code == 0, r.output


def test_a_future_or_unreadable_date_on_the_command_line_is_refused_before_anything(cli, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000T004"])
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).strftime("%d/%m/%Y")
    r = cli("move", "--to", "collected", "FOC0000T004", "--date", tomorrow, lang="fr")
    assert r.exit_code == 2 and "dans le futur" in r.output
    r = cli("move", "--to", "collected", "FOC0000T004", "--date", "31/02/2025")
    assert r.exit_code == 2 and "31/02/2025" in r.output
    assert json.loads(cli("devices", "show", "FOC0000T004", "--json").stdout)["state"] == "deployed"


def test_a_record_backdated_by_months_is_accepted_flagged_and_counted_by_verify(cli, engine, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000T005"])
    assert cli("move", "--to", "collected", "FOC0000T005", "--date", "2024-10-01").exit_code == 0
    hist = json.loads(cli("devices", "show", "FOC0000T005", "--json").stdout)["history"]
    assert hist[-1]["data"]["backdated_days"] > 30
    r = cli("audit", "verify", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["backdated"] >= 2  # the import too, dated 2024
    assert "recorded more than 30" in cli("audit", "verify").stdout
    with engine.begin() as conn:  # the occurred time is hashed: moving it is tampering
        conn.execute(text("UPDATE audit_events SET occurred_at = at WHERE subject = 'FOC0000T005'"))
    r = cli("audit", "verify", "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["problem"] == "audit_edited"


def test_bench_records_carry_when_the_test_happened(cli, tmp_path) -> None:
    (tmp_path / "r.csv").write_text("serial,model,location,state\nFOC0000T006,C9130AXI,REFURB-IDF,received\n")
    assert cli("devices", "import", str(tmp_path / "r.csv"), "--date", "2025-01-06").exit_code == 0
    r = cli("refurb", "test", "FOC0000T006", "--firmware", "17.9.4", "--date", "10/01/2025 16:00", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(cli("devices", "show", "FOC0000T006", "--json").stdout)
    assert d["history"][-1]["occurred_at"].startswith("2025-01-10T15:00")
    assert d["state_since"].startswith("2025-01-10T15:00")
    r = cli("refurb", "repair", "FOC0000T006", "--action", "x", "--date", "2025-01-08")
    assert r.exit_code == 1  # before the test it follows: refused, no repair recorded
    assert json.loads(cli("devices", "show", "FOC0000T006", "--json").stdout)["state"] == "tested"


def test_as_of_a_date_gives_each_device_where_it_was_even_after_two_moves_that_day(cli, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000T010", "FOC0000T011"])  # deployed on 2024-09-02
    assert cli("move", "--to", "collected", "FOC0000T010", "--date", "10/09/2024 09:00").exit_code == 0
    assert cli("move", "--to", "in_transit", "FOC0000T010", "--date", "10/09/2024 15:00").exit_code == 0
    assert cli("move", "--to", "received", "FOC0000T010", "--at", "REFURB-IDF", "--date", "12/09/2024").exit_code == 0

    def on(day: str) -> dict[str, dict]:  # type: ignore[type-arg]
        r = cli("devices", "list", "--as-of", day, "--json")
        assert r.exit_code == 0, r.output
        return {d["serial"]: d for d in json.loads(r.stdout)}

    assert on("01/09/2024") == {}  # before the import's date: nothing yet
    before = {k: v["state"] for k, v in on("05/09/2024").items()}
    assert before == {"FOC0000T010": "deployed", "FOC0000T011": "deployed"}
    assert on("10/09/2024")["FOC0000T010"]["state"] == "in_transit"  # the second move of the day wins
    assert on("10/09/2024 12:00")["FOC0000T010"]["state"] == "collected"
    later = on("2024-09-13")["FOC0000T010"]
    assert (later["state"], later["location"]) == ("received", "REFURB-IDF")
    assert len(json.loads(cli("devices", "list", "--as-of", "2024-09-13", "--state", "deployed", "--json").stdout)) == 1
    r = cli("devices", "list", "--as-of", "demain", lang="fr")
    assert r.exit_code == 2 and "--as-of" in r.output


def test_lead_times_on_a_hand_made_history(cli, tmp_path) -> None:
    # Three devices, their dates chosen so that each stage's median and maximum are known by hand.
    for serial, days in (("FOC0000L001", (1, 3, 10)), ("FOC0000L002", (2, 5, 20)), ("FOC0000L003", (4, 5, 12))):
        _import(cli, tmp_path, [serial])  # deployed 2024-09-02 (23:59:59 Paris)
        coll, recv, _ = days
        assert cli("move", "--to", "collected", serial, "--date", f"2024-09-{2 + coll:02d}").exit_code == 0
        assert cli("move", "--to", "in_transit", serial, "--date", f"2024-09-{2 + recv:02d}").exit_code == 0
        assert cli("move", "--to", "received", serial, "--at", "REFURB-IDF", "--date",
                   f"2024-09-{2 + recv:02d}").exit_code == 0  # fmt: skip
    r = cli("stats", "lead-times", "--json")
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    first, second = d["stages"][0], d["stages"][1]
    assert (first["from"], first["to"], first["count"]) == ("deployed", "collected", 3)
    assert (first["median_days"], first["max_days"]) == (2.0, 4.0)  # 1, 2, 4 days
    assert (second["median_days"], second["max_days"]) == (2.0, 3.0)  # 3-1=2, 5-2=3, 5-4=1
    assert d["end_to_end"]["count"] == 0  # none installed yet
    assert d["bottleneck"] == {"from": "deployed", "to": "collected", "median_days": 2.0}
    assert {s["serial"] for s in d["stuck"]} >= {"FOC0000L001", "FOC0000L002", "FOC0000L003"}  # received in 2024
    t = json.loads(cli("stats", "throughput", "--by", "month", "--json").stdout)
    sept = next(p for p in t["periods"] if p["period"] == "2024-09")
    assert sept["received"] == 3
    assert cli("stats", "throughput", "--by", "year").exit_code == 2


def test_the_milestones_every_move_keeps_agree_with_the_events(cli, engine, tmp_path) -> None:
    _import(cli, tmp_path, ["FOC0000M001", "FOC0000M002"])
    cli("move", "--to", "collected", "FOC0000M001", "FOC0000M002", "--date", "2024-09-05")
    cli("move", "--to", "in_transit", "FOC0000M001", "--date", "2024-09-06")
    cli("move", "--to", "received", "FOC0000M001", "--at", "REFURB-IDF", "--date", "2024-09-08")
    cli("move", "--to", "lost", "FOC0000M002", "--reason", "volé", "--date", "2024-09-09")
    firsts = ", ".join(f"MIN(CASE WHEN e.to_state = '{s}' THEN e.occurred_at END)"
                       for s in ("deployed", "collected", "received", "ready", "shipped", "installed"))  # fmt: skip
    with engine.connect() as conn:
        from_events = conn.execute(text(f"SELECT d.id, {firsts} FROM devices d JOIN audit_events e ON "
                                        "e.subject = d.serial AND e.subject_type = 'device' GROUP BY d.id "
                                        "ORDER BY d.id")).all()  # fmt: skip
        kept = conn.execute(text("SELECT device_id, deployed, collected, received, ready, shipped, installed "
                                 "FROM device_milestones ORDER BY device_id")).all()  # fmt: skip
    assert [tuple(r) for r in kept] == [tuple(r) for r in from_events] and len(kept) == 2
