"""A dossier's payment from request to settlement: the clock pauses and resumes, partial and
over-payment, unmatched money, assignment and refund, and nothing paid twice."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.calendar import add_working_days
from motcua.core.errors import DomainError
from motcua.dossiers.models import DossierEvent, DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentRequestStatus, PaymentStatus
from motcua.payments.services.apply import payment_assign, payment_record, payment_refund
from motcua.payments.services.cash import cash_record
from motcua.payments.services.references import references_in
from motcua.payments.services.requests import (
    overpayment_refund,
    payment_request_cancel,
    payment_request_create,
)

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db
S = DossierStatus
R = PaymentRequestStatus
TUESDAY_10 = MONDAY_10 + datetime.timedelta(days=1)
THURSDAY_10 = MONDAY_10 + datetime.timedelta(days=3)


@pytest.fixture
def at_thursday(monkeypatch):
    """Money arrives on Thursday 10:00, two working days after the request."""
    monkeypatch.setattr(timezone, "now", lambda: THURSDAY_10)


def _transfer(amount, text, txn="FT26078000001"):
    return payment_record(method=PaymentMethod.BANK_TRANSFER, amount=amount, external_id=txn, description=text)


def test_request_fees_creates_the_request_and_pauses_the_clock(waiting, pay_request):
    assert waiting.status == S.PAYMENT_REQUESTED and waiting.paused_at == TUESDAY_10
    assert pay_request.status == R.OPEN and pay_request.amount_due == 8000 and pay_request.amount_paid == 0
    assert references_in(pay_request.reference) == [pay_request.reference]
    assert pay_request.agency == waiting.receiving_agency
    event = DossierEvent.objects.get(dossier=waiting, action="request_fees")
    assert event.data["payment_request"] == pay_request.reference and event.data["amount"] == 8000


def test_cash_in_full_resumes_the_dossier_and_moves_the_due_date(at_thursday, waiting, pay_request, cashier_a):
    due_before = waiting.due_at
    recorded = cash_record(request=pay_request, actor=cashier_a, amount=8000, slip_id="TM-1")
    assert recorded.created
    pay_request.refresh_from_db()
    waiting.refresh_from_db()
    assert pay_request.status == R.PAID and pay_request.paid_at == THURSDAY_10
    assert waiting.status == S.PROCESSING and waiting.paused_at is None
    assert waiting.due_at == add_working_days(due_before, 2)
    event = DossierEvent.objects.get(dossier=waiting, action="fees_paid")
    assert event.actor == cashier_a and event.data["payment_request"] == pay_request.reference
    assert event.data["receipt_number"] and event.data["paused_days"] == "2"


def test_bank_transfer_resumes_the_dossier_with_no_officer(at_thursday, waiting, pay_request):
    recorded = _transfer(8000, f"IBFT NGUYEN VAN A CK {pay_request.reference.lower()} LE PHI")
    assert recorded.payment.status == PaymentStatus.SUCCEEDED
    waiting.refresh_from_db()
    assert waiting.status == S.PROCESSING
    event = DossierEvent.objects.get(dossier=waiting, action="fees_paid")
    assert event.actor is None and event.data["payment_method"] == PaymentMethod.BANK_TRANSFER


def test_partial_payment_keeps_the_clock_paused_until_the_rest(at_thursday, waiting, pay_request, cashier_a):
    cash_record(request=pay_request, actor=cashier_a, amount=5000, slip_id="TM-1")
    pay_request.refresh_from_db()
    waiting.refresh_from_db()
    assert pay_request.status == R.PARTLY_PAID and pay_request.amount_outstanding == 3000
    assert waiting.status == S.PAYMENT_REQUESTED
    _transfer(3000, f"chuyen khoan {pay_request.reference}")
    pay_request.refresh_from_db()
    waiting.refresh_from_db()
    assert pay_request.status == R.PAID and pay_request.amount_paid == 8000
    assert waiting.status == S.PROCESSING


def test_over_payment_settles_and_is_shown_for_refund(waiting, pay_request, cashier_a):
    cash_record(request=pay_request, actor=cashier_a, amount=10000, slip_id="TM-1")
    pay_request.refresh_from_db()
    assert pay_request.status == R.OVERPAID
    waiting.refresh_from_db()
    assert waiting.status == S.PROCESSING
    with pytest.raises(DomainError) as err:
        overpayment_refund(request=pay_request, actor=cashier_a, note="")
    assert err.value.code == "note_required"
    refunded = overpayment_refund(request=pay_request, actor=cashier_a, note="Trả lại 2.000 đ tiền mặt")
    assert refunded.status == R.PAID and refunded.amount_paid == 8000 and "2.000" in refunded.note
    with pytest.raises(DomainError) as err:
        overpayment_refund(request=refunded, actor=cashier_a, note="lần nữa")
    assert err.value.code == "not_overpaid"


def test_unmatched_transfer_then_assigned_by_the_cashier(waiting, pay_request, cashier_a):
    recorded = _transfer(8000, "NGUYEN VAN A CHUYEN TIEN LE PHI")
    assert recorded.payment.status == PaymentStatus.UNMATCHED and recorded.payment.request is None
    payment_assign(payment=recorded.payment, request=pay_request, actor=cashier_a, note="Đã gọi điện xác nhận")
    pay_request.refresh_from_db()
    waiting.refresh_from_db()
    assert pay_request.status == R.PAID and waiting.status == S.PROCESSING
    with pytest.raises(DomainError) as err:
        payment_assign(payment=recorded.payment, request=pay_request, actor=cashier_a)
    assert err.value.code == "payment_not_unmatched"


def test_unmatched_transfer_refunded(cashier_a, agency_a):
    recorded = _transfer(25000, "khong ro noi dung")
    refunded = payment_refund(payment=recorded.payment, actor=cashier_a, note="Hoàn trả qua ngân hàng ngày 20/3")
    assert refunded.status == PaymentStatus.REFUNDED
    with pytest.raises(DomainError):
        payment_refund(payment=refunded, actor=cashier_a, note="lần nữa")


def test_nothing_is_paid_twice(waiting, pay_request, cashier_a):
    first = cash_record(request=pay_request, actor=cashier_a, amount=5000, slip_id="TM-SAME")
    again = cash_record(request=pay_request, actor=cashier_a, amount=5000, slip_id="TM-SAME")
    assert first.created and not again.created and again.payment.pk == first.payment.pk
    bank = _transfer(3000, pay_request.reference, txn="FT-DUP")
    bank_again = _transfer(3000, pay_request.reference, txn="FT-DUP")
    assert bank.created and not bank_again.created
    pay_request.refresh_from_db()
    assert pay_request.amount_paid == 8000 and Payment.objects.count() == 2
    # Money naming a request that is already paid is not counted: the cashier decides.
    late = _transfer(8000, pay_request.reference, txn="FT-LATE")
    assert late.payment.status == PaymentStatus.UNMATCHED
    pay_request.refresh_from_db()
    assert pay_request.amount_paid == 8000
    # The same cash slip on a paid request is a repeated form, not an error and not money.
    assert not cash_record(request=pay_request, actor=cashier_a, amount=5000, slip_id="TM-SAME").created
    with pytest.raises(DomainError) as err:
        cash_record(request=pay_request, actor=cashier_a, amount=5000, slip_id="TM-NEW")
    assert err.value.code == "payment_request_closed"


def test_a_new_request_cancels_the_open_one(waiting, pay_request, cashier_a):
    newer = payment_request_create(dossier=waiting, actor=cashier_a, amount=12000, note="Tính lại")
    pay_request.refresh_from_db()
    assert pay_request.status == R.CANCELLED and newer.reference in pay_request.cancel_reason
    assert newer.status == R.OPEN and newer.amount_due == 12000
    assert PaymentRequest.objects.filter(dossier=waiting, status__in=[R.OPEN, R.PARTLY_PAID]).count() == 1


def test_one_live_request_per_dossier_is_a_database_rule(waiting, pay_request):
    with pytest.raises(IntegrityError), transaction.atomic():
        PaymentRequest.objects.create(dossier=waiting, agency=pay_request.agency, reference="MC22222222", amount_due=1)


def test_partly_paid_request_is_not_replaced(waiting, pay_request, cashier_a):
    cash_record(request=pay_request, actor=cashier_a, amount=1000)
    with pytest.raises(DomainError) as err:
        payment_request_create(dossier=waiting, actor=cashier_a, amount=12000)
    assert err.value.code == "payment_request_partly_paid"


def test_cancelling_hands_the_money_back_to_the_cashier(waiting, pay_request, cashier_a):
    recorded = cash_record(request=pay_request, actor=cashier_a, amount=3000)
    with pytest.raises(DomainError):
        payment_request_cancel(request=pay_request, actor=cashier_a, reason=" ")
    payment_request_cancel(request=pay_request, actor=cashier_a, reason="Nhập sai số tiền")
    recorded.payment.refresh_from_db()
    assert recorded.payment.status == PaymentStatus.UNMATCHED and pay_request.reference in recorded.payment.resolution_note
    newer = payment_request_create(dossier=waiting, actor=cashier_a, amount=8000)
    payment_assign(payment=recorded.payment, request=newer, actor=cashier_a)
    newer.refresh_from_db()
    assert newer.status == R.PARTLY_PAID and newer.amount_paid == 3000


@pytest.mark.parametrize("action, actor, params", [
    ("withdraw", "receptionist_a", {"reason": "Người nộp có đơn rút hồ sơ"}),
    ("stop", "leader_a", {"reason": "Không đủ điều kiện"}),
])
def test_ended_dossier_cancels_its_request(request, waiting, pay_request, action, actor, params):
    dossier_act(dossier=waiting, actor=request.getfixturevalue(actor), action=action, **params)
    pay_request.refresh_from_db()
    assert pay_request.status == R.CANCELLED and pay_request.cancel_reason
    event = DossierEvent.objects.get(dossier=waiting, action=action)
    assert event.data["payment_requests_cancelled"] == [pay_request.reference]


def test_confirming_by_hand_closes_the_open_request(waiting, pay_request, cashier_a):
    dossier_act(dossier=waiting, actor=cashier_a, action="fees_paid", receipt_number="BL-0001")
    pay_request.refresh_from_db()
    assert pay_request.status == R.CANCELLED and "BL-0001" in pay_request.cancel_reason


def test_confirming_by_hand_a_partly_paid_request_is_refused(waiting, pay_request, cashier_a):
    cash_record(request=pay_request, actor=cashier_a, amount=1000)
    with pytest.raises(DomainError) as err:
        dossier_act(dossier=waiting, actor=cashier_a, action="fees_paid")
    assert err.value.code == "payment_request_partly_paid"
    waiting.refresh_from_db()
    assert waiting.status == S.PAYMENT_REQUESTED


def test_the_system_actor_may_only_confirm_payment(waiting):
    with pytest.raises(DomainError) as err:
        dossier_act(dossier=waiting, actor=None, action="stop", system=True, reason="x")
    assert err.value.code == "action_forbidden"
    with pytest.raises(DomainError) as err:
        dossier_act(dossier=waiting, actor=None, action="fees_paid")
    assert err.value.code == "action_forbidden"


def test_cash_only_by_the_collecting_agency(pay_request, cashier_b, specialist_a):
    for officer in (cashier_b, specialist_a):
        with pytest.raises(DomainError) as err:
            cash_record(request=pay_request, actor=officer, amount=8000)
        assert err.value.status == 403
