"""The Zalo OA webhook: the signature (good, bad), replays and stale events refused, follow and
unfollow, a text answered through the outbox to the OA message API, conversations per user,
throttling per user, nothing personal in the logs."""

import json
import logging

import pytest

from motcua.assistant.channels import services
from motcua.assistant.models import Conversation, Exchange
from motcua.notifications.models import ChannelKind, Message, MessageStatus
from motcua.notifications.worker import run_once

from ._channels_world import channel_settings, zalo_running

pytestmark = pytest.mark.django_db
URL = "/tro-ly/zalo/webhook/"
NOW = 1_765_130_000_000  # the clock the webhook reads, in milliseconds
USER = "246845883529197922"


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path, monkeypatch):
    channel_settings(settings, tmp_path)
    monkeypatch.setattr(services, "now_ms", lambda: NOW)


@pytest.fixture
def oa(settings):
    with zalo_running(settings) as fake:
        yield fake


def post(client, oa, payload, *, signature=None, raw=None):
    body, mac = oa.signed_event(payload)
    return client.post(
        URL,
        data=raw if raw is not None else body,
        content_type="application/json",
        headers={"X-ZEvent-Signature": mac if signature is None else signature},
    )


def text_event(oa, text, *, user=USER, at=NOW):
    return oa.event("user_send_text", user_id=user, text=text, timestamp=at)


def test_a_question_is_answered_through_the_outbox_and_the_oa_message_api(client, oa, catalog):
    response = post(client, oa, text_event(oa, "làm giấy khai sinh cho con ở đâu"))
    assert response.status_code == 200 and response.json()["code"] == "queued"
    message = Message.objects.get(pk=response.json()["message_id"])
    assert (message.channel, message.recipient, message.status) == (ChannelKind.ZALO, USER, MessageStatus.CREATED)
    assert "khai sinh" in message.body and "https://dichvucong.camau.gov.vn/thu-tuc/1.001193/" in message.body
    run_once(batch=10)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    [sent] = oa.cs_messages
    assert sent["body"] == {"recipient": {"user_id": USER}, "message": {"text": message.body}}


def test_a_bad_signature_is_refused_and_nothing_is_written(client, oa, catalog):
    event = text_event(oa, "làm giấy khai sinh ở đâu")
    body, mac = oa.signed_event(event)
    forged = body.replace(b"khai sinh", b"kh\xc3\xa0i sinh")
    for raw, signature in ((forged, mac), (body, ""), (body, "mac=" + "0" * 64)):
        response = post(client, oa, event, raw=raw, signature=signature)
        assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    assert not Message.objects.exists() and not Exchange.objects.exists()


def test_a_replayed_event_is_acknowledged_once(client, oa, catalog):
    event = text_event(oa, "làm giấy khai sinh ở đâu")
    assert post(client, oa, event).json()["code"] == "queued"
    again = post(client, oa, event)
    assert again.status_code == 200 and again.json() == {"code": "duplicate", "message_id": None}
    # Zalo retrying the same message with a new timestamp is the same message.
    retried = dict(event, timestamp=str(NOW + 1000))
    assert post(client, oa, retried).json()["code"] == "duplicate"
    assert Message.objects.count() == 1 and Exchange.objects.count() == 1


@pytest.mark.parametrize(
    ("at", "accepted"),
    [
        (NOW - services.ZALO_MAX_AGE_SECONDS * 1000, True),
        (NOW - services.ZALO_MAX_AGE_SECONDS * 1000 - 1, False),
        (NOW + services.ZALO_CLOCK_SKEW_SECONDS * 1000, True),
        (NOW + services.ZALO_CLOCK_SKEW_SECONDS * 1000 + 1, False),
    ],
    ids=["oldest-accepted", "stale", "latest-accepted", "from-the-future"],
)
def test_events_outside_the_time_window_are_refused(client, oa, catalog, at, accepted):
    response = post(client, oa, text_event(oa, "làm giấy khai sinh ở đâu", at=at))
    if accepted:
        assert response.status_code == 200 and response.json()["code"] == "queued"
    else:
        assert response.status_code == 401 and response.json()["code"] == "stale_event"
        assert not Message.objects.exists()


@pytest.mark.parametrize("stamp", ["²", "٣", "9" * 5000, "-1", "1.7e12", str(NOW) + ".5"])
def test_an_event_whose_timestamp_is_not_milliseconds_is_refused(client, oa, stamp):
    event = dict(text_event(oa, "xin chào"), timestamp=stamp)
    response = post(client, oa, event)
    assert response.status_code == 401 and response.json()["code"] == "stale_event"
    assert not Message.objects.exists()


def test_an_event_without_timestamp_is_refused(client, oa):
    event = text_event(oa, "xin chào")
    del event["timestamp"]
    assert post(client, oa, event).status_code == 401


def test_follow_is_welcomed_unfollow_and_other_events_are_acknowledged(client, oa):
    follow = post(client, oa, oa.event("follow", user_id="u-new", timestamp=NOW))
    assert follow.status_code == 200 and follow.json()["code"] == "queued"
    welcome = Message.objects.get()
    assert welcome.recipient == "u-new" and welcome.body.startswith("Xin chào")
    unfollow = post(client, oa, oa.event("unfollow", user_id="u-new", timestamp=NOW + 1))
    sticker = dict(oa.event("user_send_sticker", user_id="u-new", timestamp=NOW + 2), message={"msg_id": "s1"})
    for response in (unfollow, post(client, oa, sticker)):
        assert response.status_code == 200 and response.json()["code"] == "ignored"
    assert Message.objects.count() == 1


def test_unreadable_bodies_and_other_methods(client):
    response = client.post(URL, data=b"{not json", content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "invalid_payload"
    assert client.post(URL, data=b"[1]", content_type="application/json").status_code == 422
    assert client.get(URL).status_code == 405


def test_a_users_conversation_continues_across_messages(client, oa, catalog):
    post(client, oa, text_event(oa, "làm giấy khai sinh ở đâu"))
    post(client, oa, text_event(oa, "còn lệ phí bao nhiêu", at=NOW + 1))
    post(client, oa, text_event(oa, "làm giấy kết hôn ở đâu", user="someone-else", at=NOW + 2))
    mine = Conversation.objects.get(channel="zalo", sender=USER)
    assert mine.exchanges.count() == 2
    assert Conversation.objects.get(sender="someone-else").exchanges.count() == 1
    fee_answer = Message.objects.filter(recipient=USER).order_by("id").last().body
    assert "8.000" in fee_answer  # the birth registration fee, from the first question's procedure


def test_each_user_is_throttled_alone(client, oa, catalog, monkeypatch):
    monkeypatch.setitem(services.SENDER_LIMITS, "zalo", (2, 600))
    codes = [post(client, oa, text_event(oa, f"khai sinh {n}", at=NOW + n)).json()["code"] for n in range(4)]
    assert codes == ["queued", "queued", "throttled", "throttled"]
    rows = list(Message.objects.filter(recipient=USER).order_by("id").values_list("event", "body"))
    # Two answers, then one notice saying when to come back, then silence.
    assert [event for event, _body in rows] == ["assistant.reply", "assistant.reply", "assistant.throttled"]
    assert "10 phút" in rows[-1][1]
    assert post(client, oa, text_event(oa, "khai sinh", user="other", at=NOW + 9)).json()["code"] == "queued"


def test_logs_name_the_event_not_the_person(client, oa, catalog, caplog):
    with caplog.at_level(logging.INFO, logger="motcua.assistant.channels"):
        post(client, oa, text_event(oa, "làm giấy khai sinh ở đâu 0912345678"))
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "user_send_text" in logged
    assert USER not in logged and "0912345678" not in logged and "khai sinh" not in logged


def test_the_fake_posts_events_the_webhook_accepts(live_server, oa, catalog, settings):
    """The fake speaks Zalo's wire format end to end: a signed POST over HTTP, then the reply over HTTP."""
    status, body = oa.post_event(
        live_server.url + URL, oa.event("user_send_text", user_id=USER, text="khai sinh", timestamp=NOW)
    )
    assert status == 200 and json.loads(body)["code"] == "queued"


def test_a_status_question_continues_with_the_phone_digits(client, oa, make_dossier):
    dossier = make_dossier(applicant_phone="0912345678", applicant_name="Trần Thị Mai")
    post(client, oa, text_event(oa, f"hồ sơ {dossier.code} tới đâu rồi"))
    asked = Message.objects.get().body
    assert "4 số cuối" in asked
    post(client, oa, text_event(oa, "5678", at=NOW + 1))
    answer = Message.objects.order_by("id").last().body
    assert dossier.code in answer and "T*** T*** M***" in answer and "Trần Thị Mai" not in answer
