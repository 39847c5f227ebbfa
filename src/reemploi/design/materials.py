"""Wall materials and their losses per band, and which CAD layer means which material.

Both are data (``data/materials.csv`` with a source per row, ``data/layer_materials.csv``
with glob patterns matched in order on the folded layer name, first match wins); a
site's own files replace or extend them.
"""

from __future__ import annotations

import csv
import fnmatch
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from reemploi.design.propagation import BANDS
from reemploi.errors import InvalidInput

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class Material:
    name: str
    loss_db: dict[str, float]  # per band ("2.4", "5", "6")
    quality: str
    source: str


def _fold(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def read_materials(path: Path) -> dict[str, Material]:
    """Materials from a CSV (material, loss_2_4_db, loss_5_db, loss_6_db[, quality, source])."""
    out: dict[str, Material] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            name = (row.get("material") or "").strip().lower()
            if not name:
                raise InvalidInput("materials_bad_row", file=str(path), line=i, field="material")
            losses = {}
            for band, col in zip(BANDS, ("loss_2_4_db", "loss_5_db", "loss_6_db"), strict=True):
                try:
                    losses[band] = float((row.get(col) or "").replace(",", "."))
                except ValueError:
                    raise InvalidInput("materials_bad_row", file=str(path), line=i, field=col) from None
                if not 0 <= losses[band] <= 100:
                    raise InvalidInput("materials_bad_row", file=str(path), line=i, field=col)
            out[name] = Material(name, losses, (row.get("quality") or "").strip(), (row.get("source") or "").strip())
    return out


@cache
def default_materials() -> dict[str, Material]:
    return read_materials(DATA / "materials.csv")


def read_layer_map(path: Path) -> list[tuple[str, str]]:
    """(glob pattern, material) pairs, in order; the pattern is matched on the folded layer name."""
    out = []
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            pattern, material = (row.get("pattern") or "").strip(), (row.get("material") or "").strip().lower()
            if not pattern or not material:
                raise InvalidInput("layer_map_bad_row", file=str(path), line=i)
            out.append((_fold(pattern), material))
    return out


@cache
def default_layer_map() -> tuple[tuple[str, str], ...]:
    return tuple(read_layer_map(DATA / "layer_materials.csv"))


def material_of_layer(layer: str, layer_map: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> str | None:
    """The material a layer's name means, or None when the layer holds no walls (furniture, text…)."""
    name = _fold(layer)
    for pattern, material in layer_map:
        if fnmatch.fnmatchcase(name, pattern):
            return material
    return None


def loss_vector(materials_of_walls: list[str], band: str, materials: dict[str, Material]) -> np.ndarray:
    """Per wall, its material's loss at ``band`` (dB)."""
    return np.array([materials[m].loss_db[band] for m in materials_of_walls], dtype=float)
