"""What a dossier owes: the assessment of its fee items, and the payment request built from it.

The fee list comes from the procedure as it stood when the dossier was received (the dossier's
`procedure_snapshot`), falling back to the catalog. The officer picks the items that apply (a
procedure often lists alternatives: at the desk or online, area I or II), a quantity for items
charged per copy or per page, marks items exempt with the reason taken from the item's own
exemption text, and may type a different amount only for items whose amount the province sets.

A dossier has at most one live request (open or partly paid; a database constraint holds it):
a new one cancels the open one it replaces. Cancelling a request with money on it hands that
money back to the cashier as unmatched, to be refunded or counted toward the new request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEvent, Role, User
from motcua.core.text import fold

from ..models import Payment, PaymentRequest, PaymentRequestStatus, PaymentStatus
from .apply import MAX_AMOUNT
from .references import reference_new

LIVE = (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID)
# Roles that may ask a dossier to pay (the specialist through the workflow, the desk for old data).
REQUEST_ROLES = {Role.SPECIALIST, Role.LEADER, Role.RECEPTIONIST, Role.CASHIER}
MAX_QUANTITY = 1000
# Words that say the amount is decided by the province (HĐND tỉnh), not fixed nationally.
_LOCAL_MARKERS = ("hdnd", "hoi dong nhan dan", "dia phuong quy dinh", "do tinh quy dinh", "theo quy dinh cua tinh")
_EXEMPT_LEAD = re.compile(r"\b(?:mien|giam)\b")


@dataclass(frozen=True)
class Assessment:
    items: list[dict[str, Any]]
    total: int


def fee_items(dossier) -> list[dict[str, Any]]:
    """The dossier's fee list: [{"index", "name", "amount", "exemption", "local", "reasons"}]."""
    snap = dossier.procedure_snapshot or {}
    if isinstance(snap.get("fees"), list):
        raw = [f for f in snap["fees"] if isinstance(f, dict)]
    else:
        raw = [{"name": f.name, "amount": f.amount, "exemption": f.exemption} for f in dossier.procedure.fees.all()]
    fees = []
    for index, fee in enumerate(raw):
        name = str(fee.get("name") or "")
        exemption = str(fee.get("exemption") or "")
        amount = int(fee.get("amount") or 0)
        folded = fold(f"{name} {exemption}")
        fees.append(
            {
                "index": index,
                "name": name,
                "amount": amount,
                "exemption": exemption,
                "local": amount == 0 or any(m in folded for m in _LOCAL_MARKERS),
                "reasons": exemption_reasons(exemption),
            }
        )
    return fees


def exemption_reasons(text: str) -> list[str]:
    """Who the exemption text names ("Miễn cho trẻ em, người cao tuổi, …") as separate choices."""
    if not text or not _EXEMPT_LEAD.search(fold(text)):
        return []
    body = re.split(r"(?i)\bmiễn(?:, giảm)?(?: cho)?\b", text, maxsplit=1)
    body = body[1] if len(body) > 1 else text
    body = re.split(r"[.;]", body, maxsplit=1)[0]
    parts = re.split(r",\s*|\s+và các trường hợp khác", body)
    reasons = [p.strip(" :–-") for p in parts if p.strip(" :–-")]
    return [r[:1].upper() + r[1:] for r in reasons if len(r) <= 200]


def _default_choices(dossier, fees: list[dict]) -> list[dict]:
    # Alternatives by channel ("nộp trực tiếp" / "nộp trực tuyến"): charge the one that matches.
    online = dossier.channel == "online"
    chosen = []
    for fee in fees:
        folded = fold(fee["name"])
        if "nop truc tuyen" in folded and not online:
            continue
        if "nop truc tiep" in folded and online:
            continue
        chosen.append({"index": fee["index"]})
    return chosen


def _positive_int(value, *, code: str, label: str, allow_zero: bool = False) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(label)s phải là một số nguyên.") % {"label": label}, code=code)
    if number < 0 or (number == 0 and not allow_zero):
        raise DomainError(_("%(label)s phải lớn hơn 0.") % {"label": label}, code=code)
    if number > MAX_AMOUNT:
        raise DomainError(_("%(label)s quá lớn.") % {"label": label}, code=code)
    return number


def assess(*, dossier, choices: list[dict] | None = None) -> Assessment:
    """Price the chosen fee items. `choices`: [{"index" | "name", "quantity", "exempt", "exemption",
    "amount"}]; None charges every item that applies to the dossier's channel, once."""
    fees = fee_items(dossier)
    if choices is None:
        choices = _default_choices(dossier, fees)
    if not isinstance(choices, list | tuple):
        raise DomainError(_("Danh sách khoản thu không hợp lệ."), code="items_invalid")
    items, seen = [], set()
    for choice in choices:
        if not isinstance(choice, dict):
            raise DomainError(_("Danh sách khoản thu không hợp lệ."), code="items_invalid")
        fee = None
        if str(choice.get("index", "")).strip().isdecimal():
            index = int(str(choice["index"]).strip())
            fee = fees[index] if index < len(fees) else None
        elif choice.get("name"):
            fee = next((f for f in fees if f["name"] == choice["name"]), None)
        if fee is None:
            raise DomainError(_("Khoản thu không có trong danh mục phí, lệ phí của thủ tục."), code="fee_item_unknown")
        if fee["index"] in seen:
            raise DomainError(_("Khoản thu “%(name)s” bị lặp.") % {"name": fee["name"]}, code="fee_item_repeated")
        seen.add(fee["index"])
        quantity = _positive_int(choice.get("quantity", 1) or 1, code="quantity_invalid", label=_("Số lượng"))
        if quantity > MAX_QUANTITY:
            raise DomainError(_("Số lượng quá lớn."), code="quantity_invalid")
        unit = fee["amount"]
        overridden = choice.get("amount") not in (None, "")
        if overridden:
            if not fee["local"]:
                raise DomainError(
                    _("Mức thu “%(name)s” do trung ương quy định, không được sửa.") % {"name": fee["name"]},
                    code="amount_not_editable",
                )
            unit = _positive_int(choice["amount"], code="amount_invalid", label=_("Số tiền"), allow_zero=True)
        exempt = bool(choice.get("exempt"))
        reason = str(choice.get("exemption") or "").strip()[:255]
        if exempt and not reason:
            raise DomainError(
                _("Cần ghi đối tượng được miễn cho khoản “%(name)s”.") % {"name": fee["name"]},
                code="exemption_reason_required",
            )
        full = unit * quantity
        items.append(
            {
                "name": fee["name"],
                "unit_amount": unit,
                "quantity": quantity,
                "full_amount": full,
                "amount": 0 if exempt else full,
                "exempt": exempt,
                "exemption": reason if exempt else "",
                "overridden": overridden,
            }
        )
    return Assessment(items=items, total=sum(i["amount"] for i in items))


def _lump_sum(amount) -> Assessment:
    value = _positive_int(amount, code="amount_invalid", label=_("Số tiền"))
    item = {
        "name": _("Phí, lệ phí"), "unit_amount": value, "quantity": 1, "full_amount": value, "amount": value,
        "exempt": False, "exemption": "", "overridden": True,
    }
    return Assessment(items=[item], total=value)


def assessment_for(*, dossier, items=None, amount=None) -> Assessment:
    """Items given: assess them (and `amount`, if given too, must agree); only an amount: one lump
    sum line; neither: the default assessment from the fee list."""
    if items not in (None, "", []):
        result = assess(dossier=dossier, choices=items)
        if amount not in (None, "") and _positive_int(amount, code="amount_invalid", label=_("Số tiền")) != result.total:
            raise DomainError(_("Số tiền không khớp với tổng các khoản thu."), code="amount_mismatch")
    elif amount not in (None, ""):
        result = _lump_sum(amount)
    else:
        result = assess(dossier=dossier)
    if result.total <= 0:
        raise DomainError(
            _("Không có khoản phí, lệ phí nào phải nộp (đã miễn hết hoặc thủ tục không thu phí)."), code="nothing_due"
        )
    if result.total > MAX_AMOUNT:
        raise DomainError(_("Số tiền quá lớn."), code="amount_invalid")
    return result


def _may_request(actor: User | None, dossier) -> bool:
    from motcua.dossiers.services.workflow_context import agency_roles

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
    *, dossier, actor: User | None, items: list[dict] | None = None, note: str = "", amount: int | None = None,
    notify: bool = True,
) -> PaymentRequest:
    """Ask the dossier to pay what `items` (or `amount`, or the default assessment) comes to.

    Cancels the dossier's open request it replaces; a partly paid one is refused (collect the rest
    or cancel it first, so the money on it is dealt with). `notify=False` when the caller (the
    `request_fees` action) tells the citizen itself.
    """
    from motcua.dossiers.models import DossierStatus

    if not _may_request(actor, dossier):
        raise PermissionDenied(code="payment_request_forbidden")
    if dossier.status not in (DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.PAYMENT_REQUESTED):
        raise DomainError(
            _("Hồ sơ đang ở trạng thái “%(status)s”, không thể yêu cầu nộp phí.")
            % {"status": dossier.get_status_display()},
            code="dossier_not_payable", status=409,
        )
    note = (note or "").strip()[:2000]
    assessment = assessment_for(dossier=dossier, items=items, amount=amount)
    with transaction.atomic():
        # The dossier's row lock serialises two desks creating a request at once (the workflow
        # already holds it when called from `request_fees`).
        type(dossier).objects.select_for_update().filter(pk=dossier.pk).first()
        live = list(PaymentRequest.objects.select_for_update().filter(dossier=dossier, status__in=LIVE))
        if any(r.status == PaymentRequestStatus.PARTLY_PAID for r in live):
            raise DomainError(
                _("Hồ sơ đã nộp một phần theo yêu cầu trước; hãy thu tiếp hoặc hủy yêu cầu đó trước."),
                code="payment_request_partly_paid", status=409,
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
            requested_by=actor if actor and actor.pk else None,
        )
        AuditEvent.objects.create(
            actor=request.requested_by, action="payment_request.create", object_type="payment_request",
            object_id=str(request.pk),
            data={"dossier": dossier.code, "reference": reference, "amount_due": assessment.total,
                  "replaces": [r.reference for r in live]},
        )
        if notify:
            from motcua.dossiers.events import emit

            emit(dossier, "payment_requested", amount=assessment.total,
                 items=[i["name"] for i in assessment.items], dedupe=f"payment_request:{reference}")
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
        payment.resolution_note = (_("Yêu cầu %(ref)s đã hủy: %(reason)s") % {"ref": request.reference,
                                                                                "reason": reason})[:500]
        payment.save(update_fields=["status", "resolution_note", "updated_at"])
    AuditEvent.objects.create(
        actor=actor if actor and actor.pk else None, action="payment_request.cancel", object_type="payment_request",
        object_id=str(request.pk), data={"reason": reason[:200], "released_payments": [p.pk for p in released]},
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
                code="payment_request_closed", status=409,
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
        line = _("Đã hoàn trả %(amount)s đồng nộp thừa: %(note)s") % {"amount": f"{excess:,}".replace(",", "."),
                                                                       "note": note}
        locked.note = f"{locked.note}\n{line}".strip()
        locked.save(update_fields=["amount_paid", "status", "note", "updated_at"])
        AuditEvent.objects.create(
            actor=actor, action="payment_request.refund_excess", object_type="payment_request",
            object_id=str(locked.pk), data={"excess": excess, "note": note[:200]},
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
                code="payment_request_partly_paid", status=409,
            )
        reason = _("Cán bộ xác nhận đã nộp ngoài hệ thống")
        if receipt_number:
            reason += _(" (biên lai %(number)s)") % {"number": receipt_number}
        _cancel_locked(live, actor=actor, reason=reason)
        return live.reference


def payment_request_ask(
    *, dossier, actor: User, items: list[dict] | None = None, amount: int | None = None, note: str = ""
) -> PaymentRequest:
    """Ask a dossier to pay, whatever its state: a dossier being processed goes through the
    workflow's `request_fees` (which pauses the clock); one already waiting for payment (old data
    with no request, or a request to correct) gets a new request directly."""
    from motcua.dossiers.models import DossierStatus
    from motcua.dossiers.services.workflow import dossier_act

    if dossier.status in (DossierStatus.RECEIVED, DossierStatus.PROCESSING):
        params = {"note": note}
        if items:
            params["items"] = items
        if amount not in (None, ""):
            params["amount"] = amount
        dossier_act(dossier=dossier, actor=actor, action="request_fees", **params)
        return PaymentRequest.objects.get(dossier=dossier, status__in=LIVE)
    return payment_request_create(dossier=dossier, actor=actor, items=items, amount=amount, note=note)
