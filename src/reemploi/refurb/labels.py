"""Labels: a QR code per device or lot, as an A4 sheet on a label grid or as ZPL.

A device label's QR code carries ``REEMPLOI:D:<SERIAL>`` (what the scan screen
resolves, ``workflow.service.LABEL_PREFIX``), a lot label's ``REEMPLOI:L:<CODE>``. The
label shows what does not change on the shelf (serial, model, grade, asset tag), never
the process state. User data never reaches the printer as a command: ZPL fields are
hex-escaped (``^FH``), PDF text is drawn, not interpreted. Nothing here writes to the
database.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from reemploi import __version__
from reemploi.catalog.models import EquipmentModel
from reemploi.errors import InvalidInput, UnknownDevice, UnknownLot
from reemploi.i18n import LANGS, t
from reemploi.inventory.models import Device, Location, Lot
from reemploi.inventory.tabular import check_output_file
from reemploi.workflow.service import LABEL_PREFIX, chunks, normalise_serials

DEVICE_PREFIX = LABEL_PREFIX  # "REEMPLOI:D:"
LOT_PREFIX = "REEMPLOI:L:"


@dataclass(frozen=True)
class LabelData:
    """What a device label shows; ``payload`` is what its QR code carries."""

    serial: str
    model: str
    grade: str | None
    asset_tag: str | None
    state: str
    payload: str


@dataclass(frozen=True)
class LotLabelData:
    """What a lot (pallet, box) label shows; ``payload`` is what its QR code carries."""

    code: str
    devices: int
    origin: str | None
    payload: str


@dataclass(frozen=True)
class InstallLabelData:
    """An installation label: where the device goes (site, floor, position, telecom room); its QR code
    carries the device (``REEMPLOI:D:<SERIAL>``) for ``install scan``."""

    serial: str
    model: str
    site: str
    floor: str | None
    position: str | None
    closet: str | None
    box: int | None
    payload: str


Label = LabelData | LotLabelData | InstallLabelData


@dataclass(frozen=True)
class Grid:
    """A sheet of die-cut labels on A4 (dimensions in mm, from the sheet's top-left corner)."""

    name: str
    columns: int
    rows: int
    width: float
    height: float
    top: float
    side: float
    column_pitch: float
    row_pitch: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows


GRIDS = {
    g.name: g
    for g in (
        Grid("avery-l7163", 2, 7, 99.1, 38.1, 15.1, 4.65, 101.6, 38.1),
        Grid("avery-l7160", 3, 7, 63.5, 38.1, 15.15, 7.2, 66.04, 38.1),
    )
}

NONE = "—"


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise InvalidInput("unknown_lang", lang=lang)


def caption(key: str, lang: str) -> str:
    return t(f"label.{key}", lang)


def device_labels(session: Session, serials: Sequence[str]) -> list[LabelData]:
    """Label data for these devices, in the order given (repeats dropped).

    Raises ``UnknownDevice`` naming the unknown serial(s) (comma-separated) when any is unknown.
    """
    wanted = normalise_serials(serials)
    found: dict[str, LabelData] = {}
    q = select(
        Device.serial, EquipmentModel.vendor, EquipmentModel.model, Device.grade, Device.asset_tag, Device.state
    ).join(EquipmentModel, Device.model_id == EquipmentModel.id)
    for part in chunks(wanted):
        for serial, vendor, model, grade, tag, state in session.execute(q.where(Device.serial.in_(part))):
            found[serial] = LabelData(serial, f"{vendor} {model}", grade, tag, state, DEVICE_PREFIX + serial)
    unknown = [s for s in wanted if s not in found]
    if unknown:
        raise UnknownDevice(serial=", ".join(unknown))
    return [found[s] for s in wanted]


def install_labels(session: Session, shipment: str) -> list[InstallLabelData]:
    """A label per device of a shipment, box by box, saying where it is installed."""
    from reemploi.planning.models import PlanDevice
    from reemploi.planning.shipments import _site_code, get_shipment

    sh = get_shipment(session, shipment)
    site = _site_code(session, sh)
    q = (select(Device.serial, EquipmentModel.vendor, EquipmentModel.model, PlanDevice.floor, PlanDevice.position,
                PlanDevice.closet, PlanDevice.box)
         .join(PlanDevice, PlanDevice.device_id == Device.id).join(EquipmentModel, Device.model_id == EquipmentModel.id)
         .where(PlanDevice.shipment_id == sh.id)
         .order_by(PlanDevice.box, PlanDevice.position, Device.serial))  # fmt: skip
    return [InstallLabelData(serial, f"{vendor} {model}", site, floor, position, closet, box, DEVICE_PREFIX + serial)
            for serial, vendor, model, floor, position, closet, box in session.execute(q)]  # fmt: skip


def lot_labels(session: Session, lot_codes: Sequence[str]) -> list[LotLabelData]:
    """Label data for these lots (device count, origin location code), in the order given.

    Raises ``UnknownLot`` naming the unknown code(s) when any is unknown.
    """
    wanted = normalise_serials(lot_codes)  # lot codes are trimmed and upper-cased like serials
    found: dict[str, LotLabelData] = {}
    count = select(func.count()).where(Device.lot_id == Lot.id).correlate(Lot).scalar_subquery()
    q = select(Lot.code, count, Location.code).outerjoin(Location, Lot.origin_id == Location.id)
    for part in chunks(wanted):
        for code, n, origin in session.execute(q.where(Lot.code.in_(part))):
            found[code] = LotLabelData(code, int(n), origin, LOT_PREFIX + code)
    unknown = [c for c in wanted if c not in found]
    if unknown:
        raise UnknownLot(lot=", ".join(unknown))
    return [found[c] for c in wanted]


# ---------------------------------------------------------------------------- PDF

PAD = 2.5 * mm  # inside each label: printers drift by ~1 mm, keep ink off the die-cut edge
GAP = 2.0 * mm  # between the QR code and the text
QR_BORDER = 2  # quiet-zone modules drawn inside the QR square (the label's white margin adds to it)
GREY = Color(0.35, 0.35, 0.35)
BOLD, REGULAR = "Helvetica-Bold", "Helvetica"


def _fit(
    text: str, font: str, size: float, min_size: float, width: float, max_lines: int = 1
) -> tuple[float, list[str]]:
    """The largest size (down to ``min_size``) at which ``text`` fits ``width`` on at most
    ``max_lines`` lines (cut anywhere: serials have no spaces); ellipsised as a last resort.

    One line is preferred while it keeps 60 % of ``size``; a long serial goes on two lines
    rather than into small print."""
    options = []
    for lines in range(1, max_lines + 1):
        step = -(-len(text) // lines)
        parts = [text[i : i + step] for i in range(0, len(text), step)] or [""]
        widest = max(stringWidth(p, font, size) for p in parts)
        fitted = size if widest <= width else size * width / widest
        if fitted >= max(min_size, size * 0.6):
            return fitted, parts
        options.append((fitted, parts))
    fitted, parts = max(options, key=lambda o: o[0])
    if fitted >= min_size:
        return fitted, parts
    cut = text
    while cut and stringWidth(cut + "…", font, min_size) > width:
        cut = cut[:-1]
    return min_size, [cut + "…"]


def _draw_qr(c: Canvas, payload: str, x: float, y: float, side: float) -> None:
    """The QR code as vector squares (one rectangle per run of dark modules): sharp at any dpi."""
    qr = segno.make(payload, error="m", micro=False)
    matrix = qr.matrix
    n = len(matrix) + 2 * QR_BORDER
    module = side / n
    c.setFillColor(white)
    c.rect(x, y, side, side, stroke=0, fill=1)
    c.setFillColor(black)
    for r, row in enumerate(matrix):
        top = y + side - (r + QR_BORDER + 1) * module
        col = 0
        while col < len(row):
            if row[col]:
                start = col
                while col < len(row) and row[col]:
                    col += 1
                # A hair of overlap so that adjacent rows leave no hairline gaps in viewers.
                c.rect(x + (start + QR_BORDER) * module, top - 0.01, (col - start) * module, module + 0.02,
                       stroke=0, fill=1)  # fmt: skip
            else:
                col += 1


def _fields(label: Label, lang: str, none: str = NONE) -> tuple[str, list[tuple[str, str]]]:
    """The big line and the (caption, value) lines of a label."""
    if isinstance(label, InstallLabelData):
        where = " · ".join(v for v in (label.floor, label.closet) if v) or none
        return label.position or label.serial, [
            (caption("site", lang), label.site),
            (caption("floor_closet", lang), where),
            (caption("serial_model", lang), f"{label.serial} · {label.model}" if label.position else label.model),
        ]
    if isinstance(label, LabelData):
        return label.serial, [
            (caption("model", lang), label.model),
            (caption("grade", lang), label.grade or none),
            (caption("asset_tag", lang), label.asset_tag or none),
        ]
    return label.code, [
        (caption("lot", lang), ""),
        (caption("devices", lang), str(label.devices)),
        (caption("origin", lang), label.origin or none),
    ]


def _draw_label(c: Canvas, label: Label, x: float, y: float, w: float, h: float, lang: str) -> None:
    """One label with its bottom-left corner at (x, y)."""
    qr_side = min(h - 2 * PAD, w * 0.42)
    qr_y = y + (h - qr_side) / 2
    _draw_qr(c, label.payload, x + PAD, qr_y, qr_side)
    tx = x + PAD + qr_side + GAP
    tw = x + w - PAD - tx
    big, lines = _fields(label, lang)
    # Vertical budget (points): the big text up to 16 pt (two lines when long), then three
    # caption/value pairs of 6 pt + 10 pt; 38.1 mm leaves ~94 pt inside the padding.
    size, parts = _fit(big, BOLD, 16, 6, tw, max_lines=2)
    cursor = y + h - PAD - size * 0.75  # the first baseline: cap height at the top padding
    c.setFillColor(black)
    for p in parts:
        c.setFont(BOLD, size)
        c.drawString(tx, cursor, p)
        cursor -= size * 1.05
    cursor -= 5
    for cap, value in lines:
        c.setFillColor(GREY)
        if not value:  # a bare caption: the label's kind ("LOT")
            c.setFont(BOLD, 7)
            c.drawString(tx, cursor, cap.upper())
            cursor -= 12
            continue
        c.setFont(REGULAR, 6)
        c.drawString(tx, cursor, _fit(cap, REGULAR, 6, 4, tw)[1][0])
        cursor -= 10.5
        c.setFillColor(black)
        vsize, vparts = _fit(value, BOLD, 10, 6, tw)
        c.setFont(BOLD, vsize)
        c.drawString(tx, cursor, vparts[0])
        cursor -= 9.5


def _pages(labels: Sequence[Label], per_page: int) -> Iterator[Sequence[Label]]:
    for i in range(0, len(labels), per_page):
        yield labels[i : i + per_page]


def render_pdf(
    labels: Sequence[Label],
    path: str | Path,
    lang: str = "fr",
    grid: str = "avery-l7163",
    *,
    outline: bool = False,
) -> int:
    """Write the labels on A4 sheets of ``grid`` (``GRIDS``), left to right then top to
    bottom, as many pages as needed; return the number of pages.

    ``outline`` draws each label's edge (to check alignment on plain paper; leave it
    off on die-cut sheets). The output is byte-for-byte reproducible for the same input.
    """
    _check_lang(lang)
    g = GRIDS.get(grid)
    if g is None:
        raise InvalidInput("unknown_kind", kind=grid, kinds=", ".join(GRIDS))
    if not labels:
        raise InvalidInput("no_serials")
    path = Path(path)
    check_output_file(path)
    c = Canvas(str(path), pagesize=A4, invariant=1)
    c.setTitle(caption("title", lang))
    c.setCreator(f"reemploi {__version__}")
    c.setSubject(f"{len(labels)} labels, {g.name}")
    page_h = A4[1]
    pages = 0
    for page in _pages(labels, g.per_page):
        for i, label in enumerate(page):
            row, col = divmod(i, g.columns)
            x = (g.side + col * g.column_pitch) * mm
            y = page_h - (g.top + row * g.row_pitch + g.height) * mm
            if outline:
                c.setStrokeColor(Color(0.8, 0.8, 0.8))
                c.setLineWidth(0.3)
                c.roundRect(x, y, g.width * mm, g.height * mm, 1.5 * mm, stroke=1, fill=0)
            _draw_label(c, label, x, y, g.width * mm, g.height * mm, lang)
        c.showPage()
        pages += 1
    c.save()
    return pages


# ---------------------------------------------------------------------------- ZPL

ZPL_WIDTH, ZPL_HEIGHT = 812, 406  # 4 x 2 in at 203 dpi (8 dots/mm)
ZPL_TEXT_X = 230  # right of the QR code
ZPL_TEXT_W = ZPL_WIDTH - ZPL_TEXT_X - 20
# Font 0 is proportional; ~0.6 of the height per character is a safe upper bound for
# capitals and digits, so a field sized by it stays on the label.
ZPL_CHAR = 0.6


def zpl_escape(value: str) -> str:
    """Data as a ``^FH_`` field: ``^``, ``~`` and the ``_`` escape itself become hex
    (``_5E``, ``_7E``, ``_5F``), control characters become spaces. The printer prints the
    characters; it can never read them as a command."""
    out = []
    for ch in value:
        if ch in "^~_":
            out.append(f"_{ord(ch):02X}")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _zpl_text(x: int, y: int, text: str, height: int, min_height: int = 18, width: int = ZPL_TEXT_W) -> str:
    """A one-line text field, shrunk (then cut) to fit ``width`` dots."""
    if text:
        height = max(min_height, min(height, int(width / (ZPL_CHAR * len(text)))))
        fits = int(width / (ZPL_CHAR * height))
        if len(text) > fits:
            text = text[: max(fits - 3, 1)] + "..."
    # ^FB bounds the field as well: one line, never past the edge.
    return f"^FO{x},{y}^A0N,{height},{height}^FB{width},1,0,L,0^FH_^FD{zpl_escape(text)}^FS"


def render_zpl(labels: Sequence[Label], lang: str = "fr") -> str:
    """ZPL II for a 4 x 2 inch, 203 dpi thermal label per item: ``^XA`` … ``^XZ`` each,
    UTF-8 (``^CI28``), a QR code (``^BQN,2,5``, error correction Q) carrying the payload,
    then the serial (or lot code) large and the captioned fields."""
    _check_lang(lang)
    out = []
    for label in labels:
        big, lines = _fields(label, lang, none="-")  # printer fonts may lack the em dash
        parts = [
            "^XA",
            "^CI28",
            f"^PW{ZPL_WIDTH}^LL{ZPL_HEIGHT}^LH0,0",
            f"^FO20,20^BQN,2,5^FH_^FDQA,{zpl_escape(label.payload)}^FS",
            _zpl_text(ZPL_TEXT_X, 30, big, 60, 22),
        ]
        y = 110
        for cap, value in lines:
            parts.append(_zpl_text(ZPL_TEXT_X, y, f"{cap}: {value}" if value else cap.upper(), 34))
            y += 55
        # The payload in clear under the code: a human can type it when the scanner fails.
        parts.append(_zpl_text(20, ZPL_HEIGHT - 40, label.payload, 20, 14, width=ZPL_WIDTH - 40))
        parts.append("^XZ")
        out.append("\n".join(parts))
    return "\n".join(out) + ("\n" if out else "")
