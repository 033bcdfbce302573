"""Between payments and dossiers: the dossier workflow's fee events, and resuming a paid dossier.

Dossiers sits below payments: it publishes what happened (`motcua.dossiers.topics`) and the
handlers here, subscribed in `PaymentsConfig.ready`, make or close the payment requests inside
the workflow action's transaction (a refusal here undoes the action).

A request paid in full resumes its dossier through the workflow's own `fees_paid` action
(`dossier_settle`), so the clock, the due date, the event row and the citizen's notice all follow
the one recipe. Money from the bank or the gateway has no officer behind it: that path runs as
the workflow's explicit system actor (allowed for `fees_paid` only).
"""

from __future__ import annotations

from motcua.dossiers.models import DossierStatus
from motcua.dossiers.services.workflow import dossier_act

from ..models import Receipt, ReceiptStatus
from .requests import payment_request_confirmed_outside, payment_request_create, payment_requests_cancel_for_dossier


def fees_requested(*, ctx, items, amount, note: str, reason: str) -> dict:
    """`request_fees`: the payment request, assessed from the fee items unless an amount is given.

    The citizen's notice is the workflow's own (`payment_requested`), hence `notify=False`."""
    request = payment_request_create(
        dossier=ctx.dossier, actor=ctx.actor, items=items, amount=amount, note=note, reason=reason, notify=False
    )
    return {
        "amount": request.amount_due,
        "items": [i["name"] for i in request.items],
        "reference": request.reference,
        "change_reason": request.change_reason,
    }


def fees_confirmed_outside(*, dossier, actor, receipt_number: str) -> str | None:
    """`fees_paid` by hand: the open request is closed so it cannot be paid a second time."""
    return payment_request_confirmed_outside(dossier=dossier, actor=actor, receipt_number=receipt_number)


def dossier_ended(*, dossier, actor, reason: str) -> list[str]:
    """Withdrawn or stopped: the live payment request is cancelled (money on it goes to refund)."""
    return [r.reference for r in payment_requests_cancel_for_dossier(dossier=dossier, actor=actor, reason=reason)]


def _receipt_number(payment) -> str:
    receipt = Receipt.objects.filter(payment=payment, status=ReceiptStatus.ISSUED).select_related("series").first()
    if receipt is not None:
        return f"{receipt.series.symbol}-{receipt.number:07d}"[:64]
    return (payment.external_id or f"P{payment.pk}")[:64]


def dossier_settle(*, request, payment, actor=None) -> None:
    """The request is paid in full: resume the dossier (fees_paid) if it waits for payment."""
    dossier = request.dossier
    dossier.refresh_from_db(fields=["status"])
    if dossier.status != DossierStatus.PAYMENT_REQUESTED:
        # Paid after the dossier moved on (confirmed by hand, withdrawn): nothing to resume.
        return
    dossier_act(
        dossier=dossier,
        actor=actor,
        action="fees_paid",
        system=True,
        receipt_number=_receipt_number(payment),
        payment_request=request.reference,
        payment_method=payment.method,
    )
