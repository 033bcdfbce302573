"""Cancel and replace: a reason, a cashier of the agency, only from ISSUED; every action audited."""

import pytest

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEvent
from motcua.payments.models import Receipt, ReceiptStatus
from motcua.payments.receipts.services import receipt_cancel, receipt_replace

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(pay, receipt_of):
    return receipt_of(pay())


def test_cancel(receipt, cashier_a):
    cancelled = receipt_cancel(receipt=receipt, actor=cashier_a, reason="Thu nhầm hồ sơ")
    assert cancelled.status == ReceiptStatus.CANCELLED
    assert cancelled.cancel_reason == "Thu nhầm hồ sơ" and cancelled.cancelled_by == cashier_a
    assert cancelled.cancelled_at is not None
    event = AuditEvent.objects.get(action="receipt.cancel")
    assert event.actor == cashier_a and event.object_id == str(receipt.pk)


def test_cannot_cancel_twice(receipt, cashier_a):
    receipt_cancel(receipt=receipt, actor=cashier_a, reason="Thu nhầm")
    with pytest.raises(DomainError) as exc:
        receipt_cancel(receipt=receipt, actor=cashier_a, reason="Lần nữa")
    assert exc.value.code == "receipt_not_issued" and exc.value.status == 409


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_reason_required(receipt, cashier_a, reason):
    with pytest.raises(DomainError) as exc:
        receipt_cancel(receipt=receipt, actor=cashier_a, reason=reason)
    assert exc.value.code == "reason_required"
    with pytest.raises(DomainError):
        receipt_replace(receipt=receipt, actor=cashier_a, reason=reason, payer_name="X")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.ISSUED


def test_only_a_cashier_of_the_agency(receipt, specialist_a, cashier_b):
    for actor in (specialist_a, cashier_b):
        with pytest.raises(PermissionDenied):
            receipt_cancel(receipt=receipt, actor=actor, reason="Thu nhầm")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.ISSUED


def test_replace_links_both_ways_and_takes_a_new_number(receipt, cashier_a, pay, receipt_of):
    new = receipt_replace(receipt=receipt, actor=cashier_a, reason="Sai tên người nộp", payer_name="Trần Thị Mai Anh")
    old = Receipt.objects.get(pk=receipt.pk)
    assert old.status == ReceiptStatus.REPLACED and old.cancel_reason == "Sai tên người nộp"
    assert new.replaces == old and old.replaced_by == new
    assert new.status == ReceiptStatus.ISSUED and new.number == 2 and new.series == old.series
    assert new.payer_name == "Trần Thị Mai Anh"
    assert (new.payer_address, new.items, new.amount, new.payment) == (
        old.payer_address,
        old.items,
        old.amount,
        old.payment,
    )
    assert new.pdf and new.pdf_sha256 != old.pdf_sha256
    # No reuse: the next payment takes the number after the replacement.
    assert receipt_of(pay()).number == 3
    actions = set(AuditEvent.objects.filter(object_type="receipt").values_list("action", flat=True))
    assert actions == {"receipt.issue", "receipt.replace"}


def test_replaced_or_cancelled_cannot_be_replaced_again(receipt, cashier_a):
    receipt_replace(receipt=receipt, actor=cashier_a, reason="Sai địa chỉ", payer_address="Ấp 3")
    with pytest.raises(DomainError) as exc:
        receipt_replace(receipt=receipt, actor=cashier_a, reason="Lại", payer_name="Y")
    assert exc.value.code == "receipt_not_issued"
    with pytest.raises(DomainError):
        receipt_cancel(receipt=receipt, actor=cashier_a, reason="Lại")


def test_replacement_items_must_add_up_to_the_money_received(receipt, cashier_a):
    with pytest.raises(DomainError) as exc:
        receipt_replace(receipt=receipt, actor=cashier_a, reason="Sai khoản", items=[{"name": "Lệ phí", "amount": 1}])
    assert exc.value.code == "receipt_amount_mismatch"
    with pytest.raises(DomainError) as exc:
        receipt_replace(receipt=receipt, actor=cashier_a, reason="Sai khoản", items=[{"name": "", "amount": 150000}])
    assert exc.value.code == "receipt_items_invalid"
    assert Receipt.objects.count() == 1 and Receipt.objects.get().status == ReceiptStatus.ISSUED
    new = receipt_replace(
        receipt=receipt, actor=cashier_a, reason="Gộp khoản", items=[{"name": "Phí, lệ phí", "amount": 150000}]
    )
    assert new.items == [{"name": "Phí, lệ phí", "amount": 150000}]


def test_delete_is_refused_even_in_bulk_through_protect(receipt):
    from django.db.models import ProtectedError

    # The payment a receipt certifies cannot be deleted either.
    with pytest.raises(ProtectedError):
        receipt.payment.delete()
