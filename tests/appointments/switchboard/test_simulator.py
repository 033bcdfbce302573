"""Who may use the simulator, and what its signing endpoint agrees to sign."""

import json

import pytest

from motcua.appointments.switchboard import wire
from tests.factories import CitizenUserFactory, OfficerFactory

pytestmark = pytest.mark.django_db

PAGE = "/dat-lich/tong-dai/mo-phong/"
SIGN = "/dat-lich/tong-dai/mo-phong/ky/"


def test_an_officer_gets_the_keypad_with_a_simulated_call_id(client):
    client.force_login(OfficerFactory())
    response = client.get(PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-webhook="/api/v1/switchboard/webhook"' in page
    assert 'data-call="sim-' in page
    assert page.count('class="sb-key"') == 12


def test_a_citizen_is_told_nothing_exists_and_a_visitor_is_sent_to_sign_in(client):
    assert client.get(PAGE).status_code == 302
    assert client.post(SIGN, data=b"{}", content_type="application/json").status_code == 302
    client.force_login(CitizenUserFactory())
    assert client.get(PAGE).status_code == 404
    assert client.post(SIGN, data=b"{}", content_type="application/json").status_code == 404


def test_the_signature_given_is_the_providers_for_that_body(client, settings):
    client.force_login(OfficerFactory())
    raw = json.dumps({"call_id": "sim-abc", "caller": "0912345678", "digits": "", "event": "start", "seq": 1}).encode()
    response = client.post(SIGN, data=raw, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["signature"] == wire.sign(settings.SWITCHBOARD_SECRET, body["timestamp"], raw)
    assert abs(int(body["timestamp"]) - wire.now_seconds()) < 60


@pytest.mark.parametrize("raw", [b'{"call_id": "real-call-1"}', b"not json", b"[]", b'{"call_id": 5}'])
def test_only_simulated_calls_are_signed(client, raw):
    client.force_login(OfficerFactory())
    response = client.post(SIGN, data=raw, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "not_simulated"


def test_signing_needs_a_post(client):
    client.force_login(OfficerFactory())
    assert client.get(SIGN).status_code == 405
