"""manage.py switchboard_call: the dialogue printed, a booking made, refusals shown."""

import io

import pytest
from django.core.management import call_command

from motcua.appointments.models import Booking, BookingChannel

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("switchboard_call", stdout=out, **options)
    return out.getvalue()


def test_the_command_books_by_digits_and_prints_the_dialogue(policy):
    text = run(caller="0912345678", digits="1,1,1,1,1,1")
    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.PHONE
    assert "« Tổng đài dịch vụ công xin kính chào ông/bà. »" in text
    assert "[chờ tối đa 1 phím, 8 giây]" in text
    assert f"Mã đặt lịch của ông/bà là {booking.code}." in text
    assert text.rstrip().endswith("[gác máy]")


def test_silence_and_hotline(policy):
    text = run(caller="0912345678", digits="-,0")
    assert "chưa nhận được lựa chọn" in text
    assert "[chuyển máy đến 02903836000]" in text


def test_a_refusal_is_printed(settings):
    settings.SWITCHBOARD_SECRET = "x"
    text = run(caller="phone", digits="1")
    assert "invalid_payload" in text


def test_purge_forgets_expired_calls_only(dial):
    import datetime

    from django.utils import timezone

    from motcua.appointments.models import SwitchboardCall

    dial("start", call_id="old")
    dial("start", call_id="live")
    SwitchboardCall.objects.filter(call_id="old").update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "purged: 1" in run_purge()
    assert list(SwitchboardCall.objects.values_list("call_id", flat=True)) == ["live"]


def run_purge() -> str:
    out = io.StringIO()
    call_command("switchboard_purge", stdout=out)
    return out.getvalue()
