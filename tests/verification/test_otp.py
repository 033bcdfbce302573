"""One-time codes at their limits: 300 s expiry, 5 tries, single use, 60 s resend wait, 10 a day."""

import re

import pytest

from motcua.core.errors import DomainError
from motcua.notifications.models import SECRET_MASK, Message, MessageStatus
from motcua.notifications.providers import SendResult
from motcua.notifications.services import broadcast_opt_out_set
from motcua.notifications.worker import record
from motcua.verification.models import OneTimeCode
from motcua.verification.services.claims import claim_start
from motcua.verification.services.otp import otp_issue, otp_verify
from tests.factories import PersonFactory

PHONE = "0912345678"


def _issue(**kwargs):
    return otp_issue(purpose="password_reset", phone=kwargs.pop("phone", PHONE), **kwargs)


def _code(phone=PHONE) -> str:
    return re.search(r"\b(\d{6})\b", Message.objects.filter(recipient=phone).latest("id").body).group(1)


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def _refused(code_name: str, **kwargs):
    with pytest.raises(DomainError) as exc:
        otp_verify(purpose="password_reset", phone=PHONE, **kwargs)
    assert exc.value.code == code_name, exc.value.message
    return exc.value


@pytest.mark.django_db
def test_only_a_keyed_hash_is_stored_and_the_message_is_secret_and_urgent(clock):
    otp = _issue()
    code = _code()
    assert len(code) == 6 and code not in otp.code_hash
    message = Message.objects.get()
    assert message.is_secret and message.urgent and message.event == "otp.password_reset"
    assert code not in str(message.params)
    assert "dat lai mat khau" in message.body and "Khong cung cap ma nay cho bat ky ai, ke ca can bo" in message.body


@pytest.mark.django_db
def test_a_code_is_stored_as_a_hash_and_taken_in_any_spacing(clock):
    _issue()
    code = _code()
    assert otp_verify(purpose="password_reset", phone="+84 912 345 678", code=f"{code[:3]} {code[3:]}").used_at


@pytest.mark.django_db
@pytest.mark.parametrize(("age", "good"), [(299, True), (300, False), (301, False)])
def test_expiry_at_300_seconds(clock, age, good):
    _issue()
    code = _code()
    clock.advance(age)
    if good:
        assert otp_verify(purpose="password_reset", phone=PHONE, code=code).used_at is not None
    else:
        _refused("otp_expired", code=code)


@pytest.mark.django_db
def test_single_use(clock):
    _issue()
    code = _code()
    otp_verify(purpose="password_reset", phone=PHONE, code=code)
    _refused("otp_used", code=code)


@pytest.mark.django_db
def test_five_wrong_tries_then_even_the_right_code_is_refused(clock):
    _issue()
    code = _code()
    for left in (4, 3, 2, 1):
        error = _refused("otp_invalid", code=_wrong(code))
        assert error.details == {"attempts_left": left}
    _refused("otp_attempts", code=_wrong(code))  # the 5th wrong try ends the code
    assert OneTimeCode.objects.get().attempts == 5
    _refused("otp_attempts", code=code)
    assert OneTimeCode.objects.get().attempts == 5


@pytest.mark.django_db
def test_four_wrong_tries_then_the_right_code_is_accepted(clock):
    _issue()
    code = _code()
    for _ in range(4):
        _refused("otp_invalid", code=_wrong(code))
    assert otp_verify(purpose="password_reset", phone=PHONE, code=code).attempts == 5


@pytest.mark.django_db
@pytest.mark.parametrize(("wait", "allowed"), [(59, False), (60, True), (61, True)])
def test_resend_cooldown_of_60_seconds(clock, wait, allowed):
    _issue()
    first = _code()
    clock.advance(wait)
    if not allowed:
        with pytest.raises(DomainError) as exc:
            _issue()
        assert exc.value.code == "otp_cooldown" and exc.value.status == 429
        assert exc.value.details == {"retry_after": 1}
        return
    _issue()
    second = _code()
    # Only the newest code is good.
    if second != first:
        _refused("otp_invalid", code=first)
    assert otp_verify(purpose="password_reset", phone=PHONE, code=second).used_at


@pytest.mark.django_db
def test_another_purpose_has_its_own_cooldown(clock):
    _issue()
    otp_issue(purpose="phone_change", phone=PHONE)
    assert OneTimeCode.objects.count() == 2


@pytest.mark.django_db
def test_daily_cap_of_10_codes_per_phone(clock):
    for _ in range(9):
        _issue()
        clock.advance(60)
    _issue()  # the 10th
    clock.advance(60)
    with pytest.raises(DomainError) as exc:
        _issue()  # the 11th within 24 hours
    assert exc.value.code == "otp_daily_cap" and exc.value.status == 429
    # Another phone is not affected.
    _issue(phone="0987654321")
    # One second short of 24 hours after the first code: still full; at 24 hours a slot is free.
    clock.advance(24 * 3600 - 10 * 60 - 1)
    with pytest.raises(DomainError):
        _issue()
    clock.advance(1)
    _issue()


@pytest.mark.django_db
def test_bad_addresses_are_refused(clock):
    with pytest.raises(DomainError) as exc:
        _issue(phone="0241234567")
    assert exc.value.code == "invalid_phone"
    with pytest.raises(DomainError) as exc:
        otp_issue(purpose="password_reset", phone=PHONE, email="a@b.vn")
    assert exc.value.code == "otp_address"
    with pytest.raises(DomainError) as exc:
        otp_issue(purpose="login", phone=PHONE)
    assert exc.value.code == "otp_purpose"
    assert not OneTimeCode.objects.exists()


@pytest.mark.django_db
def test_codes_by_email(clock):
    otp_issue(purpose="password_reset", email="Mai@Example.vn")
    message = Message.objects.get()
    assert message.channel == "email" and message.recipient == "mai@example.vn" and message.is_secret
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert otp_verify(purpose="password_reset", email="mai@example.vn", code=code)


@pytest.mark.django_db
def test_the_outbox_blanks_the_code_once_sent_and_shows_a_mask_meanwhile(clock, client):
    _issue()
    message = Message.objects.get()
    assert message.body_shown == SECRET_MASK
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_by="w1")
    record(message=message, provider="console", result=SendResult.accepted("p-1", delivered=True), worker_id="w1")
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.body == SECRET_MASK and message.params == {}


@pytest.mark.django_db
def test_codes_go_out_at_night_and_to_people_who_refused_broadcasts(clock):
    clock.now = clock.now.replace(hour=15)  # 22:00 in Cà Mau: quiet hours for ordinary SMS
    person = PersonFactory(phone=PHONE)
    broadcast_opt_out_set(person=person, opt_out=True)
    claim_start(personal_id=person.personal_id, date_of_birth=person.date_of_birth)
    message = Message.objects.get(recipient=PHONE)
    assert message.urgent and message.not_before is None
