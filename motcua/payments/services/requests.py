"""Payment requests: what a dossier is asked to pay, built from its fee assessment
(`assessment.py`), and their cancellation and refunds.

A dossier has at most one live request (open or partly paid; a database constraint holds it):
a new one cancels the open one it replaces. Cancelling a request with money on it hands that
money back to the cashier as unmatched, to be refunded or counted toward the new request.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Role, User
from motcua.core.text import format_vnd
from motcua.core.transitions import audit_record
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.dossiers.services.workflow_context import agency_roles

from ..models import Payment, PaymentRequest, PaymentRequestStatus, PaymentStatus
from .assessment import (  # noqa: F401 - the assessment API callers import from here too
    MAX_QUANTITY,
    Assessment,
    assess,
    assessment_for,
    dossier_facts,
    exemption_reasons,
    fee_items,
)
from .references import reference_new

LIVE = (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID)
# Roles that may ask a dossier to pay (the specialist through the workflow, the desk for old data).
REQUEST_ROLES = {Role.SPECIALIST, Role.LEADER, Role.RECEPTIONIST, Role.CASHIER}


def _may_request(actor: User | None, dossier) -> bool:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_superuser:
        return True
    return any(roles & REQUEST_ROLES for roles in agency_roles(actor, dossier).values())


def _new_reference() -> str:
    for _attempt in range(8):
        ref = reference_new()
        if not PaymentRequest.objects.filter(reference=ref).exists():
            return ref
    raise DomainError(_("Không tạo được mã thanh toán, vui lòng thử lại."), code="reference_exhausted", status=503)


def payment_request_create(
    *,
    dossier,
    actor: User | None,
    items: list[dict] | None = None,
    note: str = "",
    amount: int | None = None,
    reason: str = "",
    notify: bool = True,
) -> PaymentRequest:
    """Ask the dossier to pay what `items` (or `amount`, or the default assessment) comes to.

    Cancels the dossier's open request it replaces; a partly paid one is refused (collect the rest
    or cancel it first, so the money on it is dealt with). `notify=False` when the caller (the
    `request_fees` action) tells the citizen itself. A choice that differs from the default
    assessment (another alternative, an extra, a line dropped) needs `reason`, kept on the request.
    """
    if not _may_request(actor, dossier):
        raise PermissionDenied(code="payment_request_forbidden")
    if dossier.status not in (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT_REQUESTED):
        raise DomainError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thể yêu cầu nộp phí.")
            % {"status": dossier.get_status_display()},
            code="dossier_not_payable",
            status=409,
        )
    note = (note or "").strip()[:2000]
    reason = (reason or "").strip()[:1000]
    assessment = assessment_for(dossier=dossier, items=items, amount=amount)
    if assessment.changes and not reason:
        raise DomainError(
            _("Cần ghi lý do thay đổi so với mức thu mặc định: %(changes)s.")
            % {"changes": "; ".join(assessment.changes)},
            code="fee_change_reason_required",
        )
    with transaction.atomic():
        # The dossier's row lock serialises two desks creating a request at once (the workflow
        # already holds it when called from `request_fees`).
        type(dossier).objects.select_for_update().filter(pk=dossier.pk).first()
        live = list(PaymentRequest.objects.select_for_update().filter(dossier=dossier, status__in=LIVE))
        if any(r.status == PaymentRequestStatus.PARTLY_PAID for r in live):
            raise DomainError(
                _("Hồ sơ đã nộp một phần theo yêu cầu trước; hãy thu tiếp hoặc hủy yêu cầu đó trước."),
                code="payment_request_partly_paid",
                status=409,
            )
        reference = _new_reference()
        for old in live:
            _cancel_locked(old, actor=actor, reason=_("Thay bằng yêu cầu nộp mới %(ref)s") % {"ref": reference})
        request = PaymentRequest.objects.create(
            dossier=dossier,
            agency_id=dossier.receiving_agency_id,
            reference=reference,
            items=assessment.items,
            amount_due=assessment.total,
            note=note,
            change_reason="\n".join([*assessment.changes, reason]) if assessment.changes else "",
            requested_by=actor if actor and actor.pk else None,
        )
        audit_record(
            actor=request.requested_by,
            action="payment_request.create",
            object_type="payment_request",
            object_id=str(request.pk),
            data={
                "dossier": dossier.code,
                "reference": reference,
                "amount_due": assessment.total,
                "replaces": [r.reference for r in live],
                "changes": assessment.changes,
                "reason": reason if assessment.changes else "",
            },
        )
        if notify:
            from motcua.dossiers.events import emit

            emit(
                dossier,
                "payment_requested",
                amount=assessment.total,
                items=[i["name"] for i in assessment.items],
                dedupe=f"payment_request:{reference}",
            )
    return request


def _cancel_locked(request: PaymentRequest, *, actor: User | None, reason: str) -> PaymentRequest:
    now = timezone.now()
    request.status = PaymentRequestStatus.CANCELLED
    request.cancelled_at = now
    request.cancel_reason = reason[:255]
    request.save(update_fields=["status", "cancelled_at", "cancel_reason", "updated_at"])
    # Money already counted goes back to the cashier: refund it, or count it toward a new request.
    released = list(Payment.objects.select_for_update().filter(request=request, status=PaymentStatus.SUCCEEDED))
    for payment in released:
        payment.status = PaymentStatus.UNMATCHED
        payment.resolution_note = (
            _("Yêu cầu %(ref)s đã hủy: %(reason)s") % {"ref": request.reference, "reason": reason}
        )[:500]
        payment.save(update_fields=["status", "resolution_note", "updated_at"])
    audit_record(
        actor=actor if actor and actor.pk else None,
        action="payment_request.cancel",
        object_type="payment_request",
        object_id=str(request.pk),
        data={"reason": reason[:200], "released_payments": [p.pk for p in released]},
    )
    return request


def payment_request_cancel(*, request: PaymentRequest, actor: User | None, reason: str) -> PaymentRequest:
    """Cancel a live request (with a reason). Money on it becomes unmatched for the cashier."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Cần ghi lý do hủy yêu cầu nộp."), code="reason_required")
    with transaction.atomic():
        locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in LIVE:
            raise DomainError(
                _("Yêu cầu nộp %(ref)s không còn hiệu lực.") % {"ref": locked.reference},
                code="payment_request_closed",
                status=409,
            )
        return _cancel_locked(locked, actor=actor, reason=reason)


def payment_requests_cancel_for_dossier(*, dossier, actor: User | None, reason: str) -> list[PaymentRequest]:
    """The dossier ended (withdrawn, stopped): its live request goes too."""
    with transaction.atomic():
        live = list(PaymentRequest.objects.select_for_update().filter(dossier=dossier, status__in=LIVE))
        return [_cancel_locked(r, actor=actor, reason=reason) for r in live]


def overpayment_refund(*, request: PaymentRequest, actor: User, note: str) -> PaymentRequest:
    """Record that the excess of an over-paid request was handed back; the request is then paid."""
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Vui lòng ghi rõ cách hoàn trả (số giao dịch, ngày)."), code="note_required")
    with transaction.atomic():
        locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != PaymentRequestStatus.OVERPAID:
            raise DomainError(_("Yêu cầu nộp này không có tiền nộp thừa."), code="not_overpaid", status=409)
        excess = locked.amount_paid - locked.amount_due
        locked.amount_paid = locked.amount_due
        locked.status = PaymentRequestStatus.PAID
        line = _("Đã hoàn trả %(amount)s nộp thừa: %(note)s") % {"amount": format_vnd(excess), "note": note}
        locked.note = f"{locked.note}\n{line}".strip()
        locked.save(update_fields=["amount_paid", "status", "note", "updated_at"])
        audit_record(
            actor=actor,
            action="payment_request.refund_excess",
            object_type="payment_request",
            object_id=str(locked.pk),
            data={"excess": excess, "note": note[:200]},
        )
    return locked


def payment_request_confirmed_outside(*, dossier, actor: User | None, receipt_number: str = "") -> str | None:
    """An officer confirms by hand (`fees_paid`) that the dossier paid outside the system: its open
    request is closed so it cannot be paid a second time. A partly paid one is refused: the cashier
    records the rest instead, so the money stays accounted for. Returns the request's reference."""
    with transaction.atomic():
        live = PaymentRequest.objects.select_for_update().filter(dossier=dossier, status__in=LIVE).first()
        if live is None:
            return None
        if live.status == PaymentRequestStatus.PARTLY_PAID:
            raise DomainError(
                _("Hồ sơ đã nộp một phần qua yêu cầu %(ref)s; hãy ghi nhận số tiền còn lại tại trang thu ngân.")
                % {"ref": live.reference},
                code="payment_request_partly_paid",
                status=409,
            )
        reason = _("Cán bộ xác nhận đã nộp ngoài hệ thống")
        if receipt_number:
            reason += _(" (biên lai %(number)s)") % {"number": receipt_number}
        _cancel_locked(live, actor=actor, reason=reason)
        return live.reference


def payment_request_ask(
    *,
    dossier,
    actor: User,
    items: list[dict] | None = None,
    amount: int | None = None,
    note: str = "",
    reason: str = "",
) -> PaymentRequest:
    """Ask a dossier to pay, whatever its state: a dossier being processed goes through the
    workflow's `request_fees` (which pauses the clock); one already waiting for payment (old data
    with no request, or a request to correct) gets a new request directly."""
    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
        params = {"note": note, "reason": reason}
        if items:
            params["items"] = items
        if amount not in (None, ""):
            params["amount"] = amount
        dossier_act(dossier=dossier, actor=actor, action="request_fees", **params)
        return PaymentRequest.objects.get(dossier=dossier, status__in=LIVE)
    return payment_request_create(dossier=dossier, actor=actor, items=items, amount=amount, note=note, reason=reason)
