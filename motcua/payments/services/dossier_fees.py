"""The payments side of the dossier workflow's fee events (`motcua.dossiers.topics`).

Dossiers sits below payments: it publishes what happened and these handlers, subscribed in
`PaymentsConfig.ready`, make or close the payment requests inside the workflow action's
transaction (a refusal here undoes the action). Resuming a paid dossier is `dossier_link`.
"""

from __future__ import annotations

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
