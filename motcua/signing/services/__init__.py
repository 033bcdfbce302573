"""Signing services. Owned by the signing engineer; `receipt_sign_if_configured` is the contract receipts call."""

from __future__ import annotations


def receipt_sign_if_configured(*, receipt):
    """Sign the receipt's PDF with its agency's certificate, if the agency has one. To be written."""
    return None
