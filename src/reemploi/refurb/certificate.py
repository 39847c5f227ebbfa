"""The sanitization certificate of a lot: every device of the lot with its last wipe.

A device's last sanitization is its newest record (by time, then record id); a device
without any is listed as ``missing``. The certificate carries a SHA-256 digest of the
records it lists, computed by a published rule (``DIGEST_RULE``), so that an auditor can
recompute it from the table alone; the same records always give the same digest, the
generation time does not enter it. Nothing here writes to the database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import select
from sqlalchemy.orm import Session

from reemploi import __version__
from reemploi.catalog.models import EquipmentModel
from reemploi.errors import InvalidInput
from reemploi.i18n import LANGS, t
from reemploi.inventory.models import Device, Lot
from reemploi.inventory.tabular import check_output_file
from reemploi.refurb.models import Sanitization
from reemploi.workflow.service import chunks, find_lot

FORMAT = "REEMPLOI-SANITIZATION-CERTIFICATE v1"
PASS, FAIL, MISSING = "pass", "fail", "missing"

DIGEST_RULE = {
    "en": (
        "SHA-256 digest: the lowercase hex SHA-256 of a UTF-8 text made of the line "
        f"'{FORMAT}', then the line 'LOT' TAB lot code, then one line per device of the table, "
        "sorted by serial (Unicode code point order): serial TAB model TAB method TAB result TAB "
        "operator TAB verifier TAB time. Every line ends with LF (also the last one). Result is "
        f"'{PASS}', '{FAIL}' or '{MISSING}'; time is UTC as YYYY-MM-DDTHH:MM:SSZ; a missing value is "
        "an empty field; a backslash, tab, CR or LF inside a value is written \\\\, \\t, \\r, \\n. "
        "Model, method, operator and verifier are exactly as printed in the table."
    ),
    "fr": (
        "Empreinte SHA-256 : le SHA-256 (hexadécimal, minuscules) d'un texte UTF-8 formé de la ligne "
        f"« {FORMAT} », puis de la ligne « LOT » TAB code du lot, puis d'une ligne par équipement du "
        "tableau, triées par numéro de série (ordre des points de code Unicode) : série TAB modèle TAB "
        "méthode TAB résultat TAB opérateur TAB vérificateur TAB date. Chaque ligne se termine par LF "
        f"(la dernière aussi). Le résultat vaut « {PASS} », « {FAIL} » ou « {MISSING} » (imprimé "
        "réussi, échec, manquant) ; la date est en UTC au format AAAA-MM-JJTHH:MM:SSZ ; une valeur absente "
        "est un champ vide ; une barre oblique inverse, une tabulation, CR ou LF dans une valeur "
        "s'écrivent \\\\, \\t, \\r, \\n. Modèle, méthode, opérateur et vérificateur sont tels qu'imprimés."
    ),
}

def _t(key: str, lang: str) -> str:
    return t(f"certificate.{key}", lang)


@dataclass(frozen=True)
class CertificateRow:
    """One line of the table, with the values exactly as printed and digested."""

    serial: str
    model: str
    method: str  # "" when missing
    result: str  # PASS, FAIL or MISSING
    operator: str
    verifier: str
    time: str  # YYYY-MM-DDTHH:MM:SSZ, "" when missing


@dataclass(frozen=True)
class Certificate:
    lot: str
    path: Path
    digest: str
    devices: int
    passed: int
    failed: int
    missing: int
    generated_at: datetime


def utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _field(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def canonical_text(lot_code: str, rows: Sequence[CertificateRow]) -> str:
    """The text the digest is computed over (see ``DIGEST_RULE``)."""
    lines = [FORMAT, f"LOT\t{_field(lot_code)}"]
    for r in sorted(rows, key=lambda r: r.serial):
        values = (r.serial, r.model, r.method, r.result, r.operator, r.verifier, r.time)
        lines.append("\t".join(_field(v) for v in values))
    return "\n".join(lines) + "\n"


def digest(lot_code: str, rows: Sequence[CertificateRow]) -> str:
    return hashlib.sha256(canonical_text(lot_code, rows).encode("utf-8")).hexdigest()


def certificate_rows(session: Session, lot: Lot) -> list[CertificateRow]:
    """Every device of ``lot`` with its last sanitization, sorted by serial."""
    devices = {
        did: (serial, f"{vendor} {model}")
        for did, serial, vendor, model in session.execute(
            select(Device.id, Device.serial, EquipmentModel.vendor, EquipmentModel.model)
            .join(EquipmentModel, Device.model_id == EquipmentModel.id)
            .where(Device.lot_id == lot.id)
        )
    }
    last: dict[int, Sanitization] = {}
    for part in chunks(sorted(devices)):
        for s in session.scalars(select(Sanitization).where(Sanitization.device_id.in_(part))):
            kept = last.get(s.device_id)
            if kept is None or (s.at, s.id) > (kept.at, kept.id):
                last[s.device_id] = s
    rows = []
    for did, (serial, model) in devices.items():
        rec = last.get(did)
        if rec is None:
            rows.append(CertificateRow(serial, model, "", MISSING, "", "", ""))
        else:
            rows.append(CertificateRow(serial, model, rec.method, PASS if rec.passed else FAIL, rec.operator,
                                       rec.verifier or "", utc_text(rec.at)))  # fmt: skip
    return sorted(rows, key=lambda r: r.serial)


def check_certificate_path(path: str | Path) -> Path:
    """``path`` as a Path, if a certificate may be written there: a ``.pdf`` file name, not a folder."""
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise InvalidInput("certificate_format", file=str(path))
    check_output_file(path)
    return path


def sanitization_certificate(
    session: Session, lot_code: str, path: str | Path, lang: str = "fr", *, now: datetime | None = None
) -> Certificate:
    """Write the sanitization certificate of one lot as a PDF at ``path``.

    The PDF shows the title, lot code, origin, generation time (UTC, ``now`` or the
    clock), the reemploi version, a table of every device of the lot (serial, model,
    last sanitization method, result, operator, verifier, time; ``missing`` when the
    device has no sanitization record), the counts passed / failed / missing, and the
    SHA-256 digest of the listed records.

    Digest rule (also printed at the end of the PDF): the lowercase hex SHA-256 of the
    UTF-8 text::

        REEMPLOI-SANITIZATION-CERTIFICATE v1<LF>
        LOT<TAB><lot code><LF>
        <serial><TAB><model><TAB><method><TAB><result><TAB><operator><TAB><verifier><TAB><time><LF>
        ... one line per device, sorted by serial (code point order) ...

    where result is ``pass``, ``fail`` or ``missing``, time is UTC ``YYYY-MM-DDTHH:MM:SSZ``,
    an absent value is an empty field, and a backslash, tab, CR or LF inside a value is
    written ``\\\\``, ``\\t``, ``\\r``, ``\\n``. Model is "vendor model" as printed.

    Raises ``UnknownLot``; ``InvalidInput`` for an unknown language, or a ``path`` that is a folder or
    does not end in ``.pdf``.
    """
    if lang not in LANGS:
        raise InvalidInput("unknown_lang", lang=lang)
    path = check_certificate_path(path)
    lot = find_lot(session, lot_code)
    generated = (now or datetime.now(UTC)).astimezone(UTC)
    rows = certificate_rows(session, lot)
    counts = {k: sum(r.result == k for r in rows) for k in (PASS, FAIL, MISSING)}
    sha = digest(lot.code, rows)
    origin = lot.origin.code if lot.origin else "—"
    if lot.origin and lot.origin.name:
        origin = f"{lot.origin.code} ({lot.origin.name})"
    _write_pdf(path, lang, lot.code, origin, generated, rows, counts, sha)
    return Certificate(lot.code, path, sha, len(rows), counts[PASS], counts[FAIL], counts[MISSING], generated)


def _write_pdf(
    path: Path,
    lang: str,
    lot: str,
    origin: str,
    generated: datetime,
    rows: Sequence[CertificateRow],
    counts: dict[str, int],
    sha: str,
) -> None:
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=9, leading=11.5)
    small = ParagraphStyle("small", fontName="Helvetica", fontSize=7.5, leading=9.5, textColor=colors.HexColor("#333"))
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.5, leading=9)
    cell_bold = ParagraphStyle("cellb", parent=cell, fontName="Helvetica-Bold")
    head = ParagraphStyle("head", parent=cell, fontName="Helvetica-Bold", textColor=colors.white)
    title = ParagraphStyle("title", fontName="Helvetica-Bold", fontSize=16, leading=20, spaceAfter=4)
    mono = ParagraphStyle("mono", fontName="Courier-Bold", fontSize=9, leading=11)

    def p(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(escape(text), style)

    summary = [
        (_t("lot", lang), lot),
        (_t("origin", lang), origin),
        (_t("generated", lang), utc_text(generated)),
        (_t("software", lang), f"reemploi {__version__}"),
        (_t("devices", lang), str(len(rows))),
        (_t("count_passed", lang), str(counts[PASS])),
        (_t("count_failed", lang), str(counts[FAIL])),
        (_t("count_missing", lang), str(counts[MISSING])),
    ]
    info = Table([[p(k, cell_bold), p(v, cell)] for k, v in summary], colWidths=[48 * mm, 120 * mm], hAlign="LEFT")
    info.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                              ("TOPPADDING", (0, 0), (-1, -1), 1.5)]))  # fmt: skip

    keys = ("serial", "model", "method", "result", "operator", "verifier", "time")
    # mm, 182 between the 14 mm margins: wide enough that a method code, a result and a
    # time never wrap at 7.5 pt (names and long serials may).
    widths = [24, 24, 26, 16, 31, 31, 30]
    data: list[list[Paragraph]] = [[p(_t(k, lang), head) for k in keys]]
    styles: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f3b57")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#b0b7bf")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    shade = {PASS: "#e3f2e1", FAIL: "#f8d7d5", MISSING: "#fdf0c8"}
    for i, r in enumerate(rows, start=1):
        data.append([
            p(r.serial, cell_bold), p(r.model, cell), p(r.method or "—", cell), p(_t(r.result, lang), cell_bold),
            p(r.operator or "—", cell), p(r.verifier or "—", cell), p(r.time or "—", cell),
        ])  # fmt: skip
        styles.append(("BACKGROUND", (3, i), (3, i), colors.HexColor(shade[r.result])))
        if i % 2 == 0:
            styles.append(("BACKGROUND", (0, i), (2, i), colors.HexColor("#f4f6f8")))
            styles.append(("BACKGROUND", (4, i), (-1, i), colors.HexColor("#f4f6f8")))
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle(styles))

    story = [
        p(_t("title", lang), title),
        p(_t("intro", lang), small),
        Spacer(1, 4 * mm),
        info,
        Spacer(1, 5 * mm),
        table,
        Spacer(1, 6 * mm),
        # The digest and the rule to recompute it stay on one page.
        KeepTogether([p(_t("digest", lang), cell_bold), p(sha, mono), Spacer(1, 2 * mm), p(DIGEST_RULE[lang], small)]),
    ]

    def footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 7)
        canvas.setFillColor(colors.HexColor("#555"))
        text = f"{_t('lot', lang)} {lot} · SHA-256 {sha} · reemploi {__version__}"
        canvas.drawString(14 * mm, 9 * mm, text)
        canvas.drawRightString(A4[0] - 14 * mm, 9 * mm, f"{_t('page', lang)} {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=16 * mm,
        title=f"{_t('title', lang)} {lot}",
        subject=f"sha256:{sha}",
        creator=f"reemploi {__version__}",
        author="reemploi",
        invariant=1,
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
