"""Signing services. `receipt_sign_if_configured` is the contract the receipts code calls."""

from __future__ import annotations

from .signing import receipt_sign_if_configured

__all__ = ["receipt_sign_if_configured"]
