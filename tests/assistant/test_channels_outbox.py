"""Channel replies through the outbox: a Zalo consultation message and an SMS, sent by the worker
to the local fakes in the providers' own wire formats."""

import pytest

from motcua.notifications.models import ChannelKind, DeliveryAttempt, Message, MessageStatus
from motcua.notifications.services import message_reply_enqueue
from motcua.notifications.worker import run_once

from ._channels_world import channel_settings, sms_running, zalo_running

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    channel_settings(settings, tmp_path)


@pytest.fixture
def fake_zalo(settings):
    with zalo_running(settings) as oa:
        yield oa


@pytest.fixture
def fake_sms(settings):
    with sms_running(settings) as gateway:
        yield gateway


def test_zalo_reply_goes_to_the_oa_message_api_as_a_consultation_message(fake_zalo):
    message = message_reply_enqueue(
        channel=ChannelKind.ZALO,
        recipient="246845883529197922",
        body="Xin chào",
        event="assistant.reply",
        dedupe_key="assistant:zalo-event:m1",
    )
    assert (message.status, message.urgent, message.person) == (MessageStatus.CREATED, True, None)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [sent] = fake_zalo.cs_messages
    assert sent["body"] == {"recipient": {"user_id": "246845883529197922"}, "message": {"text": "Xin chào"}}
    assert message.provider_message_id == sent["message_id"]
    assert fake_zalo.accepted == {}  # nothing went to the ZNS template endpoint


def test_the_same_reply_is_queued_once(fake_zalo):
    for _ in range(2):
        message_reply_enqueue(
            channel=ChannelKind.ZALO, recipient="u1", body="A", event="assistant.reply", dedupe_key="k-once"
        )
    assert Message.objects.filter(dedupe_key="k-once").count() == 1


def test_a_user_the_oa_may_not_message_is_a_permanent_failure(fake_zalo):
    fake_zalo.fail_recipients = {"u-silent": -230}
    message = message_reply_enqueue(
        channel=ChannelKind.ZALO, recipient="u-silent", body="A", event="assistant.reply", dedupe_key="k-silent"
    )
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE and message.last_error.startswith("-230")
    assert not Message.objects.filter(fallback_of=message).exists()  # no person, so no other channel
    assert DeliveryAttempt.objects.get(message=message).http_status == 200


def test_a_wrong_oa_token_is_a_technical_failure(fake_zalo, settings):
    settings.ZALO_ACCESS_TOKEN = "stale"
    message = message_reply_enqueue(
        channel=ChannelKind.ZALO, recipient="u1", body="A", event="assistant.reply", dedupe_key="k-token"
    )
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE and fake_zalo.cs_messages == []


def test_sms_reply_goes_to_the_gateway_unaccented_and_at_night_too(fake_sms, settings):
    settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR = 0, 24  # all day is night
    message = message_reply_enqueue(
        channel=ChannelKind.SMS,
        recipient="+84 912 345 678",
        body="Hồ sơ đã xử lý xong.",
        event="assistant.sms",
        dedupe_key="assistant:sms-mo:1",
    )
    assert message.recipient == "0912345678" and message.not_before is None
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    sent = fake_sms.accepted["assistant:sms-mo:1"]
    assert (sent["phone"], sent["content"]) == ("0912345678", "Ho so da xu ly xong.")


def test_other_channels_have_no_replies():
    with pytest.raises(ValueError):
        message_reply_enqueue(channel=ChannelKind.EMAIL, recipient="a@b.vn", body="A", event="e", dedupe_key="k")
