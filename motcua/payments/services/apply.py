"""Counting money received against what a dossier owes. Every way of paying ends here.

`payment_record` is the one place a `Payment` is created. It is idempotent on
`(method, external_id)`: the same bank transaction or gateway callback recorded twice returns the
first payment and changes nothing, so nothing is ever paid twice. In one transaction it locks the
request, counts the sum, moves the request to partly paid / paid / overpaid, issues the e-receipt,
and when the request is settled resumes the dossier (`fees_paid`), which restarts its clock.

Money that cannot be counted (no reference found, request cancelled or already settled) is kept
as `unmatched` for the cashier, who may assign it to a request (`payment_assign`) or record that
it was handed back (`payment_refund`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.transitions import audit_record

from ..models import Payment, PaymentMethod, PaymentRequest, PaymentRequestStatus, PaymentStatus
from ..receipts.services import receipt_issue
from . import dossier_link
from .references import references_in

LIVE = (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID)
SETTLED = (PaymentRequestStatus.PAID, PaymentRequestStatus.OVERPAID)
# No fee or transfer comes near this; anything larger is a typo or a forged input, and the sums
# must stay well inside the database's 64-bit integers.
MAX_AMOUNT = 10**15


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    created: bool  # False: this transaction was already recorded; nothing changed


def request_for_text(text: str) -> PaymentRequest | None:
    """The request whose reference appears in a transfer content, if exactly one does."""
    refs = references_in(text)
    if not refs:
        return None
    found = list(PaymentRequest.objects.filter(reference__in=refs)[:2])
    return found[0] if len(found) == 1 else None


# The counting rules. `payment_record` applies them to one payment and saves at once; the bank
# statement import (`channels.services.statements`) applies them line by line in memory and writes
# the result in bulk. tests/payments/channels/test_statement_equivalence.py holds the two together.


def payment_status_for(request: PaymentRequest | None) -> str:
    """Money counts toward a live request; anything else is kept unmatched for the cashier."""
    return PaymentStatus.SUCCEEDED if request is not None and request.status in LIVE else PaymentStatus.UNMATCHED


def status_after(*, amount_paid: int, amount_due: int) -> str:
    if amount_paid == amount_due:
        return PaymentRequestStatus.PAID
    if amount_paid > amount_due:
        return PaymentRequestStatus.OVERPAID
    return PaymentRequestStatus.PARTLY_PAID if amount_paid else PaymentRequestStatus.OPEN


def request_count(request: PaymentRequest, amount: int, *, now: datetime.datetime) -> bool:
    """Count `amount` toward a live request, in memory: the total, the status it leads to, and `paid_at`
    when that settles it. True when this amount settled the request (its dossier may resume)."""
    request.amount_paid += amount
    request.status = status_after(amount_paid=request.amount_paid, amount_due=request.amount_due)
    if request.status in SETTLED:
        request.paid_at = now
        return True
    return False


def payment_audit_data(*, method: str, amount: int, request: PaymentRequest | None, status: str) -> dict:
    """What the `payment.record` audit row says about a payment."""
    return {"method": method, "amount": amount, "request": request.reference if request else None, "status": status}


def _count(payment: Payment, request: PaymentRequest, *, actor: User | None, now: datetime.datetime) -> None:
    """Count a succeeded payment toward a locked live request; settle the dossier when paid."""
    settled = request_count(request, payment.amount, now=now)
    request.save(update_fields=["amount_paid", "status", "updated_at", *(["paid_at"] if settled else [])])

    receipt_issue(payment=payment, actor=actor)
    if settled:
        dossier_link.dossier_settle(request=request, payment=payment, actor=actor)


def payment_record(
    *,
    method: str,
    amount: int,
    received_at: datetime.datetime | None = None,
    external_id: str | None = None,
    request: PaymentRequest | None = None,
    payer_name: str = "",
    description: str = "",
    actor: User | None = None,
    statement_line=None,
    gateway_transaction=None,
) -> Recorded:
    """Record `amount` đồng received by `method`, for `request` or the request named in `description`."""
    if method not in PaymentMethod.values:
        raise DomainError(_("Hình thức thanh toán không hợp lệ."), code="payment_method_invalid")
    if not isinstance(amount, int) or amount <= 0 or amount > MAX_AMOUNT:
        raise DomainError(_("Số tiền phải là số nguyên dương (đồng)."), code="amount_invalid")
    external_id = (external_id or "").strip()[:64] or None
    now = timezone.now()
    if external_id:
        existing = Payment.objects.filter(method=method, external_id=external_id).first()
        if existing:
            return Recorded(existing, False)
    try:
        with transaction.atomic():
            target = request or request_for_text(description)
            locked = None
            if target is not None:
                locked = PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=target.pk)
            payment = Payment.objects.create(
                request=locked,
                method=method,
                status=payment_status_for(locked),
                amount=amount,
                external_id=external_id,
                payer_name=payer_name[:255],
                description=description[:500],
                received_at=received_at or now,
                recorded_by=actor if actor and actor.pk else None,
                statement_line=statement_line,
                gateway_transaction=gateway_transaction,
            )
            if payment.status == PaymentStatus.SUCCEEDED:
                _count(payment, locked, actor=actor, now=now)
            audit_record(
                actor=payment.recorded_by,
                action="payment.record",
                obj=payment,
                data=payment_audit_data(method=method, amount=amount, request=locked, status=payment.status),
            )
    except IntegrityError:
        # A concurrent call recorded the same transaction first: answer with that one.
        existing = Payment.objects.filter(method=method, external_id=external_id).first() if external_id else None
        if existing is None:
            raise
        return Recorded(existing, False)
    return Recorded(payment, True)


def payment_assign(*, payment: Payment, request: PaymentRequest, actor: User, note: str = "") -> Payment:
    """The cashier counts an unmatched payment toward a live request."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.UNMATCHED:
            raise DomainError(_("Khoản tiền này đã được xử lý."), code="payment_not_unmatched", status=409)
        locked = PaymentRequest.objects.select_for_update().select_related("dossier").get(pk=request.pk)
        if locked.status not in LIVE:
            raise DomainError(
                _("Yêu cầu nộp %(ref)s không còn chờ nộp.") % {"ref": locked.reference},
                code="payment_request_closed",
                status=409,
            )
        payment.request = locked
        payment.status = PaymentStatus.SUCCEEDED
        payment.resolution_note = note[:500]
        payment.save(update_fields=["request", "status", "resolution_note", "updated_at"])
        _count(payment, locked, actor=actor, now=timezone.now())
        audit_record(actor=actor, action="payment.assign", obj=payment, data={"request": locked.reference})
    return payment


def payment_refund(*, payment: Payment, actor: User, note: str) -> Payment:
    """Record that an unmatched payment was handed back to the payer."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Vui lòng ghi rõ cách hoàn trả (số giao dịch, ngày)."), code="note_required")
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status != PaymentStatus.UNMATCHED:
            raise DomainError(
                _("Chỉ hoàn trả được khoản tiền chưa xác định hồ sơ."), code="payment_not_unmatched", status=409
            )
        payment.status = PaymentStatus.REFUNDED
        payment.resolution_note = note[:500]
        payment.save(update_fields=["status", "resolution_note", "updated_at"])
        audit_record(actor=actor, action="payment.refund", obj=payment, data={"note": note[:200]})
    return payment
