"""PAdES signing and verification on real bytes: intact, untrusted, one flipped byte, an appended update."""

import hashlib
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from motcua.signing.models import SignedDocument
from motcua.signing.services.signing import pdf_sign
from motcua.signing.services.verify import pdf_verify

pytestmark = pytest.mark.django_db


def _sign(sample_pdf, certificate, actor, **kwargs) -> SignedDocument:
    return pdf_sign(pdf_bytes=sample_pdf, certificate=certificate, actor=actor, kind="result", **kwargs)


def test_signed_pdf_is_intact_trusted_and_registered(sample_pdf, leader_cert, leader_a, trust_root):
    row = _sign(sample_pdf, leader_cert, leader_a)
    signed = row.file.read()
    assert hashlib.sha256(signed).hexdigest() == row.sha256
    assert signed.startswith(sample_pdf[:8]) and len(signed) > len(sample_pdf)

    result = pdf_verify(pdf_bytes=signed)
    assert result.verdict == "valid", result.signatures[0].problems
    (sig,) = result.signatures
    assert sig.intact and sig.valid and sig.trusted and sig.covers_whole_file and not sig.modified_after
    assert sig.signer_name == "Nguyễn Văn Lãnh Đạo"
    assert sig.issuer.startswith("Test Root CA")
    assert sig.location == "Cà Mau"
    assert abs((sig.signing_time - row.signed_at).total_seconds()) < 60
    assert result.signed_document == row and result.is_registered_copy
    assert sig.token == row.verify_token


def test_pades_subfilter(sample_pdf, leader_cert, leader_a):
    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    reader = PdfReader(io.BytesIO(signed))
    field = reader.get_fields()
    (value,) = [f["/V"] for f in field.values() if f.get("/FT") == "/Sig"]
    assert value["/SubFilter"] == "/ETSI.CAdES.detached"


def test_untrusted_root_is_not_trusted(sample_pdf, leader_cert, leader_a, admin_user, rogue_ca):
    from motcua.signing.services.certificates import trust_root_add

    trust_root_add(actor=admin_user, pem_or_der=rogue_ca.pem)  # some other CA is trusted, not ours
    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    result = pdf_verify(pdf_bytes=signed)
    (sig,) = result.signatures
    assert sig.intact and sig.valid and not sig.trusted
    assert result.verdict == "untrusted" and not result.ok


def test_deactivated_root_is_no_longer_trusted(sample_pdf, leader_cert, leader_a, trust_root, admin_user):
    from motcua.signing.services.certificates import trust_root_deactivate

    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    trust_root_deactivate(actor=admin_user, root=trust_root)
    assert pdf_verify(pdf_bytes=signed).verdict == "untrusted"


def _signed_range(data: bytes) -> list[tuple[int, int]]:
    match = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a, b, c, d = map(int, match.groups())
    return [(a, a + b), (c, c + d)]


def test_one_flipped_byte_in_signed_range_is_invalid(sample_pdf, leader_cert, leader_a, trust_root):
    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    (start, end), _second = _signed_range(signed)
    # A byte in the binary comment on line 2 of the file: parsing still works, the digest cannot.
    position = signed.index(b"\n", 0) + 2
    assert start <= position < end
    tampered = bytearray(signed)
    tampered[position] ^= 0x01
    result = pdf_verify(pdf_bytes=bytes(tampered))
    assert result.verdict == "invalid"
    assert not result.signatures[0].intact
    assert not result.is_registered_copy
    assert result.signed_document is not None  # still names the registered copy to compare with


@pytest.mark.parametrize("fraction", [0.1, 0.3, 0.5, 0.7, 0.9])
def test_any_flipped_byte_is_never_valid(sample_pdf, leader_cert, leader_a, trust_root, fraction):
    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    (start, end), (start2, end2) = _signed_range(signed)
    covered = list(range(start, end)) + list(range(start2, end2))
    position = covered[int(len(covered) * fraction)]
    tampered = bytearray(signed)
    tampered[position] ^= 0x20
    result = pdf_verify(pdf_bytes=bytes(tampered))
    assert not result.ok
    assert result.verdict in {"invalid", "unreadable", "unsigned", "modified"}


def test_incremental_update_after_signing_is_flagged(sample_pdf, leader_cert, leader_a, trust_root):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    signed = _sign(sample_pdf, leader_cert, leader_a).file.read()
    buffer = io.BytesIO(signed)
    writer = IncrementalPdfFileWriter(buffer)
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    page[generic.NameObject("/Rotate")] = generic.NumberObject(90)
    writer.update_container(page)
    writer.write_in_place()
    changed = buffer.getvalue()
    assert len(changed) > len(signed)

    result = pdf_verify(pdf_bytes=changed)
    (sig,) = result.signatures
    assert sig.intact and not sig.covers_whole_file and sig.modified_after
    assert result.verdict == "modified"
    assert "đã bị chỉnh sửa sau khi ký" in result.summary


def test_unsigned_pdf_says_so(sample_pdf, trust_root):
    result = pdf_verify(pdf_bytes=sample_pdf)
    assert result.verdict == "unsigned" and not result.has_signatures
    assert "không có chữ ký số" in result.summary


def test_garbage_is_unreadable_not_an_exception(db):
    assert pdf_verify(pdf_bytes=b"%PDF-1.7\nnot really a pdf").verdict == "unreadable"
    assert pdf_verify(pdf_bytes=b"hello").verdict == "unreadable"


def _images_in(obj, found):
    """Every image XObject under a form XObject's resources, depth first."""
    resources = obj.get("/Resources")
    if resources is None:
        return found
    xobjects = resources.get_object().get("/XObject") or {}
    for ref in xobjects.values():
        xobj = ref.get_object()
        if xobj.get("/Subtype") == "/Image":
            found.append(xobj)
        elif xobj.get("/Subtype") == "/Form":
            _images_in(xobj, found)
    return found


def test_qr_in_the_signature_box_decodes_to_the_verify_url(sample_pdf, leader_cert, leader_a, settings):
    row = _sign(sample_pdf, leader_cert, leader_a)
    reader = PdfReader(io.BytesIO(row.file.read()))
    last = reader.pages[-1]
    widgets = [a.get_object() for a in last.get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
    assert widgets, "the visible signature sits on the last page"
    appearance = widgets[0]["/AP"]["/N"].get_object()
    images = _images_in(appearance, [])
    assert images, "the appearance carries the QR image"
    decoded = []
    for image in images:
        pil = image.decode_as_image()
        assert isinstance(pil, Image.Image)
        # A quiet zone around the code helps the decoder the way white paper does.
        framed = Image.new("L", (pil.width + 40, pil.height + 40), 255)
        framed.paste(pil.convert("L"), (20, 20))
        decoded += [r.text for r in zxingcpp.read_barcodes(framed)]
    assert f"{settings.PUBLIC_BASE_URL}/xac-thuc/{row.verify_token}/" in decoded


def test_stamp_text_is_vietnamese(sample_pdf, leader_cert, leader_a):
    row = _sign(sample_pdf, leader_cert, leader_a)
    reader = PdfReader(io.BytesIO(row.file.read()))
    # pypdf reads the text drawn through the embedded font's ToUnicode map.
    text = reader.pages[-1].extract_text() + "".join(_appearance_text(reader.pages[-1]))
    assert "Nguyễn Văn Lãnh Đạo" in text


def _appearance_text(page):
    from pypdf import PageObject

    for annot in page.get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/FT") != "/Sig":
            continue
        form = annot["/AP"]["/N"].get_object()
        stack = [form]
        while stack:
            xobj = stack.pop()
            resources = xobj.get("/Resources")
            if resources is None:
                continue
            for ref in (resources.get_object().get("/XObject") or {}).values():
                child = ref.get_object()
                if child.get("/Subtype") == "/Form":
                    holder = PageObject.create_blank_page(width=300, height=100)
                    holder[__import__("pypdf").generic.NameObject("/Resources")] = child["/Resources"]
                    holder.replace_contents(child)
                    yield holder.extract_text()
                    stack.append(child)


@pytest.mark.parametrize("size", ["A4", "A5", "A6 landscape"])
def test_stamp_sits_inside_the_last_page(leader_cert, leader_a, trust_root, size):
    from weasyprint import HTML

    pdf = HTML(
        string=f"<style>@page{{size:{size}}}</style><p>Biên lai</p><p style='break-before:page'>2</p>"
    ).write_pdf()
    row = pdf_sign(pdf_bytes=pdf, certificate=leader_cert, actor=leader_a, kind="receipt")
    signed = row.file.read()
    reader = PdfReader(io.BytesIO(signed))
    last = reader.pages[-1]
    (widget,) = [a.get_object() for a in last["/Annots"] if a.get_object().get("/FT") == "/Sig"]
    x1, y1, x2, y2 = (float(v) for v in widget["/Rect"])
    box = last.mediabox
    assert float(box.left) <= x1 < x2 <= float(box.right) and float(box.bottom) <= y1 < y2 <= float(box.top)
    assert pdf_verify(pdf_bytes=signed).verdict == "valid"
