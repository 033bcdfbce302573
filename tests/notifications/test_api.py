import pytest

from motcua.core.models import Role
from motcua.notifications.models import Message
from motcua.notifications.services.notify import notify
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory, grant

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("daytime", "templates")]


@pytest.fixture
def manager(citizen_person):
    user = OfficerFactory()
    grant(user, Role.MANAGER, unit=citizen_person.unit)
    return user


def test_a_manager_sends_a_notice_to_a_person(client, manager, citizen_person):
    client.force_login(manager)
    response = client.post(
        "/api/v1/notifications",
        {"person_id": citizen_person.pk, "event": "notice", "title": "Họp dân", "body": "Tối nay 19 giờ"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["inbox_id"] and body["messages"][0]["channel"] == "sms"
    detail = client.get(f"/api/v1/notifications/{body['messages'][0]['id']}")
    assert detail.status_code == 200 and detail.json()["status"] == "created"


def test_a_manager_sends_to_a_bare_phone_number(client, manager):
    client.force_login(manager)
    response = client.post(
        "/api/v1/notifications",
        {"phone": "+84 912 000 111", "event": "notice", "title": "Nhắc lịch", "body": "Mai tiêm chủng"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert Message.objects.get().recipient == "0912000111"


def test_a_receptionist_may_not_send(client, citizen_person):
    user = OfficerFactory()
    grant(user, Role.RECEPTIONIST, unit=citizen_person.unit)
    client.force_login(user)
    response = client.post(
        "/api/v1/notifications", {"person_id": citizen_person.pk, "event": "notice"}, content_type="application/json"
    )
    assert response.status_code == 403 and response.json()["code"] == "not_a_sender"


def test_a_manager_of_another_commune_cannot_reach_the_person(client, citizen_person):
    user = OfficerFactory()
    grant(user, Role.MANAGER, unit=PersonFactory().unit)
    client.force_login(user)
    response = client.post(
        "/api/v1/notifications", {"person_id": citizen_person.pk, "event": "notice"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_unknown_event_is_422(client, manager, citizen_person):
    client.force_login(manager)
    response = client.post(
        "/api/v1/notifications", {"person_id": citizen_person.pk, "event": "nope"}, content_type="application/json"
    )
    assert response.status_code == 422 and response.json()["code"] == "unknown_event"


def test_citizen_reads_own_messages_but_not_others(client):
    user = CitizenUserFactory()
    notify(person=user.person, event="notice", title="t", body="b", dedupe_key="m1")
    other = PersonFactory()
    notify(person=other, event="notice", title="t", body="b", dedupe_key="m2")
    client.force_login(user)
    mine = client.get("/api/v1/me/messages").json()
    assert [m["recipient"] for m in mine] == [user.person.phone]
    other_id = Message.objects.get(person=other).pk
    assert client.get(f"/api/v1/notifications/{other_id}").status_code == 404


def test_preview_api_counts_segments(client, manager):
    client.force_login(manager)
    response = client.post(
        "/api/v1/notifications/preview",
        {"event": "dossier.received", "channel": "sms", "body": "Hồ sơ ((ma_ho_so)) ((khong_co))"},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 200
    assert body["sms"]["unaccented"]["encoding"] == "GSM-7" and body["sms"]["unaccented"]["segments"] == 1
    assert any("((khong_co))" in p for p in body["problems"])


def test_opt_out_api(client):
    user = CitizenUserFactory()
    client.force_login(user)
    response = client.post("/api/v1/me/broadcast-opt-out", {"opt_out": True}, content_type="application/json")
    assert response.json()["broadcast_opt_out"] is True
    assert client.get("/api/v1/me/broadcast-opt-out").json()["broadcast_opt_out"] is True


def test_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/notifications",
        "/api/v1/notifications/{message_id}",
        "/api/v1/notifications/preview",
        "/api/v1/notifications/callbacks/{provider}",
        "/api/v1/me/messages",
    ):
        assert path in paths
    assert "401" in paths["/api/v1/notifications/callbacks/{provider}"]["post"]["responses"]
