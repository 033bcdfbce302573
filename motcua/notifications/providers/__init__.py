"""Provider adapters, one interface: `get_provider(channel).send(message) -> SendResult`."""

from __future__ import annotations

from django.conf import settings

from .base import Outcome, Provider, SendResult
from .console import ConsoleProvider
from .email import DjangoEmailProvider
from .sms_http import HttpSmsProvider
from .zalo import ZaloZnsProvider

__all__ = [
    "ConsoleProvider",
    "DjangoEmailProvider",
    "HttpSmsProvider",
    "Outcome",
    "Provider",
    "SendResult",
    "ZaloZnsProvider",
    "get_provider",
    "provider_rate",
]


def get_provider(channel: str) -> Provider:
    """The adapter the settings choose for `channel` (built fresh: settings may change in tests)."""
    if channel == "sms":
        return HttpSmsProvider() if settings.SMS_PROVIDER == "http" else ConsoleProvider("sms")
    if channel == "zalo":
        return ZaloZnsProvider() if settings.ZALO_PROVIDER == "http" else ConsoleProvider("zalo")
    if channel == "email":
        return DjangoEmailProvider() if settings.EMAIL_PROVIDER == "django" else ConsoleProvider("email")
    return ConsoleProvider(channel)


def provider_rate(channel: str) -> float:
    """Messages per second a worker may hand to this channel's provider (0 = unlimited)."""
    return {
        "sms": settings.NOTIFY_RATE_SMS,
        "zalo": settings.NOTIFY_RATE_ZALO,
        "email": settings.NOTIFY_RATE_EMAIL,
    }.get(channel, 0)
