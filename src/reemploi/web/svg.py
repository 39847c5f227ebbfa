"""Inline SVG drawn on the server: the France map with site needs, and the progress chart.

Presentation only: the inputs are plain rows from the domain services.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from functools import lru_cache
from html import escape
from typing import Any

from reemploi.geo import FRANCE_BBOX, outline

MAP_W = 640
_LON0, _LAT0, _LON1, _LAT1 = FRANCE_BBOX
_KX = math.cos(math.radians((_LAT0 + _LAT1) / 2))  # equirectangular, true to scale at mid latitude
_SCALE = MAP_W / ((_LON1 - _LON0) * _KX)
MAP_H = round((_LAT1 - _LAT0) * _SCALE)


def project(lon: float, lat: float) -> tuple[float, float]:
    return (lon - _LON0) * _KX * _SCALE, (_LAT1 - lat) * _SCALE


@lru_cache(maxsize=1)
def _background() -> str:
    o = outline()

    def path(points: Any, close: bool) -> str:
        xy = [project(float(x), float(y)) for x, y in points]
        d = "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy)
        return d + ("Z" if close else "")

    land = "".join(path(p, True) for p in o.land)
    borders = "".join(path(b, False) for b in o.borders)
    return f'<path class="land" d="{land}"/><path class="border" d="{borders}"/>'


def france_map(sites: list[dict[str, Any]], title: str) -> str:
    """The map: one disc per site with coordinates, area proportional to ``need``; ``label`` as tooltip."""
    biggest = max([s["need"] for s in sites] or [1]) or 1
    dots = []
    for s in sorted(sites, key=lambda s: -s["need"]):  # small discs drawn last, on top
        if s.get("lat") is None or s.get("lon") is None:
            continue
        x, y = project(float(s["lon"]), float(s["lat"]))
        r = 3 + 14 * math.sqrt(s["need"] / biggest)
        cls = "site" if s["need"] else "site empty"
        dots.append(
            f'<a href="#site-{escape(s["code"])}"><circle class="{cls} p{int(s.get("priority") or 3)}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}"><title>{escape(s["label"])}</title></circle></a>'
        )
    return (
        f'<svg class="map" viewBox="0 0 {MAP_W} {MAP_H}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><rect class="sea" width="{MAP_W}" height="{MAP_H}"/>'
        f"{_background()}{''.join(dots)}</svg>"
    )


def progress_chart(rows: list[dict[str, Any]], series: list[tuple[str, str]], empty: str) -> str:
    """Cumulative lines, one per ``(key, label)`` of ``series``, over the days of ``rows`` (gaps filled)."""
    if not rows:
        return f'<p class="muted">{escape(empty)}</p>'
    # From zero the day before the first event, so that even one day of work shows as a rise.
    first, last = date.fromisoformat(rows[0]["day"]) - timedelta(1), date.fromisoformat(rows[-1]["day"])
    days = [first + timedelta(d) for d in range((last - first).days + 1)]
    by_day = {r["day"]: r for r in rows}
    totals = {k: 0 for k, _ in series}
    cum: dict[str, list[int]] = {k: [] for k, _ in series}
    for d in days:
        r = by_day.get(d.isoformat(), {})
        for k, _ in series:
            totals[k] += int(r.get(k, 0))
            cum[k].append(totals[k])
    w, h, left, bottom, top, right = 640, 220, 48, 28, 10, 130
    top_value = max(max(v) for v in cum.values()) or 1
    n = max(len(days) - 1, 1)

    def xy(i: int, v: int) -> str:
        return f"{left + (w - left - right) * i / n:.1f},{top + (h - top - bottom) * (1 - v / top_value):.1f}"

    parts = [f'<svg class="chart" viewBox="0 0 {w} {h}" role="img" xmlns="http://www.w3.org/2000/svg">']
    for frac in (0, 0.5, 1):
        y = top + (h - top - bottom) * (1 - frac)
        parts.append(f'<line class="grid" x1="{left}" x2="{w - right}" y1="{y:.1f}" y2="{y:.1f}"/>')
        label = round(top_value * frac)
        parts.append(f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
    parts.append(f'<text class="axis" x="{left}" y="{h - 8}">{days[0].isoformat()}</text>')
    parts.append(f'<text class="axis" x="{w - right}" y="{h - 8}" text-anchor="end">{days[-1].isoformat()}</text>')
    for i, (k, label) in enumerate(series):
        pts = " ".join(xy(j, v) for j, v in enumerate(cum[k]))
        parts.append(f'<polyline class="line s{i}" points="{pts}"/>')
        y = top + 14 + 18 * i
        parts.append(f'<line class="line s{i}" x1="{w - right + 10}" x2="{w - right + 28}" y1="{y - 4}" y2="{y - 4}"/>')
        parts.append(f'<text class="legend" x="{w - right + 32}" y="{y}">{escape(label)} ({cum[k][-1]})</text>')
    parts.append("</svg>")
    return "".join(parts)
