"""Between payments and dossiers: `dossier_settle` resumes a dossier whose fees are paid.

The other direction, the dossier workflow's fee events (`motcua.dossiers.topics`), is handled in
`dossier_fees` (kept apart: it builds on `requests`, which builds on `assessment` and `apply`,
and `apply` calls `dossier_settle` here).

A request paid in full resumes its dossier through the workflow's own `fees_paid` action
(`dossier_settle`), so the clock, the due date, the event row and the citizen's notice all follow
the one recipe. Money from the bank or the gateway has no officer behind it: that path runs as
the workflow's explicit system actor (allowed for `fees_paid` only).
"""

from __future__ import annotations

from motcua.dossiers.models import DossierStatus
from motcua.dossiers.services.workflow import dossier_act

from ..models import Receipt, ReceiptStatus


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
