"""Receipts: signed with the agency's seal certificate when the agency holds one, untouched otherwise."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from motcua.dossiers.models import DossierStatus
from motcua.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentStatus, Receipt, ReceiptSeries
from motcua.signing.models import SignedDocument
from motcua.signing.services import receipt_sign_if_configured
from motcua.signing.services.certificates import certificate_deactivate, certificate_import_pkcs12
from motcua.signing.services.verify import pdf_verify
from tests.signing.conftest import PASSPHRASE, p12_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(make_dossier, agency_a, sample_pdf):
    dossier = make_dossier(status=DossierStatus.PAYMENT_REQUESTED)
    request = PaymentRequest.objects.create(
        dossier=dossier,
        agency=agency_a,
        reference="MC00000001",
        items=[{"name": "Lệ phí", "amount": 8000}],
        amount_due=8000,
    )
    payment = Payment.objects.create(
        request=request,
        method=PaymentMethod.CASH,
        status=PaymentStatus.SUCCEEDED,
        amount=8000,
        received_at=timezone.now(),
    )
    series = ReceiptSeries.objects.create(agency=agency_a, year=2026, form="01BLP0-001", symbol="TT-26E")
    row = Receipt.objects.create(
        series=series,
        number=1,
        payment=payment,
        request=request,
        dossier=dossier,
        payer_name="Trần Thị Mai",
        items=request.items,
        amount=8000,
        method="cash",
        issued_at=timezone.now(),
    )
    row.pdf.save("bien-lai.pdf", ContentFile(sample_pdf), save=False)
    row.pdf_sha256 = hashlib.sha256(sample_pdf).hexdigest()
    row.save()
    return row


@pytest.fixture
def agency_seal(admin_user, agency_a, ca):
    return certificate_import_pkcs12(
        actor=admin_user,
        data=p12_for(ca, "UBND xã Tân Thành", org="UBND xã Tân Thành"),
        passphrase=PASSPHRASE,
        label="Con dấu số",
        agency=agency_a,
    )


def test_no_certificate_means_no_signature(receipt):
    assert receipt_sign_if_configured(receipt=receipt) is None
    assert not SignedDocument.objects.exists()


def test_agency_seal_signs_the_receipt_pdf(receipt, agency_seal, trust_root):
    row = receipt_sign_if_configured(receipt=receipt)
    assert row is not None and row.kind == "receipt" and row.receipt == receipt and row.signed_by is None
    receipt.refresh_from_db()
    data = receipt.pdf.read()
    assert hashlib.sha256(data).hexdigest() == receipt.pdf_sha256 == row.sha256
    result = pdf_verify(pdf_bytes=data)
    assert result.verdict == "valid"
    assert result.signatures[0].signer_name == "UBND xã Tân Thành"
    assert "TT-26E" in result.signatures[0].reason


def test_inactive_seal_is_not_used(receipt, agency_seal, admin_user):
    certificate_deactivate(actor=admin_user, certificate=agency_seal)
    assert receipt_sign_if_configured(receipt=receipt) is None


def test_other_agencys_seal_is_not_used(receipt, admin_user, agency_b, ca):
    certificate_import_pkcs12(
        actor=admin_user, data=p12_for(ca, "UBND B"), passphrase=PASSPHRASE, label="", agency=agency_b
    )
    assert receipt_sign_if_configured(receipt=receipt) is None


def test_receipt_issued_by_a_payment_comes_out_signed(make_dossier, agency_a, agency_seal, trust_root, monkeypatch):
    """The contract end to end: payment_record → receipt_issue → receipt_sign_if_configured."""
    from motcua.payments.services.apply import payment_record
    from motcua.payments.services.references import reference_new

    monkeypatch.setattr("motcua.payments.services.dossier_link.dossier_settle", lambda **kwargs: None)
    dossier = make_dossier(status=DossierStatus.PAYMENT_REQUESTED)
    request = PaymentRequest.objects.create(
        dossier=dossier,
        agency=agency_a,
        reference=reference_new(),
        items=[{"name": "Lệ phí", "amount": 8000}],
        amount_due=8000,
    )
    recorded = payment_record(method=PaymentMethod.CASH, amount=8000, request=request, actor=None, payer_name="")
    receipt = recorded.payment.receipts.get()
    data = receipt.pdf.read()
    assert hashlib.sha256(data).hexdigest() == receipt.pdf_sha256
    signed = SignedDocument.objects.get(receipt=receipt)
    assert signed.sha256 == receipt.pdf_sha256
    result = pdf_verify(pdf_bytes=data)
    assert result.verdict == "valid" and result.is_registered_copy
