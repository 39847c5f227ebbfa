"""Fit the path-loss model to a survey, and say how well it predicts points it did not see.

For each measurement (AP a heard at point p with RSSI r), the loss the model must
explain is ``EIRP_a - r - walls crossed``; with ``x = 10·log10(d)``, it is linear in the
unknowns: ``alpha·x + beta + gamma·10·log10(f) + floor_loss·floors``. Ordinary least
squares on four points in five (chosen by a hash of AP and position, so the split does
not move between runs); the fifth is held out and the fit's RMSE and bias (predicted
minus measured, dB) reported on it. ``gamma`` is fitted only when the survey has more
than one band, the floor loss only when it has measurements through a floor; the rest
keep the starting model's values.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from reemploi.design.engine import CLIENT_HEIGHT_M, FloorWalls, floors_between
from reemploi.design.plan import Floor
from reemploi.design.propagation import BAND_GHZ, PathLossModel, wall_losses
from reemploi.errors import InvalidInput

MIN_POINTS = 10
HOLDOUT_EVERY = 5


@dataclass(frozen=True)
class Measurement:
    floor: int
    x: float
    y: float
    ap: int  # index into the APs
    band: str
    rssi_dbm: float


@dataclass(frozen=True)
class KnownAp:
    name: str
    floor: int
    x: float
    y: float
    z: float  # absolute height (m)
    eirp_dbm: dict[str, float]


def _held_out(m: Measurement, aps: list[KnownAp]) -> bool:
    key = f"{aps[m.ap].name}|{m.floor}|{m.x:.2f}|{m.y:.2f}|{m.band}".encode()
    return int.from_bytes(hashlib.sha256(key).digest()[:4], "big") % HOLDOUT_EVERY == 0


def design_matrix(floors: list[Floor], walls_by_band: dict[str, list[FloorWalls]], aps: list[KnownAp],
                  ms: list[Measurement]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """(10·log10 d, 10·log10 f, floors crossed) per measurement, and the loss left to explain."""
    n = len(ms)
    x_d, x_f, x_n, y = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    groups: dict[tuple[int, int, str], list[int]] = {}
    for i, m in enumerate(ms):
        groups.setdefault((m.ap, m.floor, m.band), []).append(i)
    for (a, fi, band), idx in groups.items():
        ap = aps[a]
        pts = np.array([[ms[i].x, ms[i].y] for i in idx])
        pz = floors[fi].elevation_m + CLIENT_HEIGHT_M
        d = np.sqrt((pts[:, 0] - ap.x) ** 2 + (pts[:, 1] - ap.y) ** 2 + (pz - ap.z) ** 2)
        fw = walls_by_band[band][fi]
        walls = wall_losses(pts, (ap.x, ap.y), fw.walls, fw.loss_db)
        rssi = np.array([ms[i].rssi_dbm for i in idx])
        x_d[idx] = 10 * np.log10(np.maximum(d, 1.0))
        x_f[idx] = 10 * math.log10(BAND_GHZ[band])
        x_n[idx] = floors_between(floors, ap.floor, fi)
        y[idx] = ap.eirp_dbm[band] - rssi - walls
    return np.column_stack([x_d, x_f, x_n]), y, np.array([_held_out(m, aps) for m in ms])


def calibrate(floors: list[Floor], walls_by_band: dict[str, list[FloorWalls]], aps: list[KnownAp],
              ms: list[Measurement], start: PathLossModel) -> tuple[PathLossModel, dict[str, Any]]:  # fmt: skip
    if len(ms) < MIN_POINTS:
        raise InvalidInput("calibrate_too_few", count=len(ms), min=MIN_POINTS)
    x, y, test = design_matrix(floors, walls_by_band, aps, ms)
    train = ~test
    if train.sum() < MIN_POINTS // 2 or test.sum() == 0:
        train = np.ones(len(ms), dtype=bool)
    fit_gamma = len({m.band for m in ms}) > 1
    fit_floor = bool((x[:, 2] > 0).any())
    cols = [x[:, 0], np.ones(len(ms))]
    names = ["alpha", "beta"]
    if fit_gamma:
        cols.append(x[:, 1])
        names.append("gamma")
    if fit_floor:
        cols.append(x[:, 2])
        names.append("floor_loss_db")
    a = np.column_stack(cols)
    target = y.copy()
    if not fit_gamma:
        target -= start.gamma * x[:, 1]
    if not fit_floor:
        target -= start.floor_loss_db * x[:, 2]
    coef, *_ = np.linalg.lstsq(a[train], target[train], rcond=None)
    values = dict(zip(names, (float(v) for v in coef), strict=True))
    # x holds 10·log10 terms: the coefficients of the distance and frequency columns are alpha and gamma.
    model = PathLossModel("calibrated", values["alpha"], values["beta"], values.get("gamma", start.gamma),
                          values.get("floor_loss_db", start.floor_loss_db))  # fmt: skip

    def error_of(m: PathLossModel) -> np.ndarray:
        # predicted RSSI minus measured = (EIRP - model loss - walls) - (EIRP - y - walls) = y - model loss
        return y - (m.alpha * x[:, 0] + m.beta + m.gamma * x[:, 1] + m.floor_loss_db * x[:, 2])

    error, start_error = error_of(model), error_of(start)

    def stats(e: np.ndarray) -> dict[str, float]:
        return {"rmse_db": round(float(np.sqrt(np.mean(e**2))), 2), "bias_db": round(float(np.mean(e)), 2)}

    held = test if test.any() and train.sum() < len(ms) else np.ones(len(ms), dtype=bool)
    report = {
        "points": len(ms), "train_points": int(train.sum()), "test_points": int(held.sum()),
        "fitted": names, "bands": sorted({m.band for m in ms}),
        "model": {"name": model.name, "alpha": round(model.alpha, 4), "beta": round(model.beta, 3),
                  "gamma": round(model.gamma, 4), "floor_loss_db": round(model.floor_loss_db, 2)},
        "test": stats(error[held]), "train": stats(error[train]),
        "before": {"model": start.as_dict(), "test": stats(start_error[held])},
    }  # fmt: skip
    if not 1.0 <= model.alpha <= 6.0:
        report["warning"] = "calibrate_implausible"
    return model, report
