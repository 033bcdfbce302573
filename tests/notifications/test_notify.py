import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from motcua.notifications.models import ContactPreference, InboxMessage, Message, MessageStatus
from motcua.notifications.services.notify import notify
from motcua.notifications.services.outbox import message_build
from motcua.notifications.services.params import quiet_hours_release
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _notify(person, key="k1", **kwargs):
    return notify(
        person=person,
        event="notice",
        title="Họp dân",
        body="Tối nay 19 giờ tại nhà văn hóa ấp",
        dedupe_key=key,
        **kwargs,
    )


def test_notify_writes_inbox_and_the_first_channel_once(citizen_person):
    inbox = _notify(citizen_person)
    again = _notify(citizen_person)
    assert inbox.pk == again.pk
    message = Message.objects.get()
    assert (message.channel, message.recipient, message.status) == ("sms", "0912345678", MessageStatus.CREATED)
    assert message.dedupe_key == "k1:sms"
    assert message.body == "Hop dan: Toi nay 19 gio tai nha van hoa ap"
    assert message.segments == 1 and message.template_version == 1


def test_nothing_is_written_when_the_caller_rolls_back(citizen_person):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(citizen_person)
        raise RuntimeError("the dossier change failed")
    assert not InboxMessage.objects.exists() and not Message.objects.exists()


def test_default_order_prefers_zalo_when_linked():
    person = PersonFactory(phone="0987654321", email="a@example.vn")
    ContactPreference.objects.create(person=person, zalo_user_id="z-1")
    notify(
        person=person,
        event="dossier.withdrawn",
        title="t",
        body="b",
        dedupe_key="w",
        params={"ma_ho_so": "X-1", "co_quan": "UBND"},
    )
    message = Message.objects.get()
    assert message.channel == "zalo" and message.recipient == "0987654321"
    assert message.template.provider_template_id == "ZNS_DOSSIER_WITHDRAWN"


def test_explicit_preference_order_is_followed(citizen_person):
    ContactPreference.objects.create(person=citizen_person, channel_order=["email", "sms"])
    _notify(citizen_person)
    assert Message.objects.get().channel == "email"


def test_a_person_without_phone_or_email_gets_the_inbox_only():
    person = PersonFactory(phone="", email="")
    _notify(person)
    assert InboxMessage.objects.count() == 1 and not Message.objects.exists()


def test_an_invalid_phone_fails_permanently_with_a_reason_and_falls_back():
    person = PersonFactory(phone="0123", email="b@example.vn")
    _notify(person)
    failed = Message.objects.get(channel="sms")
    assert failed.status == MessageStatus.PERMANENT_FAILURE
    assert "không hợp lệ" in failed.last_error
    fallback = Message.objects.get(channel="email")
    assert fallback.fallback_of == failed and fallback.status == MessageStatus.CREATED


def test_a_missing_template_value_falls_back_to_the_callers_text(citizen_person):
    notify(
        person=citizen_person,
        event="dossier.refused",
        title="Hồ sơ X bị từ chối",
        body="Lý do: thiếu giấy tờ",
        dedupe_key="r1",
    )
    message = Message.objects.get()
    assert message.template is None and "ly_do" in message.params["_missing"]
    assert message.body == "Ho so X bi tu choi: Ly do: thieu giay to"


@pytest.mark.parametrize(
    ("local", "release"),
    [
        (datetime.datetime(2026, 3, 16, 22, 30), datetime.datetime(2026, 3, 17, 7, 0)),
        (datetime.datetime(2026, 3, 17, 6, 59), datetime.datetime(2026, 3, 17, 7, 0)),
        (datetime.datetime(2026, 3, 16, 21, 0), datetime.datetime(2026, 3, 17, 7, 0)),
        (datetime.datetime(2026, 3, 16, 7, 0), None),
        (datetime.datetime(2026, 3, 16, 20, 59), None),
    ],
)
def test_quiet_hours(settings, local, release):
    settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR = 21, 7
    expected = release.replace(tzinfo=TZ) if release else None
    assert quiet_hours_release(local.replace(tzinfo=TZ)) == expected


def test_non_urgent_sms_at_night_waits_for_morning_urgent_does_not(settings):
    settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR = 21, 7
    night = datetime.datetime(2026, 3, 16, 23, 15, tzinfo=TZ)
    calm = message_build(channel="sms", recipient="0912345678", event="notice", dedupe_key="q1", body="x", now=night)
    urgent = message_build(
        channel="sms", recipient="0912345678", event="notice", dedupe_key="q2", body="x", now=night, urgent=True
    )
    mail = message_build(channel="email", recipient="a@b.vn", event="notice", dedupe_key="q3", body="x", now=night)
    assert calm.not_before == datetime.datetime(2026, 3, 17, 7, 0, tzinfo=TZ)
    assert urgent.not_before is None and mail.not_before is None


def test_phone_numbers_are_normalised():
    built = message_build(channel="sms", recipient="+84 912.345.678", event="notice", dedupe_key="p", body="x")
    assert built.recipient == "0912345678" and built.status == MessageStatus.CREATED
