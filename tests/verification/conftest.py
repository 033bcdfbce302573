"""Fixtures for one-time codes, claims and passwords.

- `clock`: a settable "now" for the whole of Django (timezone.now), so expiry and cooldown are
  tested at their boundaries without sleeping.
- `last_code(address)`: the code in the newest outbox message to a phone or e-mail, read the way
  the recipient reads it.
"""

import datetime
import re

import pytest
from django.utils import timezone

from motcua.notifications.models import Message

START = datetime.datetime(2026, 3, 16, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _otp_defaults(settings):
    # The shipped defaults, written out so that each boundary test names its number.
    settings.OTP_TTL_SECONDS = 300
    settings.OTP_MAX_ATTEMPTS = 5
    settings.OTP_RESEND_SECONDS = 60
    settings.OTP_DAILY_CAP = 10


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch):
    fake = Clock()
    monkeypatch.setattr(timezone, "now", fake)
    return fake


def code_in(message: Message) -> str:
    return re.search(r"\b(\d{6})\b", message.body).group(1)


@pytest.fixture
def last_code():
    def read(address: str) -> str:
        message = Message.objects.filter(recipient=address).order_by("-id").first()
        assert message is not None, f"no message to {address}"
        return code_in(message)

    return read
