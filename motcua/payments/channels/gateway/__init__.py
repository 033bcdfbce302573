"""Payment gateway adapters. `provider_get()` returns the one configured by MOTCUA_PAYMENT_GATEWAY."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from .base import CallbackResult, GatewayProvider, SignatureInvalid, StartParams
from .vnpay import VnpayProvider

__all__ = ["CallbackResult", "GatewayProvider", "SignatureInvalid", "StartParams", "provider_get"]


def provider_get(name: str | None = None) -> GatewayProvider:
    """The adapter for `name` (default: the configured gateway). New providers register here."""
    name = name or settings.PAYMENT_GATEWAY
    if name == "vnpay":
        return VnpayProvider(
            name="vnpay",
            url=settings.PAYMENT_GATEWAY_URL,
            tmn_code=settings.PAYMENT_TMN_CODE,
            hash_secret=settings.PAYMENT_HASH_SECRET,
        )
    if name == "sandbox":
        # The sandbox speaks VNPAY's protocol; with no URL set it is the one served by this site.
        url = settings.PAYMENT_GATEWAY_URL or reverse("payment_channels:sandbox_pay")
        return VnpayProvider(
            name="sandbox", url=url, tmn_code=settings.PAYMENT_TMN_CODE, hash_secret=settings.PAYMENT_HASH_SECRET
        )
    raise ValueError(f"unknown payment gateway {name!r}")
