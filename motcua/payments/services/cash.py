"""Cash at the desk: the cashier counts the money and records it against a request.

Each recording gets its own cash slip id (the `external_id` of a cash payment), so a form sent
twice (a double click, a retried request) is recorded once: the page carries the slip id it was
shown with, and `payment_record` answers the second call with the first payment.
"""

from __future__ import annotations

import secrets

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import User

from ..models import PaymentMethod, PaymentRequest
from ..selectors import cash_desk_agencies
from .apply import LIVE, Recorded, payment_record

_SLIP_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def cash_slip_new() -> str:
    """A fresh cash slip id, e.g. "TM-261122-7K2Q9PXA" (date, then random)."""
    day = timezone.localdate().strftime("%y%m%d")
    return f"TM-{day}-" + "".join(secrets.choice(_SLIP_ALPHABET) for _ in range(8))


def user_may_take_cash(user: User | None, agency_id: int) -> bool:
    """A cashier or receptionist of the collecting agency (or of a unit above it)."""
    return cash_desk_agencies(user).filter(pk=agency_id).exists()


def cash_record(
    *,
    request: PaymentRequest,
    actor: User,
    amount: int,
    slip_id: str | None = None,
    payer_name: str = "",
    note: str = "",
) -> Recorded:
    """Record `amount` đồng paid in cash for `request` (partial allowed; more than due is over-payment)."""
    if not user_may_take_cash(actor, request.agency_id):
        raise PermissionDenied(
            _("Chỉ thu ngân hoặc cán bộ một cửa của cơ quan thu mới được ghi nhận tiền mặt."), code="cash_forbidden"
        )
    # A slip already recorded for this request is a repeat of a form, not a new payment.
    repeated = bool(slip_id) and request.payments.filter(method=PaymentMethod.CASH, external_id=slip_id).exists()
    if request.status not in LIVE and not repeated:
        raise DomainError(
            _("Yêu cầu nộp %(ref)s không còn chờ nộp.") % {"ref": request.reference},
            code="payment_request_closed",
            status=409,
        )
    slip_id = (slip_id or "").strip()[:64] or cash_slip_new()
    description = note.strip()[:500] or _("Nộp tiền mặt tại quầy, yêu cầu %(ref)s") % {"ref": request.reference}
    return payment_record(
        method=PaymentMethod.CASH,
        amount=amount,
        external_id=slip_id,
        request=request,
        payer_name=(payer_name or request.dossier.applicant_name or "")[:255],
        description=description,
        actor=actor,
    )
