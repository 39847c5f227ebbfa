"""The report as an A4 PDF (reportlab), from the same content as the HTML."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from reemploi.impact.report.build import Content
from reemploi.impact.report.texts import tr

INK = colors.HexColor("#263238")
MUTED = colors.HexColor("#607d8b")
LINE = colors.HexColor("#cfd8dc")
ACCENT = colors.HexColor("#2e7d32")


@lru_cache(maxsize=1)
def _fonts() -> tuple[str, str]:
    """DejaVu Sans from matplotlib's own data: every glyph French needs (narrow spaces, dashes)."""
    base = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(base / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(base / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    return {
        "title": ParagraphStyle("title", fontName=bold, fontSize=18, leading=22, textColor=INK, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", fontName=regular, fontSize=10, leading=13, textColor=MUTED),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=13, leading=16, textColor=INK, spaceBefore=10,
                             spaceAfter=4),  # fmt: skip
        "h3": ParagraphStyle("h3", fontName=bold, fontSize=10, leading=13, textColor=INK, spaceBefore=6),
        "body": ParagraphStyle("body", fontName=regular, fontSize=9, leading=12, textColor=INK, spaceAfter=4),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7, leading=8.6, textColor=INK),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.6, textColor=INK),
        "big": ParagraphStyle("big", fontName=bold, fontSize=14, leading=17, textColor=ACCENT),
    }


def _esc(text: str) -> str:
    # reportlab breaks lines at U+202F (French thousands); a no-break space keeps "3 029" whole.
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u202f", "\xa0")


def _image(png: bytes, width: float) -> Image:
    img = Image(io.BytesIO(png))
    ratio = img.imageHeight / img.imageWidth
    img.drawWidth, img.drawHeight = width, width * ratio
    if img.drawHeight > 150 * mm:  # keep tall charts (the map) on one page
        img.drawHeight, img.drawWidth = 150 * mm, 150 * mm / ratio
    return img


def _table(head: list[str], rows: list[list[str]], width: float, st: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(_esc(h), st["head"]) for h in head]]
    data += [[Paragraph(_esc(c), st["cell"]) for c in row] for row in rows]
    n = len(head)
    if n == 6 and head[-1]:  # the factors table: give the source column room
        widths = [w * width for w in (0.19, 0.13, 0.19, 0.09, 0.08, 0.32)]
    else:
        widths = [width / n] * n
    t = Table(data, colWidths=widths, repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))  # fmt: skip
    return t


def write_pdf(c: Content, pngs: dict[str, bytes], path: Path) -> None:
    st = _styles()
    regular, _ = _fonts()
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=16 * mm, rightMargin=16 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title=c.title, author="reemploi", subject=c.subtitle)  # fmt: skip
    width = doc.width
    story: list[Flowable] = [Paragraph(_esc(c.title), st["title"]),
                             Paragraph(f"{_esc(c.subtitle)} · {_esc(c.generated)}", st["subtitle"]), Spacer(1, 6 * mm)]
    cards = [[Paragraph(f"<b>{_esc(label)}</b>", st["body"]), Paragraph(_esc(value), st["big"]),
              Paragraph(_esc(detail), st["cell"])] for label, value, detail in c.headline]  # fmt: skip
    t = Table(cards, colWidths=[0.3 * width, 0.3 * width, 0.4 * width])
    t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, LINE), ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))  # fmt: skip
    story.append(t)
    for s in c.sections:
        if s["id"] == "method":
            story.append(CondPageBreak(120 * mm))
        block: list[Flowable] = [Paragraph(_esc(s["title"]), st["h2"])]
        if s.get("note"):
            block.append(Paragraph(_esc(s["note"]), st["body"]))
        if s.get("chart"):
            block.append(_image(pngs[s["chart"]], width * (0.75 if s["chart"] == "map" else 1.0)))
        story.append(KeepTogether(block))
        if s.get("quality"):
            story += [Paragraph(_esc(s["quality_title"]), st["h3"]), Paragraph(_esc(s["quality"]), st["body"])]
        if s.get("after"):
            story.append(Paragraph(_esc(s["after"]), st["body"]))
        if s.get("table"):
            if s["table"].get("title"):
                story.append(Paragraph(_esc(s["table"]["title"]), st["h3"]))
            story.append(_table(s["table"]["head"], s["table"]["rows"], width, st))
    story.append(Paragraph(_esc(c.stamp_title), st["h2"]))
    story.append(_table(["", ""], [[k, v] for k, v in c.stamp], width, st))

    def footer(canvas, doc_) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(regular, 7)
        canvas.setFillColor(MUTED)
        canvas.drawString(16 * mm, 9 * mm, f"{c.title} · {c.stamp[3][1][:16]}…")
        canvas.drawRightString(A4[0] - 16 * mm, 9 * mm, tr("page", c.lang, n=doc_.page))
        canvas.restoreState()

    doc.build(story, onFirstPage=footer, onLaterPages=footer)
