"""E-receipts. Owned by the receipts engineer; `receipt_issue` is the contract apply.py calls."""

from __future__ import annotations


def receipt_issue(*, payment, actor=None):
    """Issue the e-receipt for a succeeded payment (inside the caller's transaction). To be written."""
    return None
