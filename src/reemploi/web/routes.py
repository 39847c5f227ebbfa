"""The pages: each one parses the request, calls domain services, renders a template.

Authentication is the API's session cookie (``reemploi.api.auth``); a page without a
valid session redirects to the login page. Forms post the session's CSRF token as a
hidden field, checked by the API's own double-submit check; the scan page's script sends
it in ``X-CSRF-Token``. Permissions come from the one matrix, ``reemploi.api.authz``:
the pages hide what a role cannot do, and every POST checks again.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from reemploi import __version__
from reemploi.api.auth import (
    CSRF_COOKIE,
    CSRF_HEADER,
    Principal,
    close_session,
    current_principal,
    new_csrf,
    open_session,
    password_login,
)
from reemploi.api.authz import allowed
from reemploi.api.deps import ApiState
from reemploi.api.errors import ApiError, http_error, request_lang
from reemploi.errors import ReemploiError
from reemploi.i18n import LANGS, MESSAGES, gettext, state_label, t, translations
from reemploi.i18n.formatting import number, percent
from reemploi.workflow.states import State

LANG_COOKIE = "reemploi_lang"
PAGE_SIZE = 50
HERE = Path(str(resources.files("reemploi.web")))

router = APIRouter(include_in_schema=False)


# ---------------------------------------------------------------------------- plumbing


class LoginRequired(Exception):
    pass


class PageError(Exception):
    """An error shown as a page: 403 (role or CSRF) or a domain refusal."""

    def __init__(self, status: int, message: str, who: Principal | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.who = status, message, who


def lang_of(request: Request) -> str:
    """``?lang=``, else the language cookie, else Accept-Language, else English."""
    q = (request.query_params.get("lang") or "").lower()[:2]
    if q in LANGS:
        return q
    c = (request.cookies.get(LANG_COOKIE) or "").lower()[:2]
    return c if c in LANGS else request_lang(request)


def _state(request: Request) -> ApiState:
    return request.app.state.reemploi  # type: ignore[no-any-return]


def fmt(value: Any, lang: str, digits: int = 0) -> str:
    """A number as the language writes it (1 234,5 / 1,234.5)."""
    return number(None if value is None else float(value), lang, digits)


def pct(value: Any, lang: str) -> str:
    return percent(None if value is None else float(value), lang, 1)


def when(value: Any) -> str:
    if not value:
        return ""
    d = datetime.fromisoformat(value) if isinstance(value, str) else value
    return d.strftime("%Y-%m-%d %H:%M")


@pass_context
def _gettext(context: Context, message: str) -> str:
    return gettext(context.get("lang", "en"), message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("lang", "en")).ngettext(singular, plural, n)


@lru_cache(maxsize=1)
def _env() -> Environment:
    """The pages' templates; ``t(code)`` for declared messages, ``_("…")`` / ``{% trans %}`` for
    text written in the template (jinja2.ext.i18n; Babel extracts both into the catalog)."""
    env = Environment(loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"])  # fmt: skip
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals["version"] = __version__
    return env


@dataclass
class Page:
    """What every page knows: who, in which language, with which permissions."""

    request: Request
    who: Principal | None
    lang: str

    def t(self, code: str, **params: Any) -> str:
        return t(code, self.lang, **params)

    def can(self, permission: str) -> bool:
        return self.who is not None and allowed(self.who.role, permission)

    def state_label(self, state: str | None) -> str:
        return state_label(state, self.lang) if state else "–"

    def label(self, prefix: str, key: str) -> str:
        """``prefix + key`` translated when there is such a message, else the key made readable."""
        code = f"{prefix}{key}"
        return self.t(code) if code in MESSAGES else key.replace("_", " ")

    def value(self, key: str, v: Any) -> str:
        """A bench record's value as a reader wants it: yes/no, a decision, a check's outcome, else as is."""
        if v is True or v is False:
            return self.t("web_yes" if v else "web_no")
        if isinstance(v, str):
            code = f"web_decision_{v}" if key == "decision" else f"web_value_{v}"
            if code in MESSAGES:
                return self.t(code)
        return str(v)

    def flag_text(self, flag: dict[str, Any]) -> str:
        code = f"web_flag_{flag.get('flag')}"
        params = {k: v for k, v in flag.items() if k != "flag"}
        return self.t(code, **params) if code in MESSAGES else str(flag.get("flag"))

    def kind_label(self, kind: str) -> str:
        code = "web_kind_switch_one" if kind == "switch" else f"web_kind_{kind}"
        return self.t(code) if code in MESSAGES else kind

    def render(self, template: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        here = self.request.url.path
        params = {k: v for k, v in self.request.query_params.items() if k != "lang"}
        switch = {lg: here + "?" + urlencode({**params, "lang": lg}) for lg in LANGS}
        base = dict(
            p=self, t=self.t, lang=self.lang, who=self.who, can=self.can, fmt=lambda v, d=0: fmt(v, self.lang, d),
            pct=lambda v: pct(v, self.lang), when=when, state_label=self.state_label, kind_label=self.kind_label,
            switch=switch, csrf=self.who.csrf if self.who else "", path=here,
        )  # fmt: skip
        html = _env().get_template(template).render(**(base | ctx))
        resp = HTMLResponse(html, status_code=status)
        if self.request.query_params.get("lang", "")[:2] in LANGS:
            resp.set_cookie(LANG_COOKIE, self.lang, max_age=365 * 86400, samesite="lax", path="/")
        return resp


def page(request: Request, permission: str | None = "session:read") -> Page:
    """The page's caller, or a redirect to the login page; 403 when the role lacks ``permission``."""
    lang = lang_of(request)
    try:
        who = current_principal(request, _state(request))
    except ApiError as exc:
        if exc.status == 401:
            raise LoginRequired() from None
        raise PageError(exc.status, t("web_csrf", lang) if exc.code == "csrf_failed" else exc.code) from None
    p = Page(request, who, lang)
    if permission and not p.can(permission):
        raise PageError(403, p.t("web_forbidden", role=who.role, permission=permission), who)
    return p


async def form_page(request: Request, permission: str) -> tuple[Page, dict[str, str]]:
    """A form post: its fields, once the session's CSRF token in the form passed the API's check."""
    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    token = fields.pop("csrf_token", "")
    # The API's one CSRF check reads the header: give it the form's token as that header.
    headers = [(k, v) for k, v in request.scope["headers"] if k.lower() != CSRF_HEADER.lower().encode()]
    scope = dict(request.scope, headers=[*headers, (CSRF_HEADER.lower().encode(), token.encode())])
    checked = Request(scope, request.receive)
    checked._form = request._form  # type: ignore[attr-defined]  # already read
    p = page(checked, permission)
    p.request = request
    return p, fields


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def mount(app: FastAPI) -> None:
    """Add the pages and the static assets to the API's application."""
    app.state.reemploi_web_dashboard = DashboardCache()
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return see_other("/login?" + urlencode({"next": nxt}))

    @app.exception_handler(StarletteHTTPException)
    async def _no_route(request: Request, exc: StarletteHTTPException) -> Response:
        # A person asking for a page that does not exist gets a page; the API and scripts, JSON.
        path = request.url.path
        wants_page = "text/html" in request.headers.get("accept", "")
        if exc.status_code != 404 or path.startswith("/api/"):
            return http_error(request, exc)
        if not wants_page:
            resp = http_error(request, exc)
        else:
            p = Page(request, None, lang_of(request))
            resp = p.render("error.html", status=404, title=p.t("web_error_title"),
                            message=p.t("web_not_found", path=path[:200]))  # fmt: skip
        resp.headers["Vary"] = "Accept"
        return resp

    @app.exception_handler(PageError)
    async def _error(request: Request, exc: PageError) -> Response:
        p = Page(request, exc.who, lang_of(request))
        title = p.t("web_forbidden_title") if exc.status == 403 else p.t("web_error_title")
        return p.render("error.html", status=exc.status, title=title, message=exc.message)


def domain_error(p: Page, exc: ReemploiError, status: int = 400) -> PageError:
    return PageError(status, p.t(exc.code, **exc.params), p.who)


# ---------------------------------------------------------------------------- login


def _safe_next(nxt: str | None) -> str:
    return nxt if nxt and nxt.startswith("/") and not nxt.startswith("//") else "/dashboard"


@router.get("/")
def home() -> RedirectResponse:
    return see_other("/dashboard")


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> HTMLResponse:
    p = Page(request, None, lang_of(request))
    # A pre-session CSRF token (double submit), so that no other site can log a browser in.
    token = request.cookies.get(CSRF_COOKIE) or new_csrf()
    resp = p.render("login.html", next=_safe_next(next), csrf=token, error=None, name="")
    resp.set_cookie(CSRF_COOKIE, token, samesite="lax", path="/", secure=_state(request).secure_cookies)
    return resp


@router.post("/login")
async def login(request: Request) -> Response:
    from reemploi.accounts.service import AuthenticationFailed
    from reemploi.accounts.throttle import LoginThrottled

    form = {k: str(v) for k, v in (await request.form()).items()}
    p = Page(request, None, lang_of(request))
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not secrets.compare_digest(cookie, form.get("csrf_token", "")):
        raise PageError(403, p.t("web_csrf"))
    api = _state(request)
    name = form.get("name", "")[:120]
    try:
        uid = password_login(api, request, name, form.get("password", ""))[0]  # throttled after failures
    except (AuthenticationFailed, LoginThrottled) as exc:
        throttled = isinstance(exc, LoginThrottled)
        resp = p.render("login.html", status=429 if throttled else 401, next=_safe_next(form.get("next")),
                        csrf=cookie, error=p.t(exc.code, **exc.params) if throttled else p.t("web_login_failed"),
                        name=name)  # fmt: skip
        if throttled:
            resp.headers["Retry-After"] = str(exc.retry_after)  # type: ignore[union-attr]
        return resp
    resp = see_other(_safe_next(form.get("next")))
    open_session(api, resp, uid, new_csrf())
    return resp


@router.post("/logout")
async def logout(request: Request) -> Response:
    await form_page(request, "session:read")
    resp = see_other("/login")
    close_session(resp)
    return resp


# ---------------------------------------------------------------------------- dashboard


class Kept:
    """A figure kept while the audit chain has not moved, and refreshed in the background when it has.

    Reading the chain's head is one indexed row; the figure itself may take seconds on a
    national fleet. Once the chain has moved and the figure is older than ``max_age`` seconds,
    the page is served the figure it has while one thread computes the new one (stale while
    revalidating): no page view waits, but the very first.
    """

    def __init__(self, max_age: float, build: Any) -> None:
        self.max_age, self.build = max_age, build
        self._lock = threading.Lock()
        self._refreshing = threading.Lock()
        self._value: tuple[int, float, Any] | None = None

    def _compute(self, api: ApiState, seq: int) -> tuple[int, float, Any]:
        with api.read() as s:
            value = (seq, time.monotonic(), self.build(s))
        self._value = value
        return value

    def _refresh(self, api: ApiState, seq: int) -> None:
        try:
            self._compute(api, seq)
        except Exception:  # the page keeps its last figure; the next view tries again
            logging.getLogger("reemploi.web").exception("dashboard refresh failed")
        finally:
            self._refreshing.release()

    def fill(self, api: ApiState, seq: int) -> None:
        """Compute the figure now if no view has yet (a view arriving meanwhile waits for this result)."""
        with self._lock:
            if self._value is None:
                self._compute(api, seq)

    @property
    def ready(self) -> bool:
        return self._value is not None

    def get(self, api: ApiState, seq: int) -> tuple[Any, float]:
        """The figure and its age in seconds."""
        v = self._value
        if v is None:  # the first view computes (or waits for the warm-up); the others wait and take its result
            self.fill(api, seq)
            v = self._value
            assert v is not None
        elif v[0] != seq and time.monotonic() - v[1] >= self.max_age and self._refreshing.acquire(blocking=False):
            threading.Thread(target=self._refresh, args=(api, seq), name="reemploi-dashboard", daemon=True).start()
        return v[2], time.monotonic() - v[1]


class DashboardCache:
    """The dashboard's figures. Counts and progress follow the data within seconds; the avoided
    emissions, a Monte Carlo that takes seconds on a national fleet, are recomputed at most once
    a minute while technicians scan. The page dates its figures."""

    def __init__(self, live: float = 2.0, impact: float = 60.0) -> None:
        from reemploi.impact.service import compute
        from reemploi.inventory.service import count_devices
        from reemploi.workflow.progress import daily_progress

        self.live = Kept(live, lambda s: {"counts": count_devices(s), "progress": daily_progress(s)})
        self.impact = Kept(impact, lambda s: compute(s).data)
        self._warming: threading.Thread | None = None

    def warm(self, api: ApiState) -> None:
        """Start computing every figure in one background thread (server start-up)."""
        self._warming = threading.Thread(target=self._warm, args=(api,), name="reemploi-dashboard", daemon=True)
        self._warming.start()

    def _warm(self, api: ApiState) -> None:
        from reemploi.workflow.progress import head_seq

        try:
            with api.read() as s:
                seq = head_seq(s)
            self.live.fill(api, seq)
            self.impact.fill(api, seq)
        except Exception:  # the first view will try again
            logging.getLogger("reemploi.web").warning("dashboard warm-up failed", exc_info=True)

    def stop(self, timeout: float = 60.0) -> None:
        """Wait for the warm-up, if any, before the database goes away (server shutdown)."""
        if self._warming is not None:
            self._warming.join(timeout)

    def get(self, api: ApiState, with_impact: bool) -> dict[str, Any]:
        from reemploi.workflow.progress import head_seq

        with api.read() as s:
            seq = head_seq(s)
        out, age = self.live.get(api, seq)
        impact, impact_age = self.impact.get(api, seq) if with_impact else (None, 0.0)
        at = datetime.now(UTC) - timedelta(seconds=max(age, impact_age))
        return {**out, "impact": impact, "at": at.strftime("%Y-%m-%d %H:%M:%S")}


@router.get("/dashboard")
def dashboard(request: Request) -> HTMLResponse:
    from reemploi.web.svg import progress_chart
    from reemploi.workflow.progress import MILESTONES

    p = page(request, "devices:read")
    data = request.app.state.reemploi_web_dashboard.get(_state(request), p.can("impact:read"))
    counts = data["counts"]
    kinds = sorted({k for by_kind in counts.values() for k in by_kind})
    order = [st.value for st in State if st.value in counts]
    rows = [(st, [counts[st].get(k, 0) for k in kinds], sum(counts[st].values())) for st in order]
    totals = [sum(counts[st].get(k, 0) for st in order) for k in kinds]
    series = [(m.value, p.state_label(m.value)) for m in MILESTONES]
    chart = progress_chart(data["progress"], series, p.t("web_dash_no_progress"))
    impact = data["impact"]
    return p.render("dashboard.html", rows=rows, kinds=kinds, totals=totals, impact=impact, chart=chart,
                    as_of=data["at"])  # fmt: skip


# ---------------------------------------------------------------------------- devices


FILTERS = ("q", "state", "kind", "location", "lot", "model")


@router.get("/devices")
def devices(request: Request) -> HTMLResponse:
    from reemploi.api.devices import decode_cursor, encode_cursor
    from reemploi.inventory.service import count_devices, list_devices_page

    p = page(request, "devices:read")
    f = {k: (request.query_params.get(k) or "").strip()[:120] for k in FILTERS}
    state = f["state"] if f["state"] in State.__members__.values() else ""
    f["state"] = state
    try:
        after = decode_cursor(request.query_params.get("cursor"))
    except ApiError:
        after = 0
    api = _state(request)
    error = None
    items: list[dict[str, Any]] = []
    nxt = None
    with api.read() as s:
        kinds = sorted({k for by_kind in count_devices(s).values() for k in by_kind})
        try:
            items, last = list_devices_page(
                s, state=State(state) if state else None, model=f["model"] or None, kind=f["kind"] or None,
                location=f["location"] or None, lot=f["lot"] or None, q=f["q"] or None, after_id=after,
                limit=PAGE_SIZE,
            )  # fmt: skip
            nxt = encode_cursor(last) if last is not None else None
        except ReemploiError as exc:
            error = p.t(exc.code, **exc.params)
    base = {k: v for k, v in f.items() if v}
    next_url = "/devices?" + urlencode({**base, "cursor": nxt}) if nxt else None
    first_url = "/devices?" + urlencode(base) if after else None
    return p.render("devices.html", f=f, items=items, kinds=kinds, states=[s.value for s in State],
                    next_url=next_url, first_url=first_url, error=error)  # fmt: skip


@router.get("/devices/{serial}")
def device(request: Request, serial: str) -> HTMLResponse:
    from reemploi.inventory.service import device_timeline

    p = page(request, "devices:read")
    try:
        with _state(request).read() as s:
            d = device_timeline(s, serial[:200])
    except ReemploiError as exc:
        raise domain_error(p, exc, 404) from None
    return p.render("device.html", d=d)


# ---------------------------------------------------------------------------- scan


@router.get("/scan")
def scan_page(request: Request) -> HTMLResponse:
    from reemploi.inventory.service import list_locations

    p = page(request, "devices:move")
    with _state(request).read() as s:
        locations = [loc["code"] for loc in list_locations(s)]
    labels = {
        **{f"scan_action_{a}": p.t(f"scan_action_{a}", version="{version}") for a in _actions()},
        **{f"scan_fault_{f}": p.t(f"scan_fault_{f}") for f in _faults()},
        **{f"state_{st.value}": p.state_label(st.value) for st in State},
        **{k: p.t(k) for k in ("web_scan_waiting", "web_scan_next", "web_scan_faults", "web_scan_keys_help")},
    }
    return p.render("scan.html", states=[st.value for st in State], locations=locations, labels=labels)


def _actions() -> list[str]:
    from reemploi.refurb.bench import Action

    return [a.value for a in Action]


def _faults() -> list[str]:
    from reemploi.refurb.bench import Fault

    return [f.value for f in Fault]


class ScanIn(BaseModel):
    text: str = Field(max_length=300)
    current: str | None = Field(None, max_length=200)
    awaiting_fault: bool = False
    mode: str = Field("bench", pattern="^(bench|move)$")
    to: State | None = None
    location: str | None = Field(None, max_length=40)
    reason: str | None = Field(None, max_length=500)
    firmware: str | None = Field(None, max_length=60)


@router.post("/scan")
def scan(request: Request, body: ScanIn) -> JSONResponse:
    """One scanned or typed line, as the terminal ``reemploi scan`` reads it (``reemploi.refurb.bench``)."""
    lang = lang_of(request)
    try:
        who = current_principal(request, _state(request))  # checks X-CSRF-Token for a session
    except ApiError as exc:
        return JSONResponse({"error": t(exc.code, lang, **exc.params)}, status_code=exc.status)
    need = ("devices:move",) if body.mode == "move" else ("devices:move", "records:write")
    for perm in need:
        if not allowed(who.role, perm):
            msg = t("web_forbidden", lang, role=who.role, permission=perm)
            return JSONResponse({"error": msg}, status_code=403)
    from reemploi.web.bench import bench_line, move_line

    api = _state(request)
    try:
        if body.mode == "move":
            out = move_line(api, who, lang, body.text, body.to, body.location, body.reason)
        else:
            out = bench_line(api, who, lang, body.text, body.current, body.awaiting_fault, body.firmware)
    except ReemploiError as exc:
        out = {"events": [{"level": "error", "text": t(exc.code, lang, **exc.params)}], "device": None}
    return JSONResponse(out)


# ---------------------------------------------------------------------------- installation


def _install_sites(session: Any) -> list[str]:
    """Sites with devices on their way under a plan in force: where an installer can be."""
    from sqlalchemy import select

    from reemploi.inventory.models import Location
    from reemploi.planning.models import Plan, PlanDevice, PlanStatus, Site

    q = (select(Location.code).join(Site, Site.location_id == Location.id)
         .join(PlanDevice, PlanDevice.site_id == Site.id).join(Plan, Plan.id == PlanDevice.plan_id)
         .where(Plan.status.in_((PlanStatus.APPROVED.value, PlanStatus.EXECUTED.value))).distinct()
         .order_by(Location.code))  # fmt: skip
    return list(session.scalars(q))


def _install_render(p: Page, api: Any, form: dict[str, str], result: dict[str, Any] | None,
                    error: str | None) -> HTMLResponse:  # fmt: skip
    from reemploi.planning.shipments import acceptance

    site = (form.get("site") or "").strip().upper()
    with api.read() as s:
        sites = _install_sites(s)
        acc = acceptance(s, site) if site in sites else None
    return p.render("install.html", sites=sites, form=form, result=result, error=error, acc=acc,
                    status=400 if error else 200)  # fmt: skip


@router.get("/install")
def install_page(request: Request, site: str = "") -> HTMLResponse:
    """The installer's page (phone-sized): the site, then each device's label scanned at its position."""
    p = page(request, "devices:move")
    return _install_render(p, _state(request), {"site": site[:40]}, None, None)


@router.post("/install")
async def install_post(request: Request) -> HTMLResponse:
    from reemploi.planning.install import install_at
    from reemploi.workflow.service import LABEL_PREFIX

    p, form = await form_page(request, "devices:move")
    serial = (form.get("serial") or "").strip()[:200]
    if serial.upper().startswith(LABEL_PREFIX):
        serial = serial[len(LABEL_PREFIX):]
    api = _state(request)
    result, error = None, None
    try:
        with api.write() as s:
            result = install_at(s, serial, (form.get("position") or "").strip()[:120] or None,
                                site=(form.get("site") or "").strip()[:40] or None, swap=form.get("swap") == "on",
                                actor=p.who.name if p.who else "web")  # fmt: skip
    except ReemploiError as exc:
        error = p.t(exc.code, **exc.params)
    return _install_render(p, api, {"site": form.get("site", "")[:40]}, result, error)


# ---------------------------------------------------------------------------- lots


@router.get("/lots")
def lots(request: Request) -> HTMLResponse:
    from reemploi.workflow.lots import list_lots

    p = page(request, "lots:read")
    with _state(request).read() as s:
        items = list_lots(s)
    return p.render("lots.html", items=items, result=None, form={})


@router.post("/lots/reconcile")
async def reconcile(request: Request) -> HTMLResponse:
    from reemploi.workflow.lots import list_lots
    from reemploi.workflow.lots import reconcile as run
    from reemploi.workflow.service import split_scans

    p, form = await form_page(request, "lots:reconcile")
    scanned = split_scans(form.get("scanned", "").splitlines())  # several serials a line, as a scanner pastes
    api = _state(request)
    try:
        with api.write() as s:
            r = run(
                s, form.get("lot", "")[:60], scanned, actor=p.who.name if p.who else "web",
                receive_at=(form.get("receive_at") or "").strip()[:40] or None,
                mark_missing_lost=form.get("mark_missing_lost") == "on",
            )  # fmt: skip
    except ReemploiError as exc:
        raise domain_error(p, exc) from None
    with api.read() as s:
        items = list_lots(s)
    return p.render("lots.html", items=items, result=r, form=form)


# ---------------------------------------------------------------------------- sites


@router.get("/sites")
def sites(request: Request) -> HTMLResponse:
    from reemploi.planning.service import list_sites
    from reemploi.planning.service import needs_with_switches as compute_needs
    from reemploi.web.svg import france_map

    p = page(request, "sites:read")
    with _state(request).read() as s:
        site_rows = list_sites(s)
        needs = compute_needs(s, lang=p.lang)
    per_site: dict[str, int] = {}
    for n in needs:
        if n["class"] != "switch":  # the map and its total count APs
            per_site[n["site"]] = per_site.get(n["site"], 0) + int(n["count"])
    dots = [
        {"code": x["code"], "lat": x["lat"], "lon": x["lon"], "need": per_site.get(x["code"], 0),
         "priority": x["priority"], "label": f"{x['code']} — {x['name']} ({x['city'] or ''}): "
         f"{per_site.get(x['code'], 0)}"}
        for x in site_rows
    ]  # fmt: skip
    svg = france_map(dots, p.t("web_map_caption"))
    by_site: dict[str, list[dict[str, Any]]] = {}
    for n in needs:
        by_site.setdefault(n["site"], []).append(n)
    return p.render("sites.html", sites=site_rows, by_site=by_site, svg=svg, per_site=per_site,
                    total=sum(per_site.values()))  # fmt: skip


@router.get("/sites/{code}")
def site_page(request: Request, code: str) -> HTMLResponse:
    """One site: its needs, its floor plans and its latest design with a heatmap per floor."""
    from reemploi.design.service import latest_design, list_floors
    from reemploi.planning.design import site_of
    from reemploi.planning.service import list_sites
    from reemploi.planning.service import needs_with_switches as compute_needs

    p = page(request, "sites:read")
    with _state(request).read() as s:
        try:
            site = site_of(s, code)
        except ReemploiError as exc:
            raise domain_error(p, exc, 404) from None
        info = next(x for x in list_sites(s) if x["code"] == code.strip().upper())
        needs = [n for n in compute_needs(s, lang=p.lang) if n["site"] == info["code"]]
        floors = list_floors(s, site.id)
        design = latest_design(s, site.id)
    return p.render("site.html", site=info, needs=needs, floors=floors, design=design)


@router.get("/sites/{code}/heatmap.png")
def site_heatmap(request: Request, code: str, floor: str, band: str = "5") -> Response:
    from reemploi.planning.design import heatmap_bytes

    p = page(request, "sites:read")
    with _state(request).read() as s:
        try:
            png = heatmap_bytes(s, code, floor, band, lang=p.lang)
        except ReemploiError as exc:
            raise domain_error(p, exc) from None
    return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=300"})


# ---------------------------------------------------------------------------- plans


def _job_view(p: Page, job_id: str | None) -> dict[str, Any] | None:
    if not job_id:
        return None
    job = _state(p.request).jobs.get(job_id[:64])
    if job is None or p.who is None or (job.owner != p.who.name and p.who.role != "admin"):
        return None
    return job.as_dict(p.lang)


@router.get("/plans")
def plans(request: Request, job: str | None = None) -> HTMLResponse:
    from reemploi.planning.plans import list_plans

    p = page(request, "plans:read")
    with _state(request).read() as s:
        items = list_plans(s)
    return p.render("plans.html", items=list(reversed(items)), job=_job_view(p, job))


@router.post("/plans")
async def new_plan(request: Request) -> Response:
    from reemploi.planning.allocation import create_plan
    from reemploi.planning.plans import as_dict

    p, form = await form_page(request, "plans:create")
    api, actor = _state(request), p.who.name if p.who else "web"
    name = (form.get("name") or "").strip()[:120] or None

    def run(progress: Any) -> dict[str, Any]:
        with api.write() as s:
            return as_dict(s, create_plan(s, name=name, actor=actor, time_limit=60.0, progress=progress))

    job = api.jobs.submit("plan_create", actor, run)
    return see_other(f"/plans?job={job.id}")


@router.get("/plans/{plan_id}")
def plan(request: Request, plan_id: int, done: str | None = None) -> HTMLResponse:
    from reemploi.planning.plans import as_dict, get_plan

    p = page(request, "plans:read")
    try:
        with _state(request).read() as s:
            d = as_dict(s, get_plan(s, plan_id))
    except ReemploiError as exc:
        raise domain_error(p, exc, 404) from None
    return p.render("plan.html", d=d, done=done)


@router.post("/plans/{plan_id}/{action}")
async def plan_action(request: Request, plan_id: int, action: str) -> Response:
    from reemploi.planning.plans import approve, cancel

    p, _ = await form_page(request, "plans:approve")
    if action not in ("approve", "cancel"):
        raise PageError(404, p.t("not_found"))
    try:
        with _state(request).write() as s:
            pl, n = (approve if action == "approve" else cancel)(s, plan_id, actor=p.who.name if p.who else "web")
    except ReemploiError as exc:
        raise domain_error(p, exc, 409) from None
    msg = (p.t("web_plan_approved", plan=pl.id, reserved=n) if action == "approve"
           else p.t("web_plan_cancelled", plan=pl.id, released=n))  # fmt: skip
    return see_other(f"/plans/{pl.id}?" + urlencode({"done": msg}))


# ---------------------------------------------------------------------------- report


@router.get("/report")
def report(request: Request) -> HTMLResponse:
    from reemploi.api.impact import report_jobs

    p = page(request, "reports:read")
    jobs = [j.as_dict(p.lang) | {"downloads": {f: f"/api/v1/reports/{j.id}/{f}" for f in j.file_names}}
            for j in report_jobs(_state(request))]  # fmt: skip
    busy = any(j["status"] in ("queued", "running") for j in jobs)
    return p.render("report.html", jobs=jobs, busy=busy, error=request.query_params.get("error"))


@router.post("/report")
async def make_report(request: Request) -> Response:
    from reemploi.api.impact import FORMATS, submit_report

    p, form = await form_page(request, "reports:create")
    lang = form.get("report_lang") if form.get("report_lang") in LANGS else p.lang
    formats = [f for f in FORMATS if form.get(f"format_{f}") == "on"] or list(FORMATS)
    assert p.who is not None
    try:
        submit_report(_state(request), p.who, lang, formats)
    except ApiError as exc:
        return see_other("/report?" + urlencode({"error": p.t(exc.code, **exc.params)}))
    return see_other("/report")
