"""Heatmaps of a design: the best received signal per point, per floor and band (PNG).

Drawn with matplotlib (Agg): the RSSI on the demand grid (colour scale from -90 to
-30 dBm, the target level as a contour), walls coloured by their loss, APs with names.
"""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

import numpy as np

from reemploi.design.engine import FloorWalls, predict
from reemploi.design.grid import FloorGrid
from reemploi.design.plan import Floor
from reemploi.design.propagation import PathLossModel

FLOOR_DBM = -95.0


def heatmap_png(path: Path | BinaryIO, floors: list[Floor], walls: list[FloorWalls], grid: FloorGrid,
                aps: list[tuple[int, float, float, float, float]], names: list[str], band: str, model: PathLossModel,
                target_dbm: float, title: str, legend: dict[str, str] | None = None) -> None:  # fmt: skip
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    fi = grid.floor
    rows, cols = grid.shape
    image = np.full(rows * cols, np.nan)
    if len(grid.points) and aps:
        best = predict(floors, walls, fi, grid.points, aps, band, model, min_dbm=FLOOR_DBM).max(axis=1)
        cells = np.flatnonzero(grid.cell.ravel() >= 0)
        image[cells] = np.where(np.isfinite(best), best, FLOOR_DBM)
    image = image.reshape(rows, cols)
    xmin, ymin, xmax, ymax = floors[fi].bounds()
    width = max(6.0, min(16.0, (xmax - xmin) / 6))
    fig, ax = plt.subplots(figsize=(width, width * max(0.3, (ymax - ymin) / max(xmax - xmin, 1e-6)) + 1.2), dpi=110)
    ox, oy = grid.origin
    extent = (ox - grid.step / 2, ox + (cols - 0.5) * grid.step, oy - grid.step / 2, oy + (rows - 0.5) * grid.step)
    im = ax.imshow(image, origin="lower", extent=extent, cmap="RdYlGn", vmin=-90, vmax=-30, interpolation="nearest")
    if np.isfinite(image).any():
        gx = ox + grid.step * np.arange(cols)
        gy = oy + grid.step * np.arange(rows)
        ax.contour(gx, gy, np.nan_to_num(image, nan=FLOOR_DBM), levels=[target_dbm], colors="k", linewidths=0.6)
    fw = walls[fi]
    if len(fw.walls):
        segs = fw.walls.reshape(-1, 2, 2)
        lc = LineCollection(segs, linewidths=0.5 + fw.loss_db / 10, colors="#222222")
        ax.add_collection(lc)
    for (f, x, y, _, _), name in zip(aps, names, strict=True):
        if f == fi:
            ax.plot(x, y, marker="o", ms=5, mfc="#1f3b57", mec="white")
            ax.annotate(name.rsplit("-", 1)[-1], (x, y), xytext=(3, 3), textcoords="offset points", fontsize=6)
    ax.set_xlim(xmin - 1, xmax + 1)
    ax.set_ylim(ymin - 1, ymax + 1)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("m")
    cb = fig.colorbar(im, ax=ax, shrink=0.8, label="dBm")
    cb.ax.axhline(target_dbm, color="k", linewidth=1.5)  # the target on the scale
    if legend:
        from matplotlib.lines import Line2D

        handles = [Line2D([0], [0], color="k", linewidth=0.8, label=legend["target"]),
                   Line2D([0], [0], color="#222222", linewidth=2, label=legend["wall"]),
                   Line2D([0], [0], marker="o", linestyle="", markerfacecolor="#1f3b57", markeredgecolor="white",
                          markersize=6, label=legend["ap"])]  # fmt: skip
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=7,
                  frameon=False)  # fmt: skip
    fig.tight_layout()
    fig.savefig(path, format="png", metadata={"Software": None})
    plt.close(fig)
