"""The webhook's door: signature, timestamp, replay and payload refusals, each with its code."""

import json
import time

import pytest

from motcua.appointments.models import SwitchboardCall
from motcua.appointments.switchboard import wire

from .conftest import WEBHOOK, signed

pytestmark = pytest.mark.django_db

BODY = {"call_id": "w1", "caller": "0912345678", "digits": "", "event": "start", "seq": 1}


def post(client, raw, headers):
    return client.post(WEBHOOK, data=raw, content_type="application/json", **headers)


def test_a_signed_fresh_start_is_answered(client, settings):
    raw, headers = signed(BODY, timestamp=int(time.time()))
    response = post(client, raw, headers)
    assert response.status_code == 200
    assert response.json()["state"] == "menu"
    assert SwitchboardCall.objects.filter(call_id="w1").count() == 1


def test_a_wrong_secret_is_refused(client):
    raw, headers = signed(BODY, timestamp=int(time.time()), secret="not-the-secret")
    response = post(client, raw, headers)
    assert response.status_code == 403 and response.json()["code"] == "signature_invalid"
    assert not SwitchboardCall.objects.exists()


def test_a_changed_body_or_timestamp_breaks_the_signature(client):
    now = int(time.time())
    raw, headers = signed(BODY, timestamp=now)
    tampered = raw.replace(b"0912345678", b"0999999999")
    assert post(client, tampered, headers).json()["code"] == "signature_invalid"
    headers["HTTP_X_SWITCHBOARD_TIMESTAMP"] = str(now - 1)
    assert post(client, raw, headers).json()["code"] == "signature_invalid"


@pytest.mark.parametrize("stamp", ["²", "١٧٦٥١٣٠٠٠٠", "-1", "1765130000.5", "9" * 13])
def test_a_timestamp_that_is_not_unix_seconds_is_refused(client, stamp):
    raw, headers = signed(BODY, timestamp=int(time.time()))
    headers["HTTP_X_SWITCHBOARD_TIMESTAMP"] = stamp
    response = post(client, raw, headers)
    assert response.status_code == 403 and response.json()["code"] == "timestamp_invalid"


def test_a_caller_in_other_digits_is_malformed(client):
    raw, headers = signed({**BODY, "caller": "٠٩١٢٣٤٥٦٧٨"}, timestamp=int(time.time()))
    response = post(client, raw, headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid_payload"


def test_missing_headers_are_refused(client):
    raw = json.dumps(BODY).encode()
    response = client.post(WEBHOOK, data=raw, content_type="application/json")
    assert response.status_code == 403 and response.json()["code"] == "timestamp_invalid"
    _raw, headers = signed(BODY, timestamp=int(time.time()))
    del headers["HTTP_X_SWITCHBOARD_SIGNATURE"]
    response = post(client, raw, headers)
    assert response.status_code == 403 and response.json()["code"] == "signature_invalid"


def test_the_same_request_twice_is_a_replay(client):
    raw, headers = signed(BODY, timestamp=int(time.time()))
    assert post(client, raw, headers).status_code == 200
    response = post(client, raw, headers)
    assert response.status_code == 403 and response.json()["code"] == "replayed"


@pytest.fixture
def frozen(monkeypatch):
    now = 1_800_000_000
    monkeypatch.setattr(wire, "now_seconds", lambda: float(now))
    return now


@pytest.mark.parametrize(("offset", "status"), [(-301, 403), (-300, 200), (300, 200), (301, 403)])
def test_a_timestamp_is_accepted_up_to_the_skew_either_way(client, settings, frozen, offset, status):
    assert settings.SWITCHBOARD_MAX_SKEW_SECONDS == 300
    raw, headers = signed(BODY, timestamp=frozen + offset)
    response = post(client, raw, headers)
    assert response.status_code == status
    if status == 403:
        assert response.json()["code"] == "timestamp_stale"


def test_no_secret_configured_refuses_everything(client, settings):
    settings.SWITCHBOARD_SECRET = ""
    raw, headers = signed(BODY, timestamp=int(time.time()), secret="")
    response = post(client, raw, headers)
    assert response.status_code == 403 and response.json()["code"] == "switchboard_disabled"


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({**BODY, "event": "dance"}).encode(),
        json.dumps({**BODY, "digits": "12a"}).encode(),
        json.dumps({**BODY, "call_id": ""}).encode(),
        json.dumps({**BODY, "caller": "phone"}).encode(),
        json.dumps({**BODY, "seq": 0}).encode(),
        json.dumps({**BODY, "seq": "1"}).encode(),
        json.dumps({k: v for k, v in BODY.items() if k != "seq"}).encode(),
    ],
)
def test_a_signed_but_malformed_body_is_422(client, body):
    raw, headers = signed(body, timestamp=int(time.time()))
    response = post(client, raw, headers)
    assert response.status_code == 422 and response.json()["code"] == "invalid_payload"
    assert not SwitchboardCall.objects.exists()


def test_digits_for_an_unknown_call_are_404(dial):
    response = dial("digits", "1", call_id="never-started")
    assert response.status_code == 404 and response.json()["code"] == "call_unknown"


def test_an_expired_call_is_unknown_and_a_new_start_begins_again(dial, settings):
    assert dial("start").status_code == 200
    SwitchboardCall.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert dial("digits", "1").json()["code"] == "call_unknown"
    assert dial("start").json()["state"] == "menu"


def test_another_number_cannot_drive_or_restart_a_live_call(dial):
    dial("start")
    response = dial("digits", "1", caller="0987654321")
    assert response.status_code == 404 and response.json()["code"] == "call_unknown"
    response = dial("start", caller="0987654321")
    assert response.status_code == 409 and response.json()["code"] == "call_busy"
    assert SwitchboardCall.objects.get().caller == "0912345678"


def test_an_ended_call_answers_409_to_keys_and_200_to_the_providers_hangup(dial):
    dial("start")
    transfer = dial("digits", "0")  # the call ends with a transfer
    ended_at = SwitchboardCall.objects.get().ended_at
    assert transfer.json()["state"] == "ended" and ended_at is not None
    response = dial("digits", "1")
    assert response.status_code == 409 and response.json()["code"] == "call_ended"
    hangup = dial("hangup")
    assert hangup.status_code == 200 and hangup.json()["hangup"] is True
    assert SwitchboardCall.objects.get().ended_at == ended_at


def test_a_retried_request_gets_the_same_answer_and_is_applied_once(dial):
    dial("start")
    first = dial("digits", "7", seq=2)
    again = dial("digits", "7", seq=2)  # re-signed with a new timestamp: not a replay, a retry
    assert again.status_code == 200 and again.json() == first.json()
    assert SwitchboardCall.objects.get().tries == 1


def test_an_older_request_after_a_newer_one_is_out_of_order(dial):
    dial("start")
    dial("digits", "7", seq=3)
    response = dial("digits", "7", seq=2)
    assert response.status_code == 409 and response.json()["code"] == "out_of_order"
