"""Locations import: the Paris 2024 venues as is, kinds, attributes, rejects."""

from __future__ import annotations

import json

import pytest

from conftest import SHARED, VENUES_CSV


def test_venues_import_as_is_with_kind_venue(cli):
    r = cli("locations", "import", str(VENUES_CSV), "--kind", "venue", "--json")
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["created"] == res["rows"] == 42 and res["rejected"] == 0
    locs = {loc["code"]: loc for loc in json.loads(cli("locations", "list", "--json").stdout)}
    bercy = locs["PAR-BERCY"]
    assert bercy["kind"] == "venue" and bercy["city"] == "Paris" and abs(bercy["lat"] - 48.83863) < 1e-9
    assert bercy["attributes"]["games"] == "olympic+paralympic"
    again = json.loads(cli("locations", "import", str(VENUES_CSV), "--kind", "venue", "--json").stdout)
    assert again["unchanged"] == 42


def test_shipped_venues_match_the_shared_facts():
    shared = SHARED / "facts" / "paris2024-venues.csv"
    if not shared.is_file():
        pytest.skip("../shared is not beside the project")
    assert shared.read_bytes() == VENUES_CSV.read_bytes()


def test_bad_rows_are_rejected_with_reasons(cli, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text(
        "code;name;kind;city;lat;lon;floor\n"
        "WH-1;Entrepôt;warehouse;Lyon;45,76;4,83;2\n"
        "WH-2;Entrepôt 2;;Lyon;45.7;4.8;\n"
        "WH-3;Entrepôt 3;castle;Lyon;45.7;4.8;\n"
        "WH-4;Entrepôt 4;warehouse;Lyon;145.7;4.8;\n"
        ";Sans code;warehouse;Lyon;;;\n"
        "WH-1;Doublon;warehouse;Lyon;;;\n"
    )
    r = cli("locations", "import", str(path), "--json")
    res = json.loads(r.stdout)
    assert r.exit_code == 1 and res["created"] == 1 and res["rejected"] == 5
    text = (tmp_path / "l.rejects.csv").read_text(encoding="utf-8-sig")
    for word in ("kind is empty", "castle", "145.7", "code is empty", "line 2"):
        assert word in text
    loc = json.loads(cli("locations", "list", "--kind", "warehouse", "--json").stdout)[0]
    assert loc["lat"] == 45.76 and loc["attributes"] == {"floor": "2"}


def test_unknown_kind_option_is_an_error(cli):
    r = cli("locations", "import", str(VENUES_CSV), "--kind", "stadium")
    assert r.exit_code == 2 and "venue" in r.output


def test_location_changes_are_audited_and_a_short_file_erases_nothing(cli, tmp_path):
    assert cli("locations", "import", str(VENUES_CSV), "--kind", "venue").exit_code == 0
    (tmp_path / "k.csv").write_text("code,name,kind\nPAR-BERCY,Arena Bercy,warehouse\n")
    r = cli("locations", "import", str(tmp_path / "k.csv"), "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["updated"] == 1
    bercy = next(x for x in json.loads(cli("locations", "list", "--json").stdout) if x["code"] == "PAR-BERCY")
    assert bercy["kind"] == "warehouse" and bercy["city"] == "Paris" and bercy["lat"] == pytest.approx(48.83863)
    assert bercy["attributes"]["sports"].startswith("basketball")  # the short file had no such columns
    events = json.loads(cli("audit", "log", "par-bercy", "--location", "--json").stdout)
    assert [e["action"] for e in events] == ["create", "update"]
    assert events[0]["data"]["kind"] == "venue" and events[1]["data"] == {"kind": ["venue", "warehouse"]}
    assert events[1]["actor"] == "tester"
    assert cli("audit", "verify").exit_code == 0
    assert cli("audit", "log", "NOWHERE", "--location").exit_code == 3
