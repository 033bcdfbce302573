import datetime
import json

import pytest
from django.core import mail
from django.utils import timezone

from motcua.notifications.models import ContactPreference, DeliveryAttempt, Message, MessageStatus
from motcua.notifications.services.notify import notify
from motcua.notifications.worker import TokenBucket, backoff_seconds, run_once
from tests.factories import PersonFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]


def _notify(person, key="k1"):
    notify(person=person, event="notice", title="Họp dân", body="Tối nay 19 giờ", dedupe_key=key)
    return Message.objects.get(dedupe_key=f"{key}:sms") if person.phone else None


def test_console_provider_logs_a_json_line_and_counts_as_delivered(citizen_person, settings):
    message = _notify(citizen_person)
    stats = run_once(batch=10)
    message.refresh_from_db()
    assert stats.claimed == 1 and message.status == MessageStatus.DELIVERED
    with open(settings.NOTIFY_OUTBOX_LOG, encoding="utf-8") as log:
        line = json.loads(log.readline())
    assert line["to"] == "0912345678" and line["request_id"] == "k1:sms"
    assert DeliveryAttempt.objects.get(message=message).outcome == MessageStatus.DELIVERED


def test_http_gateway_accepts_and_records_the_sms_id(citizen_person, fake_sms):
    message = _notify(citizen_person)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert message.provider == "sms_http"
    assert message.provider_message_id == fake_sms.accepted["k1:sms"]["sms_id"]


def test_temporary_failures_back_off_then_succeed(citizen_person, fake_sms, settings):
    settings.NOTIFY_BACKOFF_SECONDS = 30
    fake_sms.fail_next = ["99", "99"]
    message = _notify(citizen_person)
    now = timezone.now()
    run_once(batch=10, now=now)
    message.refresh_from_db()
    assert message.status == MessageStatus.TEMPORARY_FAILURE and message.last_error.startswith("99")
    assert message.not_before == now + datetime.timedelta(seconds=30)
    assert run_once(batch=10, now=now + datetime.timedelta(seconds=29)).claimed == 0
    run_once(batch=10, now=now + datetime.timedelta(seconds=31))
    message.refresh_from_db()
    assert message.status == MessageStatus.TEMPORARY_FAILURE and message.attempts == 2
    assert message.not_before == now + datetime.timedelta(seconds=31 + 60)
    run_once(batch=10, now=now + datetime.timedelta(seconds=200))
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3
    assert [a.outcome for a in message.attempt_log.all()] == ["temporary_failure", "temporary_failure", "sent"]


def test_backoff_is_exponential_and_capped(settings):
    settings.NOTIFY_BACKOFF_SECONDS, settings.NOTIFY_BACKOFF_MAX_SECONDS = 30, 200
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 5)] == [30, 60, 120, 200, 200]


def test_too_many_temporary_failures_become_permanent_and_fall_back(citizen_person, fake_sms, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    fake_sms.fail_next = ["99", "99"]
    message = _notify(citizen_person)
    now = timezone.now()
    run_once(batch=10, now=now)
    run_once(batch=10, now=now + datetime.timedelta(hours=1))
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE and "Đã thử 2 lần" in message.last_error
    assert Message.objects.get(fallback_of=message).channel == "email"


def test_permanent_failure_keeps_the_providers_reason_and_falls_back_to_email(citizen_person, fake_sms):
    fake_sms.fail_recipients = {"0912345678": "146"}
    message = _notify(citizen_person)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.PERMANENT_FAILURE and message.last_error.startswith("146")
    fallback = Message.objects.get(fallback_of=message)
    assert fallback.channel == "email" and fallback.recipient == "mai@example.vn"
    run_once(batch=10)
    fallback.refresh_from_db()
    assert fallback.status == MessageStatus.SENT
    assert mail.outbox[-1].to == ["mai@example.vn"]


def test_wrong_credentials_are_a_technical_failure(citizen_person, fake_sms, settings):
    settings.SMS_SECRET_KEY = "wrong"
    message = _notify(citizen_person)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.TECHNICAL_FAILURE and message.last_error.startswith("101")


def test_gateway_down_is_temporary(citizen_person, fake_sms):
    fake_sms.stop()
    message = _notify(citizen_person)
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.TEMPORARY_FAILURE and "Không kết nối" in message.last_error


def test_gateway_rate_limit_429_retries_without_using_an_attempt(fake_sms):
    fake_sms.rate = 0.001  # one token now, the next in a quarter of an hour
    fake_sms._tokens = 1
    first = _notify(PersonFactory(phone="0912000001"), key="a")
    second = _notify(PersonFactory(phone="0912000002"), key="b")
    run_once(batch=10)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == MessageStatus.SENT
    assert second.status == MessageStatus.TEMPORARY_FAILURE and second.attempts == 0
    assert second.attempt_log.get().http_status == 429
    assert fake_sms.throttled == 1


def test_token_bucket_paces_sends():
    clock = [0.0]
    slept = []

    def sleep(seconds):
        slept.append(seconds)
        clock[0] += seconds

    bucket = TokenBucket(5, clock=lambda: clock[0], sleep=sleep)
    for _ in range(15):
        bucket.acquire()
    # 5 at once (burst), then one every 0.2 s: 10 more take 2 seconds.
    assert clock[0] == pytest.approx(2.0)


def test_a_stale_claim_is_resent_with_the_same_request_id_and_reaches_the_phone_once(citizen_person, fake_sms):
    message = _notify(citizen_person)
    run_once(batch=10)
    message.refresh_from_db()
    sms_id = message.provider_message_id
    # A worker that was killed after the gateway accepted it, before recording the answer:
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING,
        provider_message_id="",
        claimed_by="dead-worker",
        claimed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_message_id == sms_id
    assert fake_sms.duplicates == 1 and fake_sms.handset["k1:sms"] == 1


def test_a_fresh_claim_is_left_alone(citizen_person):
    message = _notify(citizen_person)
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_by="busy", claimed_at=timezone.now()
    )
    assert run_once(batch=10).claimed == 0


def test_quiet_hours_hold_a_due_sms_without_using_an_attempt(citizen_person, settings):
    message = _notify(citizen_person)
    settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR = 21, 7
    night = datetime.datetime(2026, 3, 16, 16, 30, tzinfo=datetime.UTC)  # 23:30 in Cà Mau
    stats = run_once(batch=10, now=night)
    message.refresh_from_db()
    assert stats.deferred == 1 and message.status == MessageStatus.CREATED and message.attempts == 0
    assert message.not_before == datetime.datetime(2026, 3, 17, 0, 0, tzinfo=datetime.UTC)


def test_zalo_first_then_sms_when_the_person_has_no_zalo(fake_zalo, fake_sms):
    person = PersonFactory(phone="0987654321", email="")
    ContactPreference.objects.create(person=person, zalo_user_id="z-1")
    fake_zalo.fail_recipients = {"84987654321": -118}
    notify(
        person=person,
        event="dossier.withdrawn",
        title="t",
        body="b",
        dedupe_key="w",
        params={"ma_ho_so": "X-1", "co_quan": "UBND"},
    )
    run_once(batch=10)
    zalo = Message.objects.get(channel="zalo")
    assert zalo.status == MessageStatus.PERMANENT_FAILURE and zalo.last_error.startswith("-118")
    run_once(batch=10)
    sms = Message.objects.get(channel="sms")
    assert sms.fallback_of == zalo and sms.status == MessageStatus.SENT
    assert "X-1" in fake_sms.accepted["w:sms"]["content"]


def test_zalo_template_message_carries_template_data(fake_zalo):
    person = PersonFactory(phone="0987654321")
    ContactPreference.objects.create(person=person, zalo_user_id="z-1")
    notify(
        person=person,
        event="dossier.withdrawn",
        title="t",
        body="b",
        dedupe_key="w",
        params={"ma_ho_so": "X-1", "co_quan": "UBND"},
    )
    run_once(batch=10)
    message = Message.objects.get()
    seen = fake_zalo.accepted["w:zalo"]
    assert message.status == MessageStatus.SENT and message.provider_message_id == seen["msg_id"]
    assert seen["template_id"] == "ZNS_DOSSIER_WITHDRAWN" and seen["data"] == {"ma_ho_so": "X-1"}
    assert seen["phone"] == "84987654321"
