"""Issuing: one receipt per succeeded payment, numbered per agency and year without gaps or reuse."""

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent
from motcua.payments.models import PaymentMethod, Receipt, ReceiptSeries, ReceiptStatus
from motcua.payments.receipts.services import DEFAULT_FORM, receipt_issue
from motcua.payments.services.apply import payment_record

pytestmark = pytest.mark.django_db


def test_first_receipt_creates_the_default_series(pay, receipt_of, agency_a, cashier_a):
    receipt = receipt_of(pay(actor=cashier_a))
    year = timezone.localdate().year
    series = receipt.series
    assert (series.agency, series.year, series.form, series.symbol) == (
        agency_a,
        year,
        DEFAULT_FORM,
        f"BL-{year % 100:02d}E",
    )
    assert receipt.number == 1 and series.last_number == 1
    assert receipt.status == ReceiptStatus.ISSUED
    assert receipt.issued_by == cashier_a
    assert receipt.pdf and len(receipt.pdf_sha256) == 64
    assert AuditEvent.objects.filter(action="receipt.issue", object_id=str(receipt.pk)).exists()


def test_numbers_per_agency_follow_on(pay, receipt_of, agency_a, agency_b):
    numbers_a = [receipt_of(pay(agency=agency_a)).number for _ in range(3)]
    numbers_b = [receipt_of(pay(agency=agency_b)).number for _ in range(2)]
    assert numbers_a == [1, 2, 3]
    assert numbers_b == [1, 2]
    assert ReceiptSeries.objects.filter(agency=agency_a).count() == 1


def test_a_new_year_starts_a_new_series(pay, receipt_of, agency_a):
    year = timezone.localdate().year
    ReceiptSeries.objects.create(
        agency=agency_a, year=year - 1, form=DEFAULT_FORM, symbol=f"BL-{(year - 1) % 100:02d}E", last_number=412
    )
    receipt = receipt_of(pay())
    assert receipt.series.year == year and receipt.number == 1


def test_the_administrators_active_series_is_used(pay, receipt_of, agency_a):
    year = timezone.localdate().year
    ReceiptSeries.objects.create(
        agency=agency_a, year=year, form=DEFAULT_FORM, symbol=f"AB-{year % 100:02d}E", last_number=41
    )
    assert receipt_of(pay()).number == 42


def test_no_active_series_is_refused_and_nothing_is_recorded(make_request, agency_a):
    year = timezone.localdate().year
    ReceiptSeries.objects.create(agency=agency_a, year=year, form=DEFAULT_FORM, symbol="BL-XXE", is_active=False)
    request = make_request()
    with pytest.raises(DomainError) as exc:
        payment_record(method=PaymentMethod.CASH, amount=request.amount_due, request=request)
    assert exc.value.code == "receipt_series_missing"
    assert not Receipt.objects.exists()
    request.refresh_from_db()
    assert request.amount_paid == 0


def test_receipt_copies_payer_items_and_amount(pay, receipt_of, citizen):
    receipt = receipt_of(pay(method=PaymentMethod.BANK_TRANSFER))
    assert receipt.payer_name == "Trần Thị Mai"
    assert receipt.payer_address == "Ấp 2, xã Tân Thành"
    assert receipt.payer_personal_id == citizen.person.personal_id
    # Exempt items are not on the receipt.
    assert receipt.items == [{"name": "Lệ phí đăng ký", "amount": 100000}, {"name": "Phí cấp bản sao", "amount": 50000}]
    assert receipt.amount == 150000
    assert receipt.method == PaymentMethod.BANK_TRANSFER
    assert receipt.request == receipt.payment.request and receipt.dossier == receipt.request.dossier


def test_part_payments_each_get_a_receipt_for_the_sum_received(make_request, pay):
    request = make_request()
    first = pay(request, amount=60000).receipts.get()
    second = pay(request, amount=90000).receipts.get()
    assert (first.number, second.number) == (1, 2)
    assert first.amount == 60000 and len(first.items) == 1 and first.items[0]["amount"] == 60000
    assert request.dossier.code in first.items[0]["name"]


def test_recording_the_same_transaction_twice_issues_one_receipt(make_request):
    request = make_request()
    for _ in range(2):
        payment_record(method=PaymentMethod.BANK_TRANSFER, amount=150000, request=request, external_id="FT2601")
    assert Receipt.objects.count() == 1


def test_issue_again_returns_the_current_receipt(pay, receipt_of):
    payment = pay()
    receipt = receipt_of(payment)
    assert receipt_issue(payment=payment) == receipt
    assert Receipt.objects.count() == 1


def test_unmatched_money_gets_no_receipt():
    payment = payment_record(method=PaymentMethod.BANK_TRANSFER, amount=5000, description="không có mã").payment
    assert payment.status == "unmatched"
    assert not Receipt.objects.exists()


def test_a_receipt_is_never_deleted(pay, receipt_of):
    receipt = receipt_of(pay())
    with pytest.raises(ProtectedError):
        receipt.delete()
    assert Receipt.objects.filter(pk=receipt.pk).exists()


def test_pdf_deferred_when_configured(settings, pay, receipt_of):
    from motcua.payments.receipts.services import receipt_pdf_ensure

    settings.RECEIPT_PDF_ON_ISSUE = False
    receipt = receipt_of(pay())
    assert not receipt.pdf
    receipt = receipt_pdf_ensure(receipt)
    assert receipt.pdf and receipt.pdf_sha256


def test_admin_lists_series_and_receipts_read_only(client, pay, receipt_of):
    from tests.factories import UserFactory

    receipt = receipt_of(pay())
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    assert client.get("/quan-tri/payments/receiptseries/").status_code == 200
    assert client.get("/quan-tri/payments/receipt/").status_code == 200
    assert client.get(f"/quan-tri/payments/receipt/{receipt.pk}/delete/").status_code == 403
    assert client.get(f"/quan-tri/payments/receiptseries/{receipt.series.pk}/delete/").status_code == 403
