"""The collecting unit's tax code (MST) on the e-receipt and its public verification; a receipt for
money that came in by itself says how it was collected instead of a blank collector."""

import io
import random

import pypdf
import pytest
from django.core.exceptions import ValidationError

from motcua.demo.payments import demo_tax_code
from motcua.payments.models import CollectionAccount, GatewayTransaction, PaymentMethod
from motcua.payments.receipts.pdf import collector_text
from motcua.payments.receipts.services import receipt_pdf_ensure, receipts_issue_bulk

pytestmark = pytest.mark.django_db

VALID_TAX_CODE = "0100109106"  # 9 digits + their check digit 6 (core.identity.tax_check_digit)


@pytest.fixture
def account(agency_a):
    return CollectionAccount.objects.create(
        agency=agency_a,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="7900123456789",
        account_name="UBND XA A",
        tax_code=VALID_TAX_CODE,
    )


def _text(receipt) -> str:
    receipt = receipt_pdf_ensure(receipt)
    with receipt.pdf.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_tax_code_is_validated_with_the_check_digit(agency_a):
    good = CollectionAccount(
        agency=agency_a,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="1",
        account_name="A",
        tax_code=VALID_TAX_CODE,
    )
    good.full_clean()
    bad = CollectionAccount(
        agency=agency_a,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="1",
        account_name="A",
        tax_code=VALID_TAX_CODE[:9] + str((int(VALID_TAX_CODE[9]) + 1) % 10),
    )
    with pytest.raises(ValidationError) as info:
        bad.full_clean()
    assert "tax_code" in info.value.message_dict


@pytest.mark.parametrize(("value", "ok"), [("010010910", False), ("0100109106", True), ("01001091061", False)])
def test_tax_code_length_is_10_digits(agency_a, value, ok):
    account = CollectionAccount(
        agency=agency_a, bank_bin="970405", bank_name="Agribank", account_number="1", account_name="A", tax_code=value
    )
    if ok:
        account.full_clean()
    else:
        with pytest.raises(ValidationError):
            account.full_clean()


def test_cash_receipt_shows_tax_code_and_cashier(account, pay, receipt_of, cashier_a, client):
    receipt = receipt_of(pay(actor=cashier_a))
    assert receipt.collector_tax_code == VALID_TAX_CODE
    text = _text(receipt)
    assert f"Mã số thuế: {VALID_TAX_CODE}" in text
    assert (cashier_a.get_full_name() or cashier_a.username) in text
    page = client.get(f"/bien-lai/{receipt.verify_token}/").content.decode()
    assert VALID_TAX_CODE in page and "Mã số thuế đơn vị thu" in page
    body = client.get(f"/api/v1/receipts/verify/{receipt.verify_token}").json()
    assert body["tax_code"] == VALID_TAX_CODE


def test_bank_transfer_receipt_names_how_it_was_collected(account, pay, receipt_of):
    receipt = receipt_of(pay(method=PaymentMethod.BANK_TRANSFER))
    assert receipt.issued_by_id is None
    expected = "Thu qua chuyển khoản ngân hàng Agribank, tài khoản 7900123456789"
    assert collector_text(receipt) == expected
    assert expected in _text(receipt)


def test_gateway_receipt_names_the_gateway(account, make_request, receipt_of):
    from motcua.payments.services.apply import payment_record

    request = make_request()
    txn = GatewayTransaction.objects.create(request=request, provider="vnpay", txn_ref="T1", amount=request.amount_due)
    payment = payment_record(
        method=PaymentMethod.GATEWAY,
        amount=request.amount_due,
        request=request,
        external_id="VNP1",
        gateway_transaction=txn,
    ).payment
    receipt = receipt_of(payment)
    assert collector_text(receipt) == "Thu qua cổng thanh toán VNPAY"
    assert "Thu qua cổng thanh toán VNPAY" in _text(receipt)


def test_receipt_without_account_has_no_tax_code_line(pay, receipt_of, cashier_a):
    receipt = receipt_of(pay(actor=cashier_a))
    assert receipt.collector_tax_code == ""
    assert "Mã số thuế" not in _text(receipt)


def test_bulk_issue_copies_the_tax_code(account, make_request):
    from motcua.payments.models import Payment, PaymentStatus

    request = make_request()
    payment = Payment.objects.create(
        request=request,
        method=PaymentMethod.BANK_TRANSFER,
        status=PaymentStatus.SUCCEEDED,
        amount=request.amount_due,
        external_id="BULK1",
        received_at=request.created_at,
    )
    assert receipts_issue_bulk(payments=[payment]) == 1
    assert payment.receipts.get().collector_tax_code == VALID_TAX_CODE


def test_demo_tax_codes_pass_the_check_digit():
    from motcua.core.identity import validate_tax_code

    rng = random.Random(7)
    for _ in range(50):
        assert validate_tax_code(demo_tax_code(rng))
