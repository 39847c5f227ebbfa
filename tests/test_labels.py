"""Labels (A4 sheets, ZPL) and the per-lot sanitization certificate."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from reemploi.errors import InvalidInput, UnknownDevice, UnknownLot
from reemploi.inventory.models import Device
from reemploi.refurb.certificate import sanitization_certificate
from reemploi.refurb.labels import GRIDS, device_labels, lot_labels, render_pdf, render_zpl
from reemploi.refurb.models import Sanitization
from reemploi.workflow.service import LABEL_PREFIX

pytestmark = pytest.mark.usefixtures("venues")
S = [f"FOC0000L{i:03d}" for i in range(1, 6)]
LOT = "PAL-LABELS-01"
INJECTION = "TAG^XZ~JA-1"  # an asset tag that would end the label and cancel the printer's jobs


@pytest.fixture
def lot(cli, tmp_path):  # type: ignore[no-untyped-def]
    """Five C9130AXI in a lot packed at Bercy: three wiped (one of them failed, one of them
    checked by a verifier), one tested but not wiped, one never tested."""
    src = tmp_path / "a.csv"
    src.write_text(
        "serial,model,location,state,asset_tag\n"
        + f"{S[0]},C9130AXI,REFURB-IDF,received,{INJECTION}\n"
        + "".join(f"{s},C9130AXI,REFURB-IDF,received,PAR24-{i}\n" for i, s in enumerate(S[1:], start=2))
    )
    assert cli("devices", "import", str(src)).exit_code == 0
    assert cli("refurb", "test", *S[:4], "--firmware", "17.9.4").exit_code == 0
    assert cli("refurb", "sanitize", S[0], "--method", "reimage", "--verifier", "alice").exit_code == 0
    assert cli("refurb", "sanitize", S[1], "--method", "config_erase_verify").exit_code == 0
    assert cli("refurb", "sanitize", S[2], "--method", "factory_reset", "--result", "fail").exit_code == 1
    assert cli("lots", "create", LOT, "--origin", "PAR-BERCY").exit_code == 0
    assert cli("lots", "add", LOT, *S).exit_code == 0
    return S


def pdf_pages(path) -> int:  # type: ignore[no-untyped-def]
    """Page objects in a PDF (reportlab writes them uncompressed), without a PDF library."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", path.read_bytes()))


def test_device_labels_carry_what_the_scan_screen_resolves(session, lot):
    labels = device_labels(session, [lot[0], lot[4].lower()])
    assert [x.serial for x in labels] == [lot[0], lot[4]]
    first = labels[0]
    assert first.payload == f"REEMPLOI:D:{lot[0]}" and first.payload == LABEL_PREFIX + lot[0]
    assert (first.model, first.grade, first.asset_tag, first.state) == ("Cisco C9130AXI", "A", INJECTION, "sanitized")
    assert (labels[1].grade, labels[1].state) == (None, "received")


def test_lot_labels_count_devices_and_name_the_origin(session, lot):
    (label,) = lot_labels(session, [LOT.lower()])
    assert (label.code, label.devices, label.origin, label.payload) == (LOT, 5, "PAR-BERCY", f"REEMPLOI:L:{LOT}")


def test_unknown_serial_or_lot_is_named(session, lot):
    with pytest.raises(UnknownDevice) as e:
        device_labels(session, [lot[0], "GHOST-0001"])
    assert e.value.params == {"serial": "GHOST-0001"}
    with pytest.raises(UnknownLot) as e2:
        lot_labels(session, [LOT, "PAL-NOWHERE"])
    assert e2.value.params == {"lot": "PAL-NOWHERE"}


def test_label_sheet_is_a_pdf_whose_pages_grow_with_the_labels(session, lot, tmp_path):
    labels = device_labels(session, lot) + lot_labels(session, [LOT])  # 6 labels
    per_page = GRIDS["avery-l7163"].per_page
    assert per_page == 14 and GRIDS["avery-l7160"].per_page == 21
    counts = {}
    for n in (6, 14, 15, 30, 42):
        out = tmp_path / f"sheet-{n}.pdf"
        many = (labels * 8)[:n]
        assert render_pdf(many, out, lang="fr") == -(-n // per_page)
        assert out.read_bytes().startswith(b"%PDF-")
        assert out.read_bytes().rstrip().endswith(b"%%EOF")
        counts[n] = pdf_pages(out)
    assert counts == {6: 1, 14: 1, 15: 2, 30: 3, 42: 3}
    out = tmp_path / "l7160.pdf"
    assert render_pdf((labels * 8)[:42], out, lang="en", grid="avery-l7160") == 2 and pdf_pages(out) == 2


def test_label_sheet_is_reproducible_and_refuses_bad_options(session, lot, tmp_path):
    labels = device_labels(session, lot)
    render_pdf(labels, tmp_path / "a.pdf")
    render_pdf(labels, tmp_path / "b.pdf")
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    with pytest.raises(InvalidInput):
        render_pdf(labels, tmp_path / "c.pdf", grid="avery-l9999")
    with pytest.raises(InvalidInput):
        render_pdf(labels, tmp_path / "c.pdf", lang="de")
    with pytest.raises(InvalidInput):
        render_pdf(labels, tmp_path)  # a folder


ZPL_COMMANDS = {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "BQ", "FH", "FD", "FS", "A0", "FB"}


def test_zpl_has_one_label_per_item_and_data_cannot_inject_commands(session, lot):
    labels = device_labels(session, lot) + lot_labels(session, [LOT])
    zpl = render_zpl(labels)
    assert zpl.count("^XA") == zpl.count("^XZ") == len(labels) == 6
    blocks = re.findall(r"\^XA(.*?)\^XZ", zpl, flags=re.S)
    assert len(blocks) == 6 and not re.sub(r"\^XA.*?\^XZ", "", zpl, flags=re.S).strip()
    for block, label in zip(blocks, labels, strict=True):
        assert "^CI28" in block and f"^BQN,2,5^FH_^FDQA,{label.payload}^FS" in block
        assert block.count("^FD") == block.count("^FS")
    assert set(re.findall(r"\^([A-Z0-9]{2})", zpl)) <= ZPL_COMMANDS  # nothing but what we emit
    assert "~" not in zpl  # no tilde command either
    tagged = blocks[0]
    assert "TAG_5EXZ_7EJA-1" in tagged  # the asset tag is printed, hex-escaped under ^FH
    assert lot[0] in blocks[0] and "Cisco C9130AXI" in blocks[0] and "Grade: A" in render_zpl(labels[:1], lang="en")


def recompute(session, lot_code: str) -> str:  # type: ignore[no-untyped-def]
    """The digest by the rule printed on the certificate, from the database records."""
    lines = ["REEMPLOI-SANITIZATION-CERTIFICATE v1", f"LOT\t{lot_code}"]
    devices = session.execute(select(Device.id, Device.serial).where(Device.lot.has(code=lot_code))).all()
    for did, serial in sorted(devices, key=lambda d: d[1]):
        records = session.scalars(select(Sanitization).where(Sanitization.device_id == did)).all()
        if not records:
            lines.append(f"{serial}\tCisco C9130AXI\t\tmissing\t\t\t")
            continue
        s = max(records, key=lambda r: (r.at, r.id))
        when = s.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        result = "pass" if s.passed else "fail"
        lines.append("\t".join([serial, "Cisco C9130AXI", s.method, result, s.operator, s.verifier or "", when]))
    return hashlib.sha256(("\n".join(lines) + "\n").encode("utf-8")).hexdigest()


def test_certificate_lists_every_device_and_its_digest_is_recomputable(session, lot, tmp_path):
    out = tmp_path / "cert.pdf"
    cert = sanitization_certificate(session, LOT.lower(), out, lang="fr")
    assert out.read_bytes().startswith(b"%PDF-") and pdf_pages(out) == 1
    assert (cert.lot, cert.devices, cert.passed, cert.failed, cert.missing) == (LOT, 5, 2, 1, 2)
    assert re.fullmatch(r"[0-9a-f]{64}", cert.digest)
    assert cert.digest == recompute(session, LOT)
    assert f"sha256:{cert.digest}".encode() in out.read_bytes()  # in the PDF's metadata too
    # The records, not the moment or the language, make the digest.
    later = sanitization_certificate(session, LOT, tmp_path / "c2.pdf", lang="en", now=datetime(2030, 1, 1, tzinfo=UTC))
    assert later.digest == cert.digest and later.generated_at.year == 2030


def test_certificate_digest_changes_when_a_record_changes(cli, session, lot, tmp_path):
    before = sanitization_certificate(session, LOT, tmp_path / "a.pdf").digest
    session.rollback()
    assert cli("refurb", "sanitize", lot[2], "--method", "reimage", "--verifier", "bob").exit_code == 0
    session.rollback()
    after = sanitization_certificate(session, LOT, tmp_path / "b.pdf")
    assert after.digest != before and after.digest == recompute(session, LOT)
    assert (after.passed, after.failed, after.missing) == (3, 0, 2)
    # A record altered behind the application's back shows as well.
    rec = session.scalars(select(Sanitization).order_by(Sanitization.id)).first()
    assert rec is not None
    rec.operator = "mallory"
    session.flush()
    assert sanitization_certificate(session, LOT, tmp_path / "c.pdf").digest not in (before, after.digest)


def test_certificate_of_an_unknown_lot_is_refused(session, lot, tmp_path):
    with pytest.raises(UnknownLot) as e:
        sanitization_certificate(session, "PAL-NOWHERE", tmp_path / "x.pdf")
    assert e.value.params == {"lot": "PAL-NOWHERE"}
    assert not (tmp_path / "x.pdf").exists()
