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


# Column names as people write them (folded: lower case, no accents, no spaces or punctuation).
_MATERIAL = ("material", "materiau", "materiaux", "matiere")
_PATTERN = ("pattern", "motif", "calque", "layer")
_BANDS = {"2.4": ("loss24db", "loss24", "perte24db", "perte24", "24ghz", "attenuation24db"),
          "5": ("loss5db", "loss5", "perte5db", "perte5", "5ghz", "attenuation5db"),
          "6": ("loss6db", "loss6", "perte6db", "perte6", "6ghz", "attenuation6db")}  # fmt: skip


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    for i, h in enumerate(header):
        if h in names:
            return i
    return None


def _rows(path: Path, names: tuple[str, ...], what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(folded header, rows) of a CSV or XLSX file whose header holds one of ``names`` (any delimiter)."""
    from reemploi.inventory.tabular import fold, open_table

    table = open_table(path, is_header=lambda cells: any(fold(n) in cells for n in names), what=what)
    with table:
        header = [fold(h).replace(" ", "").replace("_", "").replace(".", "").replace(",", "") for h in table.header]
        return header, list(table.rows)


def read_materials(path: Path) -> dict[str, Material]:
    """Materials from a CSV or XLSX file: material, loss_2_4_db, loss_5_db, loss_6_db[, quality, source]
    (French headers too: matériau, perte_2_4_db…; decimal commas)."""
    from reemploi.inventory.records import parse_number

    header, rows = _rows(path, _MATERIAL, "material")
    col = _column(header, _MATERIAL)
    bands = {b: _column(header, names) for b, names in _BANDS.items()}
    missing = [f"loss_{b.replace('.', '_')}_db" for b, c in bands.items() if c is None]
    if col is None or missing:
        raise InvalidInput("materials_columns", file=str(path), columns=", ".join(missing or ["material"]),
                           found=", ".join(header))  # fmt: skip
    q, src = _column(header, ("quality", "qualite")), _column(header, ("source",))
    out: dict[str, Material] = {}
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        name = cells[col].strip().lower()
        if not name:
            raise InvalidInput("materials_bad_row", file=str(path), line=line, field="material")
        losses = {}
        for band, c in bands.items():
            try:
                losses[band] = parse_number(cells[c])  # type: ignore[index]
            except ValueError:
                raise InvalidInput("materials_bad_row", file=str(path), line=line,
                                   field=f"loss_{band.replace('.', '_')}_db") from None  # fmt: skip
            if not 0 <= losses[band] <= 100:
                raise InvalidInput("materials_bad_row", file=str(path), line=line,
                                   field=f"loss_{band.replace('.', '_')}_db")  # fmt: skip
        out[name] = Material(name, losses, cells[q].strip() if q is not None else "",
                             cells[src].strip() if src is not None else path.name)  # fmt: skip
    return out


def _read_shipped_materials(path: Path) -> dict[str, Material]:
    out: dict[str, Material] = {}
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            losses = {b: float(row[c]) for b, c in zip(BANDS, ("loss_2_4_db", "loss_5_db", "loss_6_db"), strict=True)}
            out[row["material"]] = Material(row["material"], losses, row["quality"], row["source"])
    return out


@cache
def default_materials() -> dict[str, Material]:
    return _read_shipped_materials(DATA / "materials.csv")


def read_layer_map(path: Path) -> list[tuple[str, str]]:
    """(glob pattern, material) pairs, in order, from a CSV or XLSX file with columns ``pattern`` (or
    ``motif``) and ``material`` (or ``matériau``); the pattern is matched on the folded layer name."""
    header, rows = _rows(path, _PATTERN, "pattern")
    pat, mat = _column(header, _PATTERN), _column(header, _MATERIAL)
    if pat is None or mat is None:
        raise InvalidInput("layer_map_columns", file=str(path), found=", ".join(header))
    out = []
    for line, cells in rows:
        cells = cells + [""] * (len(header) - len(cells))
        pattern, material = cells[pat].strip(), cells[mat].strip().lower()
        if not pattern or not material:
            raise InvalidInput("layer_map_bad_row", file=str(path), line=line)
        out.append((_fold(pattern), material))
    return out


def _read_shipped_layer_map(path: Path) -> list[tuple[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(_fold(r["pattern"]), r["material"]) for r in csv.DictReader(fh)]


@cache
def default_layer_map() -> tuple[tuple[str, str], ...]:
    return tuple(_read_shipped_layer_map(DATA / "layer_materials.csv"))


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
