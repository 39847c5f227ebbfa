"""The report's charts, drawn with matplotlib: SVG for the HTML, PNG for the PDF.

Every chart is a function of the impact result and the language only, and is rendered
with fixed metadata and hash salt so that the same result gives the same files.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Patch, PathPatch, Rectangle  # noqa: E402
from matplotlib.path import Path as MplPath  # noqa: E402

from reemploi import geo  # noqa: E402
from reemploi.impact.report.texts import driver_label, number, percent, tr  # noqa: E402

plt.rcParams.update({"svg.hashsalt": "reemploi", "font.family": "DejaVu Sans", "font.size": 9})
GREEN, RED, BLUE, GREY, ORANGE, DARK = "#2e7d32", "#c62828", "#1565c0", "#9e9e9e", "#ef6c00", "#263238"


def render(fig: Figure, formats: tuple[str, ...]) -> dict[str, bytes]:
    """The figure in each format (``svg``, ``png``), then closed: drawn once, saved as often as needed."""
    out = {}
    for fmt in formats:
        buf = io.BytesIO()
        meta = {"Date": None} if fmt == "svg" else {}
        fig.savefig(buf, format=fmt, dpi=200 if fmt == "png" else None, bbox_inches="tight", metadata=meta)
        out[fmt] = buf.getvalue()
    plt.close(fig)
    return out


# --- Sankey -------------------------------------------------------------------------------


def flow_links(flow: dict[str, dict[str, Any]], lang: str) -> tuple[list[list[str]], list[tuple[str, str, float]]]:
    """Stages (node labels per column) and links (source, target, devices), conserving counts."""
    t: Counter[str] = Counter()
    for g in flow.values():
        t.update({k: v for k, v in g.items() if isinstance(v, int)})
    collected, lost_td, untested = t["collected"], t["lost_at_takedown"], t["awaiting_test"]
    lost_after = max(0, t["lost"] - lost_td)
    stock, installed, at_bench = t["ready"], t["installed"], t["at_bench"]
    eol = t["recycled"] + t["to_recycle"] + t["harvested"]
    tested = collected - lost_after - untested
    n = {k: tr(k, lang) for k in ("taken_down", "collected", "lost_takedown", "tested", "lost", "awaiting_test",
                                  "ready", "end_of_life", "in_process", "installed", "in_stock")}  # fmt: skip
    links = [
        (n["taken_down"], n["collected"], collected), (n["taken_down"], n["lost_takedown"], lost_td),
        (n["collected"], n["tested"], tested), (n["collected"], n["lost"], lost_after),
        (n["collected"], n["awaiting_test"], untested),
        (n["tested"], n["ready"], stock + installed), (n["tested"], n["end_of_life"], eol),
        (n["tested"], n["in_process"], at_bench),
        (n["ready"], n["installed"], installed), (n["ready"], n["in_stock"], stock),
    ]  # fmt: skip
    links = [(a, b, float(v)) for a, b, v in links if v > 0]
    stages = [[n["taken_down"]], [n["collected"], n["lost_takedown"]],
              [n["tested"], n["lost"], n["awaiting_test"]], [n["ready"], n["end_of_life"], n["in_process"]],
              [n["installed"], n["in_stock"]]]  # fmt: skip
    present = {a for a, _, _ in links} | {b for _, b, _ in links}
    return [[x for x in s if x in present] for s in stages], links


NODE_COLOURS = {0: DARK, 1: BLUE, 2: BLUE, 3: GREEN, 4: GREEN}


def sankey(flow: dict[str, dict[str, Any]], lang: str) -> Figure:
    stages, links = flow_links(flow, lang)
    total = max(sum(v for a, _, v in links if a == stages[0][0]), 1.0)
    fig, ax = plt.subplots(figsize=(9, 4.2))
    ax.axis("off")
    gap, width, height = 0.04, 0.018, 0.86
    scale = height / total
    pos: dict[str, tuple[float, float, float]] = {}  # label -> x, y_bottom, h
    bad = {tr("lost_takedown", lang), tr("lost", lang), tr("end_of_life", lang)}
    for i, labels in enumerate(stages):
        x = i / (len(stages) - 1) * (1 - width)
        vals = [max(sum(v for a, _, v in links if a == lab), sum(v for _, b, v in links if b == lab))
                for lab in labels]  # fmt: skip
        y = 1.0 - 0.04
        last_label = 2.0
        for lab, v in zip(labels, vals, strict=True):
            h = v * scale
            y -= h
            pos[lab] = (x, y, h)
            colour = RED if lab in bad else NODE_COLOURS.get(i, BLUE)
            ax.add_patch(Rectangle((x, y), width, h, color=colour))
            ha, tx = ("left", x + width + 0.006) if i < len(stages) - 1 else ("right", x - 0.006)
            # Labels of thin nodes would overlap: keep them at least a label's height apart.
            label_y = min(y + h / 2, last_label - 0.085)
            last_label = label_y
            ax.text(tx, label_y, f"{lab}\n{number(v, lang, 0)}", va="center", ha=ha, fontsize=8)
            y -= gap
    out_off: Counter[str] = Counter()
    in_off: Counter[str] = Counter()
    for a, b, v in links:
        xa, ya, ha_ = pos[a]
        xb, yb, hb = pos[b]
        h = v * scale
        y0 = ya + ha_ - out_off[a] - h
        y1 = yb + hb - in_off[b] - h
        out_off[a] += h
        in_off[b] += h
        x0, x1 = xa + width, xb
        xm = (x0 + x1) / 2
        verts = [(x0, y0), (xm, y0), (xm, y1), (x1, y1), (x1, y1 + h), (xm, y1 + h), (xm, y0 + h), (x0, y0 + h),
                 (x0, y0)]  # fmt: skip
        codes = [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4, MplPath.LINETO, MplPath.CURVE4,
                 MplPath.CURVE4, MplPath.CURVE4, MplPath.CLOSEPOLY]  # fmt: skip
        colour = RED if b in bad else (GREEN if b in (tr("installed", lang), tr("ready", lang)) else BLUE)
        ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=colour, alpha=0.25, lw=0))
    ax.set_xlim(-0.01, 1.01)
    ax.set_ylim(-0.02, 1.0)
    return fig


# --- Map ----------------------------------------------------------------------------------


def flows_by_leg(ledger: Any) -> tuple[Counter[tuple[str, str]], Counter[tuple[str, str]]]:
    collect: Counter[tuple[str, str]] = Counter()
    deliver: Counter[tuple[str, str]] = Counter()
    for v, c, s, n in zip(ledger.venue, ledger.centre, ledger.site, ledger.n, strict=True):
        if v and c:
            collect[(v, c)] += int(n)
        if c and s:
            deliver[(c, s)] += int(n)
    return collect, deliver


def flow_map(ledger: Any, lang: str) -> Figure:
    places = ledger.places
    fig, ax = plt.subplots(figsize=(6.4, 6.4))
    outline = geo.outline()
    for poly in outline.land:
        ax.fill(poly[:, 0], poly[:, 1], facecolor="#eceff1", edgecolor="#b0bec5", lw=0.4, zorder=0)
    for line in outline.borders:
        ax.plot(line[:, 0], line[:, 1], color="#b0bec5", lw=0.5, zorder=0)
    collect, deliver = flows_by_leg(ledger)
    biggest = max([*collect.values(), *deliver.values(), 1])

    def xy(code: str) -> tuple[float, float] | None:
        p = places.get(code)
        if not p or p["lat"] is None or p["lon"] is None:
            return None
        return p["lon"], p["lat"]

    lon0, lat0, lon1, lat1 = geo.FRANCE_BBOX

    def inside(p: tuple[float, float]) -> bool:
        return lon0 <= p[0] <= lon1 and lat0 <= p[1] <= lat1

    for legs, colour in ((collect, ORANGE), (deliver, BLUE)):
        for (a, b), n in sorted(legs.items()):
            pa, pb = xy(a), xy(b)
            if pa and pb and inside(pa) and inside(pb):  # a venue overseas is not drawn off the map
                ax.plot([pa[0], pb[0]], [pa[1], pb[1]], color=colour, alpha=0.5, lw=0.4 + 3.5 * n / biggest, zorder=1)
    received: Counter[str] = Counter()
    for (_, s), n in deliver.items():
        received[s] += n
    for code, n in sorted(received.items()):
        p = xy(code)
        if p:
            ax.scatter(*p, s=8 + 60 * n / max(received.values()), color=BLUE, edgecolor="white", lw=0.4, zorder=3)
    venues = {a for a, _ in collect}
    for code in sorted(venues):
        p = xy(code)
        if p:
            ax.scatter(*p, s=10, color=ORANGE, marker="^", zorder=3)
    for code in sorted({b for _, b in collect} | {a for a, _ in deliver}):
        p = xy(code)
        if p:
            ax.scatter(*p, s=70, color=DARK, marker="s", zorder=4)
    ax.scatter([], [], color=ORANGE, marker="^", label=tr("venues", lang))
    ax.scatter([], [], color=DARK, marker="s", label=tr("centres", lang))
    ax.scatter([], [], color=BLUE, label=tr("sites", lang))
    ax.legend(loc="lower left", fontsize=7, frameon=True)
    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    ax.set_aspect(1 / np.cos(np.radians((lat0 + lat1) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


# --- Waterfall, reuse rate, tornado ---------------------------------------------------------


def waterfall(data: dict[str, Any], lang: str) -> Figure:
    terms = data["terms_tco2e"]
    steps = [("embodied", terms["embodied"]["value"])]
    steps += [(t, -terms[t]["value"]) for t in ("refurbishment", "parts", "packaging", "transport", "use_phase")]
    fig, ax = plt.subplots(figsize=(8, 3.6))
    level = 0.0
    for i, (_name, delta) in enumerate(steps):
        bottom = level if delta >= 0 else level + delta
        ax.bar(i, abs(delta), bottom=bottom, color=GREEN if delta >= 0 else RED, width=0.6)
        shown = 0.0 if abs(delta) < 0.005 else delta  # never "-0.00"
        ax.text(i, max(level, level + delta), number(shown, lang, 2), ha="center", va="bottom", fontsize=7)
        level += delta
    net = data["net_avoided_tco2e"]
    i = len(steps)
    ax.bar(i, net["value"], color=DARK, width=0.6)
    ax.errorbar(i, net["value"], yerr=[[net["value"] - net["p5"]], [net["p95"] - net["value"]]], color=ORANGE,
                capsize=6, lw=1.5)  # fmt: skip
    ax.text(i + 0.35, net["value"], f"{number(net['value'], lang, 1)}\n[{number(net['p5'], lang, 1)} – "
            f"{number(net['p95'], lang, 1)}]", va="center", fontsize=7)  # fmt: skip
    labels = [textwrap.fill(tr(n, lang), 16) for n, _ in steps] + [tr("net", lang)]
    ax.set_xticks(range(len(steps) + 1), labels, fontsize=7)
    ax.set_ylabel("tCO2e")
    ax.axhline(0, color=GREY, lw=0.6)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def reuse_rates(data: dict[str, Any], lang: str) -> Figure:
    fig, ax = plt.subplots(figsize=(7, 2.6))
    rows = []
    for g in ("ap", "switch"):
        r = data["reuse_rate"][g]
        rows += [(f"{tr(g, lang)} – {tr('by_count', lang)}", r["count"], r["target"]),
                 (f"{tr(g, lang)} – {tr('by_mass', lang)}", r["mass"], r["target"]),
                 (f"{tr(g, lang)} – {tr('released', lang)}", r["released"], r["target"])]  # fmt: skip
    for i, (label, value, target) in enumerate(reversed(rows)):
        v = value or 0.0
        judged = tr("released", lang) not in label  # released for reuse is shown, not judged against the target
        ax.barh(i, v, color=(GREEN if v >= target else ORANGE) if judged else BLUE, height=0.6,
                alpha=1.0 if judged else 0.45)  # fmt: skip
        ax.plot([target, target], [i - 0.4, i + 0.4], color=DARK, lw=2)
        ax.text(v + 0.01, i, percent(value, lang), va="center", fontsize=7)
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(rows)], fontsize=7)
    ax.set_xlim(0, 1.12)
    ax.set_xticks([0, 0.25, 0.5, 0.75, 1.0], [percent(x, lang, 0) for x in (0, 0.25, 0.5, 0.75, 1.0)])
    ax.plot([], [], color=DARK, lw=2, label=tr("target", lang))
    ax.legend(loc="lower right", fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def tornado(data: dict[str, Any], lang: str, top: int = 8) -> Figure:
    rows = [s for s in data["sensitivity"] if s["swing"] > 0][:top]
    base = data["net_avoided_tco2e"]["value"]
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(len(rows), 2) + 0.8))
    for i, s in enumerate(reversed(rows)):
        for end, colour in ((s["low"], BLUE), (s["high"], ORANGE)):
            ax.barh(i, end - base, left=base, color=colour, height=0.6)
    ax.axvline(base, color=DARK, lw=1)
    ax.set_yticks(range(len(rows)), [driver_label(s["driver"], lang) for s in reversed(rows)], fontsize=7)
    ax.set_xlabel(f"{tr('net_avoided', lang)} (tCO2e)")
    ax.legend(handles=[Patch(color=BLUE, label=tr("at_p5", lang)), Patch(color=ORANGE, label=tr("at_p95", lang))],
              loc="lower right", fontsize=7)  # fmt: skip
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def all_charts(result: Any, lang: str) -> dict[str, Figure]:
    data = result.data
    return {
        "flow": sankey(data["flow"], lang),
        "map": flow_map(result.ledger, lang),
        "waterfall": waterfall(data, lang),
        "reuse": reuse_rates(data, lang),
        "tornado": tornado(data, lang),
    }
