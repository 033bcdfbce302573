"""Between payments and dossiers. Owned by the payment-requests engineer; `dossier_settle` is the contract."""

from __future__ import annotations


def dossier_settle(*, request, payment, actor=None) -> None:
    """The request is paid in full: resume the dossier (fees_paid) if it waits for payment. To be written."""
