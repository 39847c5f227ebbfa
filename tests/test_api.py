"""The HTTP API: authentication, devices and moves, errors, sessions with CSRF, jobs, the CLI for accounts."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from reemploi.db import make_engine, transaction
from reemploi.inventory.importer import import_devices
from reemploi.workflow.audit import verify
from reemploi.workflow.models import AuditEvent

pytestmark = pytest.mark.usefixtures("venues")

SERIALS = [f"FOC5555A{i:03d}" for i in range(12)]


@pytest.fixture
def fleet(db_url, tmp_path):
    """Twelve deployed APs at Bercy (ten C9130AXI, two C9120AXI)."""
    path = tmp_path / "fleet.csv"
    rows = "".join(f"{s},{'C9120AXI' if i >= 10 else 'C9130AXI'},PAR-BERCY\n" for i, s in enumerate(SERIALS))
    path.write_text("serial,model,location\n" + rows)
    engine = make_engine(db_url)
    with transaction(engine) as s:
        assert import_devices(s, path, actor="setup").created == len(SERIALS)
    engine.dispose()
    return SERIALS


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- authentication and errors


def test_health_needs_no_authentication(api_client):
    r = api_client.get("/api/v1/health")
    assert r.status_code == 200 and r.json()["status"] == "ok"


def test_no_credentials_is_401_as_json_in_the_callers_language(api_client):
    r = api_client.get("/api/v1/devices", headers={"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"})
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "auth_required"
    assert "Authentification requise" in r.json()["error"]["message"]
    r = api_client.get("/api/v1/devices?lang=en", headers={"Accept-Language": "fr"})
    assert r.json()["error"]["message"].startswith("Authentication required")


def test_wrong_revoked_or_disabled_tokens_are_refused(api_client, role_tokens, cli):
    assert api_client.get("/api/v1/devices", headers=bearer("rmp_nope")).status_code == 401
    assert api_client.get("/api/v1/devices", headers={"Authorization": "Basic eDp5"}).status_code == 401
    tok = role_tokens["technician"]
    assert api_client.get("/api/v1/devices", headers=bearer(tok)).status_code == 200
    assert cli("tokens", "revoke", tok[:12]).exit_code == 0
    assert api_client.get("/api/v1/devices", headers=bearer(tok)).status_code == 401
    planner = role_tokens["planner"]
    assert cli("users", "disable", "planner").exit_code == 0
    r = api_client.get("/api/v1/devices", headers=bearer(planner))
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth_failed"


def test_errors_have_one_json_shape(api_client, role_tokens):
    h = bearer(role_tokens["admin"])
    r = api_client.get("/api/v1/nowhere", headers=h)
    assert r.status_code == 404 and r.json()["error"]["code"] == "route_not_found"
    r = api_client.get("/api/v1/devices?limit=0&lang=fr", headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert r.json()["error"]["message"].startswith("Requête invalide")
    r = api_client.get("/api/v1/devices?cursor=%%%", headers=h)
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_cursor"
    r = api_client.get("/api/v1/devices/NOPE123", headers=h)
    assert r.status_code == 404 and r.json()["error"] == {
        "code": "unknown_device",
        "message": "Unknown device: NOPE123",
    }
    r = api_client.delete("/api/v1/devices", headers=h)
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


# --- devices


def test_devices_are_listed_with_filters_and_a_cursor(api_client, role_tokens, fleet):
    h = bearer(role_tokens["auditor"])
    seen, cursor = [], None
    while True:
        r = api_client.get("/api/v1/devices", params={"limit": 5, **({"cursor": cursor} if cursor else {})}, headers=h)
        assert r.status_code == 200
        body = r.json()
        seen += [d["serial"] for d in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == fleet  # every device once, in creation order
    r = api_client.get("/api/v1/devices", params={"model": "C9120AXI"}, headers=h)
    assert [d["serial"] for d in r.json()["items"]] == fleet[10:]
    r = api_client.get("/api/v1/devices", params={"q": "a011", "state": "deployed", "location": "par-bercy"}, headers=h)
    assert [d["serial"] for d in r.json()["items"]] == ["FOC5555A011"]
    r = api_client.get("/api/v1/devices", params={"state": "ready"}, headers=h)
    assert r.json() == {"items": [], "next_cursor": None}
    r = api_client.get("/api/v1/devices", params={"kind": "indoor_ap", "limit": 1}, headers=h)
    assert len(r.json()["items"]) == 1 and r.json()["next_cursor"]


def test_device_page_has_a_timeline(api_client, role_tokens, fleet):
    h = bearer(role_tokens["technician"])
    assert api_client.post(f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected"}, headers=h).status_code == 200
    d = api_client.get(f"/api/v1/devices/{fleet[0].lower()}", headers=h).json()
    assert d["state"] == "collected"
    assert [(e["action"], e["to_state"]) for e in d["timeline"]] == [
        ("create", "deployed"),
        ("transition", "collected"),
    ]


def test_a_move_records_the_authenticated_user(api_client, role_tokens, fleet, engine):
    r = api_client.post(
        f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected", "reason": "take-down"},
        headers=bearer(role_tokens["technician"]),
    )  # fmt: skip
    assert r.status_code == 200
    assert r.json() == {"moved": True, "serial": fleet[0], "state": "collected"}
    with engine.connect() as conn:
        actor, data = conn.execute(
            select(AuditEvent.actor, AuditEvent.data)
            .where(AuditEvent.subject == fleet[0])
            .order_by(AuditEvent.seq.desc())
        ).first()
    assert actor == "technician" and "take-down" in data


def test_a_refused_move_is_409_with_the_current_state(api_client, role_tokens, fleet):
    r = api_client.post(
        f"/api/v1/devices/{fleet[0]}/move", json={"to": "ready"}, headers=bearer(role_tokens["technician"])
    )
    assert r.status_code == 409
    err = r.json()["error"]
    assert err["code"] == "move_refused" and err["reason_code"].startswith("transition_not")
    assert err["current"]["state"] == "deployed"
    assert "deployed" in err["message"] and err["message"].count(fleet[0]) == 1  # the serial, once


def test_a_move_confirms_its_caller_in_its_own_transaction(api_app, api_client, role_tokens, fleet, cli, engine):
    # The move route answers from the caller it last saw; the move writer confirms the caller
    # again in the move's transaction, so revoking or disabling still takes effect at once.
    from reemploi.accounts.models import ApiToken

    tok = role_tokens["technician"]
    move = "/api/v1/devices/{}/move"
    assert api_client.post(move.format(fleet[0]), json={"to": "collected"}, headers=bearer(tok)).status_code == 200
    with engine.connect() as conn:
        assert conn.execute(select(ApiToken.last_used).where(ApiToken.prefix == tok[:12])).scalar() is not None
    assert cli("tokens", "revoke", tok[:12]).exit_code == 0
    r = api_client.post(move.format(fleet[1]), json={"to": "collected"}, headers=bearer(tok))
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth_failed"
    r = api_client.post("/api/v1/session", json={"name": "technician", "password": "Horse-Battery-Staple-2026"})
    csrf = {"X-CSRF-Token": r.json()["csrf_token"]}
    assert api_client.post(move.format(fleet[1]), json={"to": "collected"}, headers=csrf).status_code == 200
    assert cli("users", "disable", "technician").exit_code == 0
    r = api_client.post(move.format(fleet[2]), json={"to": "collected"}, headers=csrf)
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth_required"
    r = api_client.post(move.format(fleet[2]), json={"to": "collected"})  # no CSRF token: the account comes first
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth_required"
    api_client.cookies.clear()
    # Refused credentials are forgotten at once (the next try reads the database again).
    from reemploi.api.auth import Credentials

    assert api_app.state.reemploi.principals.get(Credentials("token", token=tok)) is None
    for _ in range(2):  # read fresh, then remembered: refused both times, before the body is read
        r = api_client.post(move.format(fleet[3]), json={"to": "nowhere"}, headers=bearer(role_tokens["auditor"]))
        assert r.status_code == 403 and r.json()["error"]["code"] == "forbidden"
    states = {d["serial"]: d["state"] for d in
              api_client.get("/api/v1/devices", headers=bearer(role_tokens["admin"])).json()["items"]}  # fmt: skip
    assert [states[s] for s in fleet[:4]] == ["collected", "collected", "deployed", "deployed"]


def test_an_unknown_serial_is_404_and_kept_as_an_unmatched_scan(api_client, role_tokens, cli):
    r = api_client.post("/api/v1/devices/XYZ999/move", json={"to": "collected"}, headers=bearer(role_tokens["admin"]))
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_device"
    assert "XYZ999" in cli("scans", "unmatched").output


def test_bulk_move_reports_each_serial(api_client, role_tokens, fleet):
    h = bearer(role_tokens["technician"])
    api_client.post(f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected"}, headers=h)
    r = api_client.post(
        "/api/v1/devices/move", json={"serials": [*fleet[:3], "NOSUCH1"], "to": "collected", "lot": None}, headers=h
    )
    body = r.json()
    assert r.status_code == 200
    assert body["moved"] == fleet[1:3] and body["unknown"] == ["NOSUCH1"]
    assert [(x["serial"], x["state"], x["code"]) for x in body["refused"]] == [
        (fleet[0], "collected", "transition_not_allowed")
    ]


def test_two_moves_of_one_device_at_once_one_wins_the_other_gets_409(api_app, role_tokens, fleet, engine):
    from fastapi.testclient import TestClient

    tok = role_tokens["technician"]
    results: dict[str, list[tuple[int, dict]]] = {s: [] for s in fleet}
    barrier = threading.Barrier(2)

    def worker() -> None:
        client = TestClient(api_app)  # no lifespan per client: the app outlives both
        for serial in fleet:
            barrier.wait()
            r = client.post(f"/api/v1/devices/{serial}/move", json={"to": "collected"}, headers=bearer(tok))
            results[serial].append((r.status_code, r.json()))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for serial, got in results.items():
        assert sorted(code for code, _ in got) == [200, 409], (serial, got)
        loser = next(body for code, body in got if code == 409)
        assert loser["error"]["current"]["state"] == "collected"
    with transaction(engine, write=False) as s:
        assert verify(s).ok
        moves = s.scalars(select(AuditEvent.subject).where(AuditEvent.action == "transition")).all()
    assert sorted(moves) == sorted(fleet)  # one event per device: none lost, none twice


# --- sessions


def test_browser_session_with_cookie_and_csrf(api_client, role_tokens, fleet):
    r = api_client.post("/api/v1/session", json={"name": "technician", "password": "wrong-password"})
    assert r.status_code == 401 and r.json()["error"]["code"] == "auth_failed"
    r = api_client.post("/api/v1/session", json={"name": "technician", "password": "Horse-Battery-Staple-2026"})
    assert r.status_code == 200
    csrf = r.json()["csrf_token"]
    cookie = r.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("reemploi_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    assert api_client.get("/api/v1/session").json()["name"] == "technician"
    assert api_client.get("/api/v1/devices").status_code == 200
    r = api_client.post(f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "csrf_failed"
    r = api_client.post(f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected"}, headers={"X-CSRF-Token": "x"})
    assert r.status_code == 403
    r = api_client.post(f"/api/v1/devices/{fleet[0]}/move", json={"to": "collected"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 200
    assert api_client.delete("/api/v1/session", headers={"X-CSRF-Token": csrf}).status_code == 200
    api_client.cookies.clear()
    assert api_client.get("/api/v1/devices").status_code == 401


def test_repeated_failed_logins_are_throttled(api_client, role_tokens):
    for _ in range(5):
        r = api_client.post("/api/v1/session", json={"name": "planner", "password": "wrong-password"})
        assert r.status_code == 401
    r = api_client.post("/api/v1/session?lang=fr", json={"name": "planner", "password": "Horse-Battery-Staple-2026"})
    assert r.status_code == 429 and r.json()["error"]["code"] == "login_throttled"
    assert r.json()["error"]["message"] == "Trop d'échecs de connexion : réessayez dans 15 min."
    assert 890 <= int(r.headers["Retry-After"]) <= 900
    assert "reemploi_session" not in api_client.cookies
    # Another account from the same client, and tokens, are not held back.
    r = api_client.post("/api/v1/session", json={"name": "csr", "password": "Horse-Battery-Staple-2026"})
    assert r.status_code == 200
    assert api_client.get("/api/v1/devices", headers=bearer(role_tokens["planner"])).status_code == 200


def test_a_forged_session_cookie_is_refused(api_client):
    api_client.cookies.set("reemploi_session", "eyJ1IjoxLCJjIjoieCJ9.forged.sig")
    assert api_client.get("/api/v1/devices").status_code == 401


# --- reference data, lots, audit, planning


def test_reference_lists_answer(api_client, role_tokens, fleet):
    h = bearer(role_tokens["csr"])
    assert any(m["model"] == "C9130AXI" for m in api_client.get("/api/v1/catalog", headers=h).json()["items"])
    locs = api_client.get("/api/v1/locations", params={"kind": "site"}, headers=h).json()["items"]
    assert [loc["code"] for loc in locs] == ["LP-NTE-MDI"]
    for path in (
        "/api/v1/lots",
        "/api/v1/sites",
        "/api/v1/needs",
        "/api/v1/plans",
        "/api/v1/shipments",
        "/api/v1/jobs",
    ):
        r = api_client.get(path, headers=h)
        assert r.status_code == 200 and isinstance(r.json()["items"], list), path


def test_lot_reconciliation(api_client, role_tokens, fleet, cli):
    assert cli("lots", "create", "PAL-1", "--origin", "PAR-BERCY").exit_code == 0
    assert cli("lots", "add", "PAL-1", *fleet[:3]).exit_code == 0
    r = api_client.post(
        "/api/v1/lots/pal-1/reconcile", json={"scanned": [fleet[0], fleet[1], fleet[5], "GHOST1"]},
        headers=bearer(role_tokens["technician"]),
    )  # fmt: skip
    assert r.status_code == 200
    body = r.json()
    assert (body["matched"], body["missing"], body["unknown"]) == (fleet[:2], [fleet[2]], ["GHOST1"])
    assert body["unexpected"] == [{"serial": fleet[5], "lot": None}]


def test_audit_log_pages_and_verify(api_client, role_tokens, fleet):
    h = bearer(role_tokens["auditor"])
    seen, cursor = [], None
    while True:  # pages of 10, oldest first, until the cursor runs out
        r = api_client.get("/api/v1/audit", params={"limit": 10, **({"cursor": cursor} if cursor else {})}, headers=h)
        items = r.json()["items"]
        assert len(items) == 10 or r.json()["next_cursor"] is None
        seen += items
        cursor = r.json()["next_cursor"]
        if cursor is None:
            break
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))
    assert len([e for e in seen if e["subject_type"] != "location"]) == 12  # the fleet's; the venues' come first
    r = api_client.get("/api/v1/audit", params={"subject": fleet[3]}, headers=h)
    assert [e["subject"] for e in r.json()["items"]] == [fleet[3]]
    v = api_client.get("/api/v1/audit/verify?lang=fr", headers=h).json()
    assert v["ok"] and v["events"] == len(seen) and v["head"] in v["message"]


def wait_job(client, job_id: str, headers: dict[str, str]) -> dict:
    for _ in range(1200):  # up to a minute: a loaded CI machine is slow
        job = client.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_plan_creation_runs_as_a_job(api_client, role_tokens, fleet):
    h = bearer(role_tokens["planner"])
    r = api_client.post("/api/v1/plans", json={"name": "first"}, headers=h)
    assert r.status_code == 202 and r.headers["location"] == f"/api/v1/jobs/{r.json()['job']}"
    job = wait_job(api_client, r.json()["job"], h)
    assert job["status"] == "done", job
    assert job["owner"] == "planner" and job["steps"][0] == "reading stock and needs"
    plan = job["result"]
    assert plan["name"] == "first" and plan["status"] == "draft"
    # Another user does not see the planner's job; an admin does.
    assert api_client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(role_tokens["csr"])).status_code == 404
    assert api_client.get(f"/api/v1/jobs/{job['id']}", headers=bearer(role_tokens["admin"])).status_code == 200
    shown = api_client.get(f"/api/v1/plans/{plan['plan']}", headers=h).json()
    assert shown["plan"] == plan["plan"]
    # Nothing was ready, so the plan assigns nothing: approving it is refused (409), cancelling works.
    r = api_client.post(f"/api/v1/plans/{plan['plan']}/approve", headers=h)
    assert r.status_code == 409
    r = api_client.post(f"/api/v1/plans/{plan['plan']}/cancel", headers=h)
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert api_client.get("/api/v1/plans/999", headers=h).json()["error"]["code"] == "unknown_plan"


# --- user administration, API and CLI


def test_admin_manages_users_and_tokens_over_the_api(api_client, role_tokens):
    h = bearer(role_tokens["admin"])
    r = api_client.post("/api/v1/users", json={"name": "zoe", "role": "technician", "password": "short"}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "password_short"
    r = api_client.post(
        "/api/v1/users", json={"name": "zoe", "role": "technician", "password": "Quiet-Meadow-Lamp-7"}, headers=h
    )
    assert r.status_code == 201 and r.json()["role"] == "technician"
    again = api_client.post("/api/v1/users", json={"name": "zoe", "role": "csr"}, headers=h)
    assert again.status_code == 409 and again.json()["error"]["code"] == "user_exists"
    tok = api_client.post("/api/v1/users/zoe/tokens", headers=h).json()["token"]
    assert api_client.get("/api/v1/session", headers=bearer(tok)).json()["name"] == "zoe"
    assert api_client.post("/api/v1/users/zoe/disable", headers=h).json()["disabled"] is True
    assert api_client.get("/api/v1/session", headers=bearer(tok)).status_code == 401
    assert {u["name"] for u in api_client.get("/api/v1/users", headers=h).json()["items"]} >= {"zoe", "admin"}


def test_cli_users_and_tokens(cli):
    r = cli("users", "create", "alice", "--role", "planner", "--password", "Green-Paper-Kite-42")
    assert r.exit_code == 0, r.output
    assert cli("users", "create", "alice", "--role", "planner", "--password", "Green-Paper-Kite-42").exit_code == 4
    assert cli("users", "create", "bob", "--role", "boss", "--password", "Green-Paper-Kite-42").exit_code == 2
    assert cli("users", "create", "bob", "--role", "csr", "--password", "").exit_code == 2
    assert cli("users", "create", "bob", "--role", "csr", "--password", "bobbobbobbob").exit_code == 2
    r = cli("users", "create", "bob", "--role", "csr", input="Blue-River-Stone-8\nBlue-River-Stone-9\n")
    assert r.exit_code == 2 and "differ" in r.output
    r = cli("users", "create", "bob", "--role", "csr", input="Blue-River-Stone-8\nBlue-River-Stone-8\n")
    assert r.exit_code == 0 and "Blue-River" not in r.output
    import json

    users = json.loads(cli("users", "list", "--json").output)
    assert [(u["name"], u["role"], u["disabled"]) for u in users] == [
        ("alice", "planner", False),
        ("bob", "csr", False),
    ]
    issued = json.loads(cli("tokens", "create", "alice", "--json").output)
    assert issued["token"].startswith("rmp_") and issued["prefix"] == issued["token"][:12]
    listed = cli("tokens", "list").output
    assert issued["prefix"] in listed and issued["token"] not in listed
    assert cli("tokens", "revoke", str(issued["id"])).exit_code == 0
    assert cli("tokens", "revoke", "rmp_nothere").exit_code == 3
    assert cli("users", "disable", "alice").exit_code == 0
    assert json.loads(cli("users", "list", "--json").output)[0]["disabled"] is True
    assert cli("tokens", "create", "alice").exit_code == 4


# --- bench records and imports


def test_bench_records_through_the_api(api_client, role_tokens, fleet, cli):
    h = bearer(role_tokens["technician"])
    a, b = fleet[0], fleet[1]
    for to, extra in (("collected", {}), ("in_transit", {}), ("received", {"location": "REFURB-IDF"})):
        r = api_client.post("/api/v1/devices/move", json={"serials": [a, b], "to": to, **extra}, headers=h)
        assert r.json()["moved"] == [a, b], r.json()
    r = api_client.post(f"/api/v1/devices/{a}/tests", json={"casing": "worn"}, headers=h)
    assert r.status_code == 200, r.text
    assert (r.json()["state"], r.json()["grade"], r.json()["decision"]) == ("tested", "B", "reuse")
    assert api_client.post(f"/api/v1/devices/{a}/tests", json={"casing": "damaged"}, headers=h).status_code == 422
    r = api_client.post(
        f"/api/v1/devices/{a}/sanitizations", json={"method": "config_erase_verify", "passed": True, "verifier": "eve"},
        headers=h,
    )  # fmt: skip
    assert r.status_code == 200 and r.json()["state"] == "sanitized", r.text
    r = api_client.post(f"/api/v1/devices/{a}/upgrades", json={"to_version": "17.12.4"}, headers=h)
    assert r.status_code == 200, r.text
    # A device not yet tested cannot be repaired: 409 with its state.
    r = api_client.post(f"/api/v1/devices/{b}/repairs", json={"action": "new radio"}, headers=h)
    assert r.status_code == 409 and r.json()["error"]["current"]["state"] == "received"
    assert api_client.post(f"/api/v1/devices/{b}/tests", json={"power_on": "fail"}, headers=h).status_code == 200
    r = api_client.post(
        "/api/v1/devices/move", json={"serials": [b], "to": "to_recycle", "reason": "no power"}, headers=h
    )
    assert r.json()["moved"] == [b], r.json()
    r = api_client.post(
        f"/api/v1/devices/{b}/disposals", json={"recycler": "REC-IDF", "reference": "BSD-42"}, headers=h
    )
    assert r.status_code == 200 and r.json()["state"] == "recycled", r.text
    timeline = api_client.get(f"/api/v1/devices/{a}", headers=h).json()["timeline"]
    assert {"test", "sanitization", "upgrade", "audit"} <= {i["type"] for i in timeline}
    assert api_client.post(f"/api/v1/devices/{a}/tests", json={}, headers=bearer(role_tokens["csr"])).status_code == 403


def test_device_import_runs_as_a_job_with_its_rejects(api_client, role_tokens):
    h = bearer(role_tokens["technician"])
    csv = "numéro de série;modèle;site\nFOC7777X001;C9130AXI;PAR-BERCY\nFOC7777X002;NOPE-MODEL;PAR-BERCY\n"
    r = api_client.post(
        "/api/v1/imports/devices", files={"file": ("terrain.csv", csv.encode("cp1252"), "text/csv")}, headers=h
    )
    assert r.status_code == 202, r.text
    job = wait_job(api_client, r.json()["job"], h)
    assert job["status"] == "done", job
    assert (job["result"]["created"], job["result"]["rejected"]) == (1, 1)
    rejects = api_client.get(job["files"]["rejects"], headers=h)
    assert rejects.status_code == 200 and "FOC7777X002" in rejects.text
    assert api_client.get("/api/v1/devices/FOC7777X001", headers=h).json()["state"] == "deployed"
    r = api_client.post("/api/v1/imports/devices", files={"file": ("x.pdf", b"%PDF", "application/pdf")}, headers=h)
    assert r.status_code == 422 and r.json()["error"]["code"] == "export_format"


def test_group_commit_gives_each_request_its_own_outcome(api_app, fleet, engine):
    from reemploi.api.moves import MoveRequest, _Pending, apply
    from reemploi.workflow.states import State

    api = api_app.state.reemploi
    with api.write() as s:
        outs = apply(
            s,
            [MoveRequest(fleet[0], State.COLLECTED, "ann"), MoveRequest(fleet[0].lower(), State.COLLECTED, "bob"),
             MoveRequest(fleet[1], State.COLLECTED, "bob"), MoveRequest("NOPE1", State.COLLECTED, "bob")],
        )  # fmt: skip
    assert [(o.moved, o.unknown) for o in outs] == [(True, False), (False, False), (True, False), (False, True)]
    assert outs[1].refusal is not None and outs[1].current["state"] == "collected"
    # A request that fails the whole batch (unknown location) is retried alone: the others still move.
    batch = [_Pending(MoveRequest(fleet[2], State.COLLECTED, "ann")),
             _Pending(MoveRequest(fleet[3], State.COLLECTED, "ann", location="NOWHERE")),
             _Pending(MoveRequest(fleet[4], State.COLLECTED, "bob"))]  # fmt: skip
    api.moves._run(batch)
    assert batch[0].future.result().moved and batch[2].future.result().moved
    assert batch[1].future.exception().code == "unknown_location"
    with engine.connect() as conn:
        actors = dict(
            conn.execute(select(AuditEvent.subject, AuditEvent.actor).where(AuditEvent.action == "transition")).all()
        )
    assert actors == {fleet[0]: "ann", fleet[1]: "bob", fleet[2]: "ann", fleet[4]: "bob"}


def test_serve_factory_reads_the_environment(db_url, role_tokens, monkeypatch):
    from fastapi.testclient import TestClient

    from reemploi.api.app import app_from_env

    monkeypatch.setenv("REEMPLOI_DATABASE_URL", db_url)
    monkeypatch.setenv("REEMPLOI_SECURE_COOKIES", "1")
    with TestClient(app_from_env(), base_url="https://testserver") as client:
        r = client.post("/api/v1/session", json={"name": "csr", "password": "Horse-Battery-Staple-2026"})
        assert r.status_code == 200
        assert all("Secure" in c for c in r.headers.get_list("set-cookie"))
