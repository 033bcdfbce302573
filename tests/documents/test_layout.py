"""The outgoing document's PDF in the Decree 30 layout, signed by the signer and the agency's seal,
verified by the same verifier as the public verification page."""

import io

import pytest
from pypdf import PdfReader

from motcua.core.errors import DomainError
from motcua.documents import layout
from motcua.signing.models import SignedDocument, SigningCertificate
from motcua.signing.services.verify import pdf_verify
from tests.documents.edxml_fixtures import *  # noqa: F403
from tests.documents.edxml_fixtures import outgoing

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_layout_has_the_decree_30_parts(signing_setup, agency_a, leader_a):
    document = outgoing(agency_a, leader_a, urgency="urgent")
    text = _text(layout.render_pdf(document))
    for part in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND XÃ TÂN THÀNH",
        "Số: 15/QĐ-UBND",
        "Tân Thành, ngày 07 tháng 12 năm 2026",
        "QUYẾT ĐỊNH",
        "Về việc thành lập tổ công nghệ số cộng đồng ấp 3",
        "Điều 1. Thành lập tổ công nghệ số cộng đồng ấp 3.",
        "CHỦ TỊCH",
        "Nguyễn Văn An",
        "Nơi nhận:",
        "- Như Điều 3;",
        "- Lưu: VT",
        "KHẨN",
    ):
        assert part in text, part


def test_official_letter_puts_its_summary_under_the_number(signing_setup, agency_a, leader_a):
    document = outgoing(agency_a, leader_a, code="", number=None, type_code="CV", summary="Về việc báo cáo số liệu")
    text = _text(layout.render_pdf(document))
    assert "V/v Về việc báo cáo số liệu" in text
    assert "/UBND" in text and "CÔNG VĂN" not in text


def test_issued_pdf_signed_by_signer_and_seal_verifies(signing_setup, agency_a, leader_a):
    document = outgoing(agency_a, leader_a)
    signed = layout.sign_issued(document, layout.render_pdf(document))
    result = pdf_verify(pdf_bytes=signed)
    assert result.verdict == "valid", [s.problems for s in result.signatures]
    assert len(result.signatures) == 2
    names = [s.signer_name for s in result.signatures]
    assert "Nguyễn Văn An" in names[0] and "UBND xã Tân Thành" in names[1]
    rows = SignedDocument.objects.filter(kind=SignedDocument.Kind.OFFICIAL)
    assert rows.count() == 2
    assert result.signed_document is not None  # the public page finds the registered copy
    assert "Số: 15/QĐ-UBND" in _text(signed)
    tampered = bytearray(signed)
    tampered[len(signed) // 4] ^= 0x01
    assert pdf_verify(pdf_bytes=bytes(tampered)).verdict != "valid"


def test_missing_certificates_refused_with_codes(signing_setup, agency_a, leader_a):
    document = outgoing(agency_a, leader_a)
    pdf = layout.render_pdf(document)
    SigningCertificate.objects.filter(agency=agency_a).update(is_active=False)
    with pytest.raises(DomainError) as caught:
        layout.sign_issued(document, pdf)
    assert caught.value.code == "seal_certificate_missing"
    SigningCertificate.objects.filter(owner=leader_a).update(is_active=False)
    with pytest.raises(DomainError) as caught:
        layout.sign_issued(document, pdf)
    assert caught.value.code == "signer_certificate_missing"


def test_signer_stamp_sits_over_the_signature_space_and_the_seal_over_its_left_third(signing_setup, agency_a, leader_a):
    from motcua.documents.layout.signing import _name_position, signature_boxes

    pdf = layout.render_pdf(outgoing(agency_a, leader_a))
    name_x, name_y = _name_position(pdf, "Nguyễn Văn An")
    signer, seal = signature_boxes(pdf, "Nguyễn Văn An")
    assert signer[1] > name_y and signer[0] < name_x < signer[2]  # above the name, across it
    third = signer[0] + (signer[2] - signer[0]) // 3
    assert seal[2] == third and seal[0] < signer[0]  # covers the signer's left third, from the left
    assert seal[1:4:2] == signer[1:4:2]
    # A page without the name: the signing app's default place.
    assert signature_boxes(pdf, "Không Có Tên Này")[0][1] == 36
