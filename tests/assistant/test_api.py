"""POST /api/v1/assistant/ask: the contract's shape and its error codes."""

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/ask"


def _post(client, body, **extra):
    return client.post(URL, body, content_type="application/json", **extra)


def test_contract_shape(client, catalog):
    response = _post(client, {"message": "làm giấy khai sinh"})
    assert response.status_code == 200
    body = response.json()
    assert {"intent", "answer", "procedures", "conversation"} <= set(body)
    assert body["intent"] == "procedure"
    assert set(body["procedures"][0]) >= {"code", "name", "url"}
    assert body["procedures"][0] == {
        "code": "1.001193", "name": "Thủ tục đăng ký khai sinh", "url": "/thu-tuc/1.001193/",
        "start_url": "/ho-so/nop/1.001193/",
    }  # fmt: skip
    follow = _post(client, {"message": "mất bao lâu?", "conversation": body["conversation"]}).json()
    assert follow["conversation"] == body["conversation"]
    assert follow["intent"] == "procedure"  # a follow-up is about a procedure
    oos = _post(client, {"message": "đội bóng nào vô địch năm nay"}).json()
    assert oos["intent"] == "out_of_scope" and oos["procedures"] == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"message": ""}, 422, "message_empty"),
        ({"message": "   "}, 422, "message_empty"),
        ({"message": "a" * 1001}, 422, "message_too_long"),
        ({"message": "khai sinh", "conversation": "abc"}, 422, "conversation_invalid"),
        ({}, 422, "validation_error"),
        ({"message": 5}, 422, "validation_error"),
    ],
)
def test_refusals_have_codes(client, catalog, body, status, code):
    response = _post(client, body)
    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["message"]


def test_boundary_1000_chars_accepted(client, catalog):
    assert _post(client, {"message": "a" * 1000}).status_code == 200


def test_throttled_per_client(client, catalog, throttle_clock, monkeypatch):
    monkeypatch.setattr("motcua.assistant.services.asking.ASK_PER_MINUTE", 3)
    for _ in range(3):
        assert _post(client, {"message": "khai sinh"}).status_code == 200
    refused = _post(client, {"message": "khai sinh"})
    assert refused.status_code == 429 and refused.json()["code"] == "too_many_questions"
    # Another client is not held back; the first is let through once the minute has passed.
    assert _post(client, {"message": "khai sinh"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    throttle_clock.advance(61)
    assert _post(client, {"message": "khai sinh"}).status_code == 200


def test_unknown_conversation_starts_a_new_one(client, catalog):
    import uuid

    stale = str(uuid.uuid4())
    body = _post(client, {"message": "làm giấy khai sinh", "conversation": stale}).json()
    assert body["conversation"] != stale and body["intent"] == "procedure"
