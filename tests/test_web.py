"""The web pages (TestClient): every page for every role in French and English, CSRF on
every form, role-aware pages with the matrix enforced on the server, the scan endpoint,
and the impact and report API they use."""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from reemploi.db import make_engine, transaction

pytestmark = pytest.mark.usefixtures("venues")

PASSWORD = "Horse-Battery-Staple-2026"
ROLES = ("admin", "planner", "technician", "csr", "auditor")
RECEIVED = [f"FOC8888R{i:03d}" for i in range(3)]
PAGES = ["/dashboard", "/devices", f"/devices/{RECEIVED[0]}", "/scan", "/install", "/lots", "/sites", "/sites/LP-W1",
         "/plans", "/plans/1", "/report"]  # fmt: skip
# What each page needs (the same permissions as the API's matrix).
NEEDS = {"/scan": "devices:move", "/install": "devices:move"}


@pytest.fixture
def web(api_app):  # type: ignore[no-untyped-def]
    with TestClient(api_app, follow_redirects=False) as client:
        yield client


@pytest.fixture
def programme(cli, tmp_path, role_tokens):  # type: ignore[no-untyped-def]
    """Users per role; devices received at the centre; ready APs; a site with zones; a draft plan 1; a lot."""
    (tmp_path / "r.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in RECEIVED)
    )
    assert cli("devices", "import", str(tmp_path / "r.csv")).exit_code == 0
    ready = [f"FOC8888Y{i:03d}" for i in range(4)]
    (tmp_path / "y.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in ready)
    )
    assert cli("devices", "import", str(tmp_path / "y.csv")).exit_code == 0
    assert cli("refurb", "test", *ready, "--firmware", "17.9.4").exit_code == 0
    assert cli("refurb", "sanitize", *ready, "--method", "reimage", "--verifier", "v").exit_code == 0
    assert cli("move", "--to", "ready", *ready).exit_code == 0
    (tmp_path / "s.csv").write_text("code,name,kind,city,lat,lon,priority\nLP-W1,W1,office,Nantes,47.2,-1.55,1\n")
    (tmp_path / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-W1,z,open_office,300,5\n")
    assert cli("sites", "import", str(tmp_path / "s.csv")).exit_code == 0
    assert cli("zones", "import", str(tmp_path / "z.csv")).exit_code == 0
    assert json.loads(cli("plan", "create", "--json").stdout)["plan"] == 1
    assert cli("lots", "create", "PAL-W1", "--origin", "PAR-BERCY").exit_code == 0
    return {"received": RECEIVED, "ready": ready}


def login(client: TestClient, name: str, lang: str = "en") -> str:
    """Log in through the form; the session's CSRF token (as the page's forms carry it)."""
    page = client.get(f"/login?lang={lang}")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token, "next": "/devices"})
    assert r.status_code == 303 and r.headers["location"] == "/devices"
    return client.cookies["reemploi_csrf"]


# --- login and language


def test_the_root_leads_to_the_dashboard_and_pages_to_the_login(web):
    assert web.get("/").headers["location"] == "/dashboard"
    r = web.get("/devices?state=ready")
    assert r.status_code == 303 and r.headers["location"] == "/login?next=%2Fdevices%3Fstate%3Dready"


def test_an_unknown_page_is_a_page_for_people_and_json_for_scripts(web):
    r = web.get("/nope?lang=fr", headers={"Accept": "text/html,application/xhtml+xml"})
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "Cette page n&#39;existe pas : /nope" in r.text and '<html lang="fr">' in r.text
    r = web.get("/nope", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.json()["error"]["code"] == "route_not_found"
    r = web.get("/api/v1/nope", headers={"Accept": "text/html"})  # the API always answers JSON
    assert r.status_code == 404 and r.json()["error"]["code"] == "route_not_found"
    assert web.get("/static/favicon.svg").status_code == 200
    assert 'rel="icon" href="/static/favicon.svg"' in web.get("/login").text


def test_login_needs_the_right_password_and_the_forms_token(web, role_tokens):
    page = web.get("/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert '<html lang="fr">' in page.text and "Mot de passe" in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = web.post("/login?lang=fr", data={"name": "planner", "password": "nope-nope-nope", "csrf_token": token})
    assert r.status_code == 401 and "Nom ou mot de passe incorrect" in r.text
    assert "reemploi_session" not in web.cookies
    r = web.post("/login?lang=en", data={"name": "planner", "password": PASSWORD, "csrf_token": "forged"})
    assert r.status_code == 403 and "CSRF" in r.text
    form = {"name": "planner", "password": PASSWORD, "csrf_token": token, "next": "//evil.example"}
    r = web.post("/login", data=form)
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"  # never off-site
    assert web.get("/dashboard").status_code == 200


def test_the_language_comes_from_the_switcher_then_sticks(web, role_tokens):
    login(web, "csr")
    r = web.get("/devices?lang=fr")
    assert '<html lang="fr">' in r.text and "Rechercher" in r.text
    assert web.cookies["reemploi_lang"] == "fr"
    assert '<html lang="fr">' in web.get("/devices", headers={"Accept-Language": "en"}).text
    assert "Search (serial" in web.get("/devices?lang=en").text


def test_logout_needs_the_token_and_ends_the_session(web, role_tokens):
    csrf = login(web, "technician")
    assert web.post("/logout", data={}).status_code == 403
    r = web.post("/logout", data={"csrf_token": csrf})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    web.cookies.clear()
    assert web.get("/dashboard").status_code == 303


# --- every page, every role, both languages


def test_every_page_renders_in_french_and_english_for_each_role(web, programme):
    from reemploi.api.authz import allowed

    for role, lang, word in [(r, *lw) for r in ROLES for lw in (("fr", "Équipements"), ("en", "Devices"))]:
        web.cookies.clear()
        login(web, role)
        for path in PAGES:
            r = web.get(f"{path}?lang={lang}")
            if path in NEEDS and not allowed(role, NEEDS[path]):
                assert r.status_code == 403, (role, path)
                assert ("Accès refusé" if lang == "fr" else "Access denied") in r.text
                continue
            assert r.status_code == 200, (role, path, lang, r.text[:500])
            assert f'<html lang="{lang}">' in r.text and word in r.text, (role, path, lang)
            text = re.sub(r"<[^>]+>", "", re.sub(r"(?s)<script.*?</script>", "", r.text))
            assert "web_" not in text, (role, path, lang)  # no untranslated code
            # text written in the template goes through the catalog too (jinja2.ext.i18n)
            assert f'aria-label="{"Menu principal" if lang == "fr" else "Main menu"}"' in r.text, (role, path, lang)


def test_the_login_page_throttles_repeated_failures(web, role_tokens):
    page = web.get("/login?lang=en")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    for _ in range(5):
        r = web.post("/login?lang=en", data={"name": "auditor", "password": "nope-nope-nope", "csrf_token": token})
        assert r.status_code == 401
    r = web.post("/login?lang=en", data={"name": "auditor", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "Too many failed logins: try again in 15 min." in r.text
    assert int(r.headers["Retry-After"]) > 0 and "reemploi_session" not in web.cookies
    r = web.post("/login?lang=fr", data={"name": "auditor", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 429 and "Trop d&#39;échecs de connexion" in r.text
    assert login(web, "planner")  # another account is not held back


def test_pages_show_the_data(web, programme):
    login(web, "admin")
    d = web.get("/dashboard?lang=en").text
    assert "Reuse rate" in d and "tCO2e" in d and "<svg" in d
    assert re.search(r"received</a></td>\s*<td class=\"num\">3</td>", d)
    devices = web.get("/devices?state=ready&lang=en").text
    assert all(s in devices for s in programme["ready"]) and RECEIVED[0] not in devices
    assert RECEIVED[1] in web.get("/devices?q=r001").text
    assert "Model not in the catalog" in web.get("/devices?model=NOPE&lang=en").text
    assert "Unknown device: NOPE123" in web.get("/devices/NOPE123?lang=en").text
    sites = web.get("/sites").text
    assert 'class="map"' in sites and "LP-W1" in sites and 'class="land"' in sites
    plan = web.get("/plans/1?lang=en").text
    assert "Optimal (HiGHS) against greedy" in plan and 'action="/plans/1/approve"' in plan


def test_the_server_computes_the_dashboard_at_start_up(db_url, programme):
    # `reemploi serve` builds the app with warm=True: the first view finds the figures ready.
    from reemploi.api import create_app

    app = create_app(db_url, secret_key="test-secret", warm=True)
    cache = app.state.reemploi_web_dashboard
    assert not cache.live.ready and not cache.impact.ready
    with TestClient(app, follow_redirects=False) as client:
        deadline = time.monotonic() + 60
        while not (cache.live.ready and cache.impact.ready) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cache.live.ready and cache.impact.ready
        assert cache.live._value[2]["counts"]["received"]["indoor_ap"] == 3
        login(client, "admin")
        assert re.search(r"received</a></td>\s*<td class=\"num\">3</td>", client.get("/dashboard?lang=en").text)


def test_the_device_page_names_its_fields_and_flags_in_both_languages(web, programme, cli):
    serial = programme["received"][0]
    assert cli("refurb", "test", serial, "--firmware", "17.3.1").exit_code == 0  # below the 17.9.4 policy
    login(web, "auditor")
    en = web.get(f"/devices/{serial}?lang=en").text
    assert "Firmware 17.3.1 below the programme minimum (17.9.4)" in en
    assert "<b>2.4 GHz radio</b>" in en and "<b>rules version</b>" in en and "state change" in en
    fr = web.get(f"/devices/{serial}?lang=fr").text
    assert "Micrologiciel 17.3.1 sous le minimum du programme (17.9.4)" in fr
    assert "<b>radio 2,4 GHz</b>" in fr and "<b>version des règles</b>" in fr and "changement d&#39;état" in fr
    assert "<b>mise sous tension</b> réussi" in fr and "<b>boîtier</b> bon" in fr and "<b>power on</b> pass" in en
    assert "<b>radio_24</b>" not in en + fr and "rules_version" not in en + fr
    assert cli("move", "--to", "lost", "--reason", "missing at a stock count", RECEIVED[2]).exit_code == 0
    assert "reason: missing at a stock count" in web.get(f"/devices/{RECEIVED[2]}?lang=en").text
    assert "motif : missing at a stock count" in web.get(f"/devices/{RECEIVED[2]}?lang=fr").text


def test_devices_are_paged_with_a_cursor(web, cli, tmp_path, role_tokens):
    serials = [f"FOC8888P{i:03d}" for i in range(60)]
    (tmp_path / "p.csv").write_text("serial,model,location\n" + "".join(f"{s},C9130AXI,PAR-BERCY\n" for s in serials))
    assert cli("devices", "import", str(tmp_path / "p.csv")).exit_code == 0
    login(web, "auditor")
    first = web.get("/devices").text
    assert serials[49] in first and serials[50] not in first
    nxt = re.search(r'href="(/devices\?cursor=[^"]+)"', first).group(1)  # type: ignore[union-attr]
    second = web.get(nxt.replace("&amp;", "&")).text
    assert serials[50] in second and serials[59] in second and serials[0] not in second


# --- roles: hidden actions, and the server refuses them anyway


def test_the_auditor_sees_no_action_and_is_refused_every_post(web, programme):
    csrf = login(web, "auditor")
    nav = web.get("/dashboard").text
    assert 'href="/scan"' not in nav
    for path in ("/plans", "/plans/1", "/lots", "/report"):
        html = web.get(path).text
        assert not re.search(r'<form method="post" action="/(plans|lots|report)', html), path
    posts = [
        ("/plans/1/approve", {}), ("/plans/1/cancel", {}), ("/plans", {"name": "x"}),
        ("/lots/reconcile", {"lot": "PAL-W1", "scanned": RECEIVED[0]}), ("/report", {"format_html": "on"}),
        ("/install", {"serial": RECEIVED[0], "site": "LP-W1"}),
    ]  # fmt: skip
    for path, data in posts:
        r = web.post(path + "?lang=en", data={**data, "csrf_token": csrf})
        assert r.status_code == 403 and "does not allow" in r.text, path
    r = web.post("/scan", json={"text": RECEIVED[0]}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 403
    with transaction(make_engine(web.app.state.reemploi.engine.url.render_as_string(hide_password=False))) as s:
        from reemploi.planning.models import Plan

        assert s.scalar(select(Plan.status).where(Plan.id == 1)) == "draft"


def test_web_forms_refuse_a_missing_or_forged_csrf_token(web, programme):
    login(web, "planner")
    for data in ({}, {"csrf_token": "forged"}):
        r = web.post("/plans/1/approve?lang=fr", data=data)
        assert r.status_code == 403 and "jeton CSRF" in r.text
    r = web.post("/scan", json={"text": RECEIVED[0]})  # the page's script sends X-CSRF-Token
    assert r.status_code == 403


def test_a_planner_approves_a_plan_from_its_page(web, programme):
    csrf = login(web, "planner")
    r = web.post("/plans/1/approve?lang=en", data={"csrf_token": csrf})
    assert r.status_code == 303
    page = web.get(r.headers["location"]).text
    assert "Plan 1 approved: 2 devices reserved." in page and 'action="/plans/1/approve"' not in page
    r = web.post("/plans/1/approve?lang=en", data={"csrf_token": csrf})
    assert r.status_code == 409 and "Plan 1" in r.text  # the domain's refusal, as a page


def test_a_technician_reconciles_a_lot(web, programme, cli):
    assert cli("move", "--to", "collected", "--lot", "PAL-W1", *programme["ready"][:0], RECEIVED[0]).exit_code in (0, 1)
    csrf = login(web, "technician")
    r = web.post("/lots/reconcile?lang=en", data={"csrf_token": csrf, "lot": "PAL-W1",
                                                  "scanned": "NOPE-LOT-1\n"})  # fmt: skip
    assert r.status_code == 200 and "Lot PAL-W1:" in r.text and "NOPE-LOT-1" in r.text


# --- the scan page's endpoint


def test_the_scan_endpoint_reads_serials_and_keys_like_the_terminal(web, programme):
    from reemploi.inventory.service import list_unmatched

    csrf = login(web, "technician")
    h = {"X-CSRF-Token": csrf}
    r = web.post("/scan?lang=en", json={"text": RECEIVED[0].lower()}, headers=h).json()
    assert r["current"] == RECEIVED[0] and r["device"]["state"] == "received"
    assert [c["key"] for c in r["device"]["choices"]] == ["p", "w", "f"]
    r = web.post("/scan?lang=en", json={"text": "f", "current": RECEIVED[0]}, headers=h).json()
    assert r["awaiting_fault"] and "o" in [f["key"] for f in r["device"]["faults"]]
    r = web.post("/scan?lang=en", json={"text": "q", "current": RECEIVED[0], "awaiting_fault": True}, headers=h).json()
    assert r["awaiting_fault"] and r["events"][0]["text"].startswith("Unknown fault; faults: ")  # still choosing
    assert r["device"]["state"] == "received"
    r = web.post("/scan?lang=en", json={"text": "p", "current": RECEIVED[0]}, headers=h).json()
    assert r["device"]["state"] == "tested" and "grade A" in r["events"][0]["text"]
    assert [c["key"] for c in r["device"]["choices"]][0] == "s"
    r = web.post("/scan?lang=fr", json={"text": "z", "current": RECEIVED[0]}, headers=h).json()
    assert r["events"][0]["level"] == "error"
    r = web.post("/scan?lang=en", json={"text": "p"}, headers=h).json()
    assert r["events"][0]["text"] == "Scan a device first."
    r = web.post("/scan?lang=en", json={"text": "GHOST-0001", "current": RECEIVED[0]}, headers=h).json()
    # An unknown code clears the device on screen: a key pressed by reflex next must not test the one before.
    assert r["events"][0]["level"] == "warn" and r["current"] is None and r["device"] is None
    with transaction(web.app.state.reemploi.engine) as s:
        assert "GHOST-0001" in {u["code"] for u in list_unmatched(s)}


def test_the_scan_page_says_which_firmware_it_installed(web, programme):
    csrf = login(web, "technician")
    h, dev = {"X-CSRF-Token": csrf}, RECEIVED[1]
    r = web.post("/scan?lang=en", json={"text": "p", "current": dev, "firmware": "17.3.1"}, headers=h).json()
    assert r["device"]["state"] == "tested" and "17.3.1 below the minimum 17.9.4" in r["device"]["firmware_text"]
    upgrade = next(c for c in r["device"]["choices"] if c["key"] == "u")
    assert upgrade["label"] == "firmware upgraded (enter the version in the firmware field)"
    r = web.post("/scan?lang=en", json={"text": "u", "current": dev, "firmware": "17.9.5"}, headers=h).json()
    assert r["events"][0]["text"] == f"{dev}: firmware 17.9.5 installed"
    assert "firmware_text" not in r["device"]
    r = web.post("/scan?lang=fr", json={"text": dev}, headers=h).json()
    assert not any(c["key"] == "u" for c in r["device"]["choices"])


def test_the_scan_page_moves_each_scan_in_move_mode(web, programme):
    csrf = login(web, "technician")
    h = {"X-CSRF-Token": csrf}
    body = {"mode": "move", "to": "lost", "text": RECEIVED[2], "reason": "fell off the pallet"}
    r = web.post("/scan?lang=en", json=body, headers=h).json()
    assert r["events"] == [{"level": "ok", "text": f"{RECEIVED[2]} → lost"}] and r["device"]["state"] == "lost"
    r = web.post("/scan?lang=en", json={**body, "to": "ready"}, headers=h).json()
    assert r["events"][0]["level"] == "warn" and "refused (lost)" in r["events"][0]["text"]


# --- progress, impact and reports


def test_progress_counts_devices_entering_each_milestone_per_day(programme, session):
    from reemploi.workflow.progress import daily_progress

    rows = daily_progress(session)
    assert len(rows) == 1 and set(rows[0]) == {"day", "received", "tested", "ready", "installed"}
    assert rows[0]["received"] == 7 and rows[0]["tested"] == 4 and rows[0]["ready"] == 4


def test_impact_and_reports_through_the_api(api_client, role_tokens, programme):
    def h(role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {role_tokens[role]}"}

    r = api_client.get("/api/v1/impact?draws=1000", headers=h("auditor"))
    assert r.status_code == 200 and {"reuse_rate", "net_avoided_tco2e"} <= set(r.json())
    assert api_client.post("/api/v1/reports", json={}, headers=h("technician")).status_code == 403
    assert api_client.post("/api/v1/reports", json={"formats": ["doc"]}, headers=h("csr")).status_code == 422
    r = api_client.post("/api/v1/reports", json={"lang": "fr", "formats": ["html"]}, headers=h("csr"))
    assert r.status_code == 202
    job = r.json()["job"]
    for _ in range(600):
        status = api_client.get(f"/api/v1/jobs/{job}", headers=h("csr")).json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
    assert status["result"]["files"] == {"html": f"/api/v1/reports/{job}/html"}
    listed = api_client.get("/api/v1/reports", headers=h("auditor")).json()["items"]
    assert listed[0]["downloads"] == {"html": f"/api/v1/reports/{job}/html"}
    r = api_client.get(f"/api/v1/reports/{job}/html", headers=h("auditor"))  # not the auditor's job, still readable
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html") and "tCO2e" in r.text
    assert api_client.get(f"/api/v1/reports/{job}/pdf", headers=h("auditor")).status_code == 404


def test_a_site_page_shows_its_design_with_a_heatmap_per_floor(web, programme, cli, tmp_path):
    from reemploi.demo.building import Block, office_floor, to_geojson

    floors = [office_floor("R", 0.0, 4.0, Block(30, 20, 8, 6, 2, 4), occupants=30)]
    (tmp_path / "plan.geojson").write_text(json.dumps(to_geojson(floors)))
    assert cli("floors", "import", "LP-W1", str(tmp_path / "plan.geojson")).exit_code == 0
    assert cli("design", "run", "LP-W1", "--time-limit", "10").exit_code == 0
    login(web, "planner")
    fr = web.get("/sites/LP-W1?lang=fr")
    assert fr.status_code == 200
    assert "Conception v1" in fr.text and "conception" in fr.text and "/sites/LP-W1/heatmap.png?floor=R" in fr.text
    png = web.get("/sites/LP-W1/heatmap.png?floor=R&band=5")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert web.get("/sites/LP-W1/heatmap.png?floor=NOPE&band=5").status_code == 400
    nope = web.get("/sites/LP-NOPE?lang=fr", headers={"Accept": "text/html"})
    assert nope.status_code == 404 and "LP-NOPE" in nope.text


def test_an_installer_records_devices_from_the_phone_page(web, programme, cli):  # type: ignore[no-untyped-def]
    assert cli("plan", "approve", "1").exit_code == 0
    code = json.loads(cli("ship", "create", "1", "--json").stdout)[0]["shipment"]
    serials = json.loads(cli("plan", "show", "1", "--devices", "--json").stdout)["assignment"]
    ap = next(r["serial"] for r in serials if r["class"] == "indoor")
    csrf = login(web, "technician", lang="fr")
    page = web.get("/install?site=LP-W1&lang=fr")
    assert page.status_code == 200 and 'name="serial"' in page.text and "LP-W1" in page.text
    r = web.post("/install", data={"serial": ap, "site": "LP-W1", "csrf_token": csrf})
    assert r.status_code == 400 and "expédition" in r.text  # not sent yet: said on the page, the form kept
    assert 'name="serial"' in r.text
    assert cli("ship", "send", code).exit_code == 0
    r = web.post("/install", data={"serial": ap, "site": "LP-AUTRE", "csrf_token": csrf})
    assert r.status_code == 400 and "LP-W1" in r.text
    r = web.post("/install", data={"serial": f"REEMPLOI:D:{ap}", "site": "LP-W1", "position": "Bureau 12",
                                   "csrf_token": csrf})  # fmt: skip
    assert r.status_code == 200 and "installé" in r.text and 'id="install-acceptance"' in r.text
    states = {d["serial"]: d["state"] for d in json.loads(cli("devices", "list", "--json").stdout)}
    assert states[ap] == "installed"
