"""A certificate from a demo root is shown as "chứng thư thử nghiệm, không có giá trị pháp lý":
on the public page, in the API (`trust: "demo"`) and in the visible stamp; a real root is not."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from motcua.signing.appearance import appearance_pdf
from motcua.signing.services.certificates import certificate_import_pkcs12, trust_root_add
from motcua.signing.services.signing import pdf_sign
from motcua.signing.services.trust import certificate_is_demo
from motcua.signing.services.verify import pdf_verify
from tests.signing.conftest import PASSPHRASE, p12_for

pytestmark = pytest.mark.django_db

DEMO = "Chứng thư thử nghiệm, không có giá trị pháp lý"
TRUSTED = "người ký được tin cậy"


@pytest.fixture
def demo_root(admin_user, ca):
    return trust_root_add(actor=admin_user, pem_or_der=ca.pem, name="Demo root", is_demo=True)


@pytest.fixture
def signed(leader_a, leader_cert, sample_pdf):
    return pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result")


def test_demo_root_signature_is_valid_but_marked_demo_in_service_page_and_api(demo_root, signed, client):
    verification = pdf_verify(pdf_bytes=signed.signed_bytes)
    assert verification.verdict == "valid" and verification.trust == "demo"
    assert verification.signatures[0].trust == "demo"
    assert "không có giá trị pháp lý" in verification.summary and TRUSTED not in verification.summary

    page = client.get(reverse("verify:token", args=[signed.verify_token])).content.decode()
    assert DEMO in page and TRUSTED not in page and 'data-trust="demo"' in page

    body = client.get(f"/api/v1/verify/{signed.verify_token}").json()
    assert body["trust"] == "demo" and body["signatures"][0]["trust"] == "demo"
    assert body["signatures"][0]["demo"] is True and TRUSTED not in body["summary"]


def test_real_root_signature_is_trusted(trust_root, signed, client):
    verification = pdf_verify(pdf_bytes=signed.signed_bytes)
    assert verification.trust == "trusted" and TRUSTED in verification.summary
    body = client.get(f"/api/v1/verify/{signed.verify_token}").json()
    assert body["trust"] == "trusted" and body["signatures"][0]["demo"] is False
    page = client.get(reverse("verify:token", args=[signed.verify_token])).content.decode()
    assert DEMO not in page


def test_untrusted_signature_is_neither(signed, client):
    assert pdf_verify(pdf_bytes=signed.signed_bytes).trust == "untrusted"
    assert client.get(f"/api/v1/verify/{signed.verify_token}").json()["trust"] == "untrusted"


def test_certificate_from_another_ca_is_not_demo(demo_root, leader_a, rogue_ca, leader_cert):
    assert certificate_is_demo(leader_cert.certificate_pem)
    other = certificate_import_pkcs12(
        actor=leader_a, data=p12_for(rogue_ca, "Người khác"), passphrase=PASSPHRASE, label="Khác"
    )
    assert not certificate_is_demo(other.certificate_pem)


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_stamp_says_demo_only_for_demo_certificates():
    import datetime

    at = datetime.datetime(2026, 12, 3, 8, 20, tzinfo=datetime.UTC)
    demo = _text(appearance_pdf(signer_name="A", organisation="UBND", signed_at=at, url="https://x/", demo=True))
    real = _text(appearance_pdf(signer_name="A", organisation="UBND", signed_at=at, url="https://x/"))
    assert "không có giá trị pháp lý" in demo and "không có giá trị pháp lý" not in real


def test_pdf_sign_draws_the_demo_stamp(demo_root, leader_a, leader_cert, sample_pdf, monkeypatch):
    from motcua.signing.services import signing

    seen = []
    real = signing.appearance_pdf

    def spy(**kwargs):
        seen.append(kwargs["demo"])
        return real(**kwargs)

    monkeypatch.setattr(signing, "appearance_pdf", spy)
    pdf_sign(pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result")
    assert seen == [True]
