import json

import pytest

from motcua.notifications.callbacks import sign
from motcua.notifications.models import Message, MessageStatus, ProviderCallback
from motcua.notifications.services.notify import notify
from motcua.notifications.worker import run_once

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]
URL = "/api/v1/notifications/callbacks/sms"


@pytest.fixture
def sent_sms(citizen_person, fake_sms):
    notify(person=citizen_person, event="notice", title="Họp dân", body="Tối nay", dedupe_key="c1")
    run_once(batch=10)
    return Message.objects.get(dedupe_key="c1:sms")


def _post(client, payload, secret="sms-secret", signature=None):
    raw = json.dumps(payload).encode()
    headers = {} if signature == "" else {"X-Signature": signature or "sha256=" + sign(secret, raw)}
    return client.post(URL, raw, content_type="application/json", headers=headers)


def test_a_signed_receipt_from_the_fake_marks_the_message_delivered(client, sent_sms, fake_sms, live_server):
    fake_sms.callback_url = live_server.url + URL
    assert fake_sms.post_receipt(fake_sms.receipts[0]) == 200
    sent_sms.refresh_from_db()
    assert sent_sms.status == MessageStatus.DELIVERED and sent_sms.delivered_at is not None


def test_a_replayed_receipt_is_recorded_once(client, sent_sms, fake_sms):
    receipt = fake_sms.receipts[0]
    first = _post(client, receipt)
    second = _post(client, receipt)
    assert first.json()["duplicate"] is False and first.json()["status"] == "delivered"
    assert second.status_code == 200 and second.json()["duplicate"] is True
    assert ProviderCallback.objects.count() == 1


@pytest.mark.parametrize("signature", ["", "sha256=" + "0" * 64, "garbage"])
def test_bad_or_missing_signature_is_refused_with_401(client, sent_sms, fake_sms, signature):
    response = _post(client, fake_sms.receipts[0], signature=signature)
    assert response.status_code == 401 and response.json()["code"] == "bad_signature"
    sent_sms.refresh_from_db()
    assert sent_sms.status == MessageStatus.SENT and not ProviderCallback.objects.exists()


def test_wrong_secret_is_refused(client, sent_sms, fake_sms):
    assert _post(client, fake_sms.receipts[0], secret="other").status_code == 401


def test_a_failed_receipt_is_permanent_and_falls_back(client, sent_sms, fake_sms):
    receipt = {**fake_sms.receipts[0], "CallbackId": "x2", "Status": "FAILED", "ErrorCode": "SUBSCRIBER_ABSENT"}
    assert _post(client, receipt).json()["status"] == "permanent_failure"
    sent_sms.refresh_from_db()
    assert "SUBSCRIBER_ABSENT" in sent_sms.last_error
    assert Message.objects.get(fallback_of=sent_sms).channel == "email"


def test_receipt_for_a_message_whose_worker_died_is_found_by_request_id(client, sent_sms, fake_sms):
    Message.objects.filter(pk=sent_sms.pk).update(status=MessageStatus.SENDING, provider_message_id="", provider="")
    assert _post(client, fake_sms.receipts[0]).json()["status"] == "delivered"
    sent_sms.refresh_from_db()
    assert sent_sms.provider_message_id == fake_sms.receipts[0]["SMSID"]


def test_zalo_receipt(client, fake_zalo, settings):
    from motcua.notifications.models import ContactPreference
    from tests.factories import PersonFactory

    person = PersonFactory(phone="0987654321")
    ContactPreference.objects.create(person=person, zalo_user_id="z")
    notify(
        person=person,
        event="dossier.withdrawn",
        title="t",
        body="b",
        dedupe_key="z1",
        params={"ma_ho_so": "X", "co_quan": "U"},
    )
    run_once(batch=10)
    raw = json.dumps(fake_zalo.receipts[0]).encode()
    response = client.post(
        "/api/v1/notifications/callbacks/zalo",
        raw,
        content_type="application/json",
        headers={"X-Signature": sign("zalo-secret", raw)},
    )
    assert response.json()["status"] == "delivered"


def test_unknown_provider_is_404(client):
    assert (
        client.post("/api/v1/notifications/callbacks/nope", b"{}", content_type="application/json").status_code == 404
    )


def test_a_signed_zalo_receipt_with_a_malformed_message_is_not_a_500(client, settings):
    settings.ZALO_CALLBACK_SECRET = "zalo-secret"
    raw = json.dumps({"event_name": "", "message": "not an object"}).encode()
    response = client.post(
        "/api/v1/notifications/callbacks/zalo",
        raw,
        content_type="application/json",
        headers={"X-Signature": sign("zalo-secret", raw)},
    )
    # Neither an event nor a message id can be read from it: refused as invalid, never a server error.
    assert response.status_code == 422 and response.json()["code"] == "invalid_payload"
