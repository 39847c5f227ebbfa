"""The web UI in a real browser: Playwright driving Debian's Chromium against a live server.

A uvicorn server runs in a thread on a free loopback port, on its own SQLite database
seeded through the CLI: one user per role, devices received at the refurbishment centre,
an executed plan (so the impact is not zero) and a draft one, a lot. The tests log in,
scan three devices and watch their state change, approve the draft plan, download the
report, and save a screenshot of every page in French and English to
``bench/out/screenshots/``. Never downloads a browser: without ``/usr/bin/chromium``
the tests skip, unless ``REEMPLOI_REQUIRE_BROWSER=1`` (CI), where that is a failure.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[1] / "bench" / "out" / "screenshots"
PASSWORD = "Horse-Battery-Staple-2026"
ROLES = ("admin", "planner", "technician", "csr", "auditor")
SCANNED = [f"FOC7777B{i:03d}" for i in range(3)]


def _why_not() -> str | None:
    if os.environ.get("REEMPLOI_TEST_DATABASE_URL", "").startswith("postgres"):
        return "browser tests run once, in the SQLite suite (the pages read through the same services)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is absent (apt-get install -y chromium); set REEMPLOI_REQUIRE_BROWSER=1 to fail instead"
    return None


_reason = _why_not()
_on_postgres = os.environ.get("REEMPLOI_TEST_DATABASE_URL", "").startswith("postgres")
if _reason and os.environ.get("REEMPLOI_REQUIRE_BROWSER") == "1" and not _on_postgres:
    raise RuntimeError(f"REEMPLOI_REQUIRE_BROWSER=1 but {_reason}")
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def seed(cli, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """Users per role; an executed plan with installed APs; a draft plan; devices to scan; a lot."""
    from conftest import VENUES_CSV

    assert cli("locations", "import", str(VENUES_CSV), "--kind", "venue").exit_code == 0
    assert cli("locations", "import", str(Path(__file__).parent / "data" / "centres.csv")).exit_code == 0
    for role in ROLES:
        assert cli("users", "create", role, "--role", role, "--password", PASSWORD).exit_code == 0

    def ready(serials: list[str], name: str) -> None:
        (tmp / name).write_text(
            "serial,model,location,state\n" + "".join(f"{s},C9130AXI,REFURB-IDF,received\n" for s in serials)
        )
        assert cli("devices", "import", str(tmp / name)).exit_code == 0
        assert cli("refurb", "test", *serials, "--firmware", "17.9.4").exit_code == 0
        assert cli("refurb", "sanitize", *serials, "--method", "reimage", "--verifier", "v").exit_code == 0
        assert cli("move", "--to", "ready", *serials).exit_code == 0

    ready([f"FOC7777A{i:03d}" for i in range(8)], "first.csv")
    (tmp / "s.csv").write_text(
        "code,name,kind,city,lat,lon,priority\nLP-LYS,Lyon Part-Dieu,office,Lyon,45.76,4.86,1\n"
        "LP-NTE,Nantes MDI,office,Nantes,47.22,-1.55,2\nLP-LIL,Lille Flandres,office,Lille,50.64,3.07,3\n"
    )
    (tmp / "z.csv").write_text("site,zone,environment,area_m2,occupants\nLP-LYS,open space,open_office,4000,40\n")
    assert cli("sites", "import", str(tmp / "s.csv")).exit_code == 0
    assert cli("zones", "import", str(tmp / "z.csv")).exit_code == 0
    plan = json.loads(cli("plan", "create", "--json").stdout)["plan"]
    assert cli("plan", "approve", str(plan)).exit_code == 0
    for ship in json.loads(cli("ship", "create", str(plan), "--json").stdout):
        assert cli("ship", "send", ship["shipment"]).exit_code == 0
        assert cli("ship", "install", ship["shipment"]).exit_code == 0
        assert cli("ship", "in-service", ship["shipment"]).exit_code == 0  # the plan is then executed
    ready([f"FOC7777C{i:03d}" for i in range(6)], "second.csv")
    (tmp / "z2.csv").write_text(
        "site,zone,environment,area_m2,occupants\nLP-NTE,plateau,open_office,2000,20\nLP-LIL,hall,open_office,1500,10\n"
    )
    assert cli("zones", "import", str(tmp / "z2.csv")).exit_code == 0
    assert cli("plan", "create", "--name", "Nantes & Lille").exit_code == 0  # a draft, to approve in the browser
    (tmp / "scan.csv").write_text(
        "serial,model,location,state\n" + "".join(f"{s},C9120AXI,REFURB-IDF,received\n" for s in SCANNED)
    )
    assert cli("devices", "import", str(tmp / "scan.csv")).exit_code == 0
    (tmp / "lot.csv").write_text(
        "serial,model,location\n" + "".join(f"FOC7777L{i:03d},C9130AXI,PAR-BERCY\n" for i in range(4))
    )
    assert cli("devices", "import", str(tmp / "lot.csv")).exit_code == 0
    assert cli("lots", "create", "PAL-WEB-1", "--origin", "PAR-BERCY", "--seal", "S-42").exit_code == 0
    lot = [f"FOC7777L{i:03d}" for i in range(4)]
    assert cli("move", "--to", "collected", "--lot", "PAL-WEB-1", *lot).exit_code == 0


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from conftest import Cli
    from reemploi.api import create_app
    from reemploi.catalog.service import load_default
    from reemploi.db import make_engine, migrate, session_factory

    tmp = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp / 'web.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with session_factory(engine)() as s:
        load_default(s)
        s.commit()
    engine.dispose()
    seed(Cli(url), tmp)
    port = _free_port()
    app = create_app(url, secret_key="browser-test")
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    assert srv.started, "the server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(30)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def _page(browser, server: str, lang: str = "en", width: int = 1280, height: int = 860):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(
        base_url=server, locale="fr-FR" if lang == "fr" else "en-GB", viewport={"width": width, "height": height},
        accept_downloads=True,
    )  # fmt: skip
    ctx.set_default_timeout(15_000)
    return ctx, ctx.new_page()


def login(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_login_is_refused_with_a_wrong_password_then_accepted(browser, server):
    ctx, page = _page(browser, server, "fr")
    page.goto("/")
    assert "/login" in page.url
    page.fill("input[name=name]", "technician")
    page.fill("input[name=password]", "wrong-password-1")
    page.click("button[type=submit]")
    assert page.locator(".alert.error").inner_text().startswith("Nom ou mot de passe incorrect")
    login(page, "technician")
    assert page.locator(".user").inner_text().startswith("technician")
    page.click("text=Se déconnecter")
    page.wait_for_url("**/login")
    ctx.close()


def test_a_technician_scans_three_devices_and_sees_their_state_change(browser, server):
    ctx, page = _page(browser, server, "en", width=1024, height=768)  # a warehouse tablet
    login(page, "technician")
    page.goto("/scan")
    box = page.locator("#scan-input")
    assert box.evaluate("el => el === document.activeElement")  # a scanner types into it at once
    for serial in SCANNED:
        page.keyboard.type(serial)  # a keyboard-wedge scanner: characters, then Enter
        page.keyboard.press("Enter")
        if serial == SCANNED[-1]:  # a quick hand: the key right after the scan, before any answer
            page.keyboard.type("p")
            page.keyboard.press("Enter")
            page.wait_for_selector(f"#current-serial:text('{serial}')")
            page.wait_for_selector("#current-state[data-state=tested]")
            continue
        page.wait_for_selector(f"#current-serial:text('{serial}')")
        assert page.locator("#current-state").get_attribute("data-state") == "received"
        if serial == SCANNED[0]:
            shot(page, "scan-device-tablet-en")  # the next keys, as big buttons
        page.keyboard.type("p")
        page.keyboard.press("Enter")
        page.wait_for_selector("#current-state[data-state=tested]")
        assert box.evaluate("el => el === document.activeElement")  # the focus stays for the next scan
    page.keyboard.type("NOSUCH-SCAN-1")
    page.keyboard.press("Enter")
    page.wait_for_selector(".scan-log li.warn:has-text('NOSUCH-SCAN-1')")
    assert page.locator("#current-serial").count() == 0  # no device is current any more
    page.keyboard.type("p")  # a key pressed by reflex acts on nothing
    page.keyboard.press("Enter")
    page.wait_for_selector(".scan-log li.error:has-text('Scan a device first.')")
    shot(page, "scan-tablet-en")
    for serial in SCANNED:  # the device page shows the new state and the test in its timeline
        page.goto(f"/devices/{serial}")
        assert page.locator("h1 .badge").inner_text() == "tested"
        assert page.locator(".timeline .tl-test").count() == 1
    ctx.close()


def test_a_planner_approves_the_draft_plan(browser, server):
    ctx, page = _page(browser, server, "fr")
    login(page, "planner")
    page.goto("/plans")
    page.click("a:has-text('Nantes & Lille')")
    assert page.locator("h1 .badge").inner_text() == "brouillon"
    assert page.locator("table.compare").count() == 1  # optimal against greedy
    page.click("#approve")
    page.wait_for_selector(".alert.ok")
    assert "approuvé" in page.locator(".alert.ok").inner_text()
    assert page.locator("h1 .badge").inner_text() == "approuvé"
    assert page.locator("#approve").count() == 0
    ctx.close()


def test_a_csr_officer_generates_and_downloads_the_report(browser, server):
    ctx, page = _page(browser, server, "en")
    login(page, "csr")
    page.goto("/report")
    page.uncheck("input[name=format_pdf]")  # HTML and XLSX: quicker, the PDF is tested in test_impact
    page.click("#generate")
    page.wait_for_selector("#reports a:has-text('HTML')", timeout=120_000)
    with page.expect_download() as dl:
        page.click("#reports a:has-text('HTML')")
    path = dl.value.path()
    assert dl.value.suggested_filename == "impact-report-en.html"
    assert "tCO2e" in Path(path).read_text(encoding="utf-8")
    ctx.close()
    ctx, page = _page(browser, server, "fr")
    login(page, "auditor")  # the auditor reads and downloads, but cannot generate
    page.goto("/report")
    assert page.locator("#generate").count() == 0
    assert page.locator("#reports a:has-text('XLSX')").count() >= 1
    ctx.close()


def test_an_installer_records_a_device_from_a_phone(browser, server):
    ctx, page = _page(browser, server, "fr", width=390, height=844)  # a phone, held upright
    login(page, "technician")
    page.goto("/install?site=LP-LYS")
    assert page.locator("input[name=serial]").evaluate("el => el === document.activeElement")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width  # no sideways scrolling on a phone
    assert page.locator("select[name=site] option").all_inner_texts() == ["LP-LYS"]  # sites with a plan in force
    page.fill("input[name=serial]", "FOC7777Z999")
    page.click("#install-form button[type=submit]")
    page.wait_for_selector("#install-error")
    assert "FOC7777Z999" in page.locator("#install-error").inner_text()  # said on the page, the form kept
    page.fill("input[name=serial]", "REEMPLOI:D:FOC7777A000")  # the label's QR code, as a scanner types it
    page.fill("input[name=position]", "Bureau 12")
    page.click("#install-form button[type=submit]")
    page.wait_for_selector("#install-result")
    assert "Bureau 12" in page.locator("#install-result").inner_text()
    assert page.locator("#install-acceptance").count() == 1
    shot(page, "install-phone-fr")
    ctx.close()


PAGES = ["/dashboard", "/devices", "/devices/FOC7777A000", "/scan", "/install", "/lots", "/sites", "/plans",
         "/plans/1", "/plans/2", "/report"]  # fmt: skip


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_renders_and_is_saved_as_a_screenshot(browser, server, lang):
    ctx, page = _page(browser, server, lang)
    page.goto("/login")
    shot(page, f"login-{lang}")
    login(page, "admin")
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for path in PAGES:
        r = page.goto(path)
        assert r is not None and r.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        if path == "/dashboard":  # figures are refreshed in the background after a change: show the new ones
            page.wait_for_timeout(1500)
            page.reload()
        if path == "/scan":  # with a device on screen
            page.keyboard.type("FOC7777C000")
            page.keyboard.press("Enter")
            page.wait_for_selector("#current-serial")
        name = path.strip("/").replace("/", "-") or "home"
        shot(page, f"{name}-{lang}")
    page.goto("/devices?q=7777c&kind=indoor_ap")
    assert page.locator("#devices tbody tr").count() == 6
    shot(page, f"devices-filtered-{lang}")
    page.goto("/lots")
    page.fill("textarea[name=scanned]", "FOC7777L000\nFOC7777L001\nFOC7777L002\nUNKNOWN-99")
    page.click("button:has-text('Rapprocher'), button:has-text('Reconcile')")
    page.wait_for_selector("#reconcile-result")
    shot(page, f"lots-reconciled-{lang}")
    ctx.close()
    ctx, page = _page(browser, server, lang)
    login(page, "auditor")
    page.goto("/plans/2")
    assert page.locator("form[action$='/approve'], form[action$='/cancel']").count() == 0
    shot(page, f"plan-auditor-{lang}")
    ctx.close()
    assert not errors
