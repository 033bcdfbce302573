"""The accounts API: the same rules as the pages, errors as {code, message}."""

import datetime

import pytest

from motcua.core.models import PersonProof, Role, User
from tests.factories import CitizenUserFactory, CommuneFactory, OfficerFactory, PersonFactory, grant

PHONE = "0912345678"
PASSWORD = "Chu-ho-so-2026!"


def _post(client, url, data):
    return client.post(f"/api/v1{url}", data, content_type="application/json")


@pytest.fixture
def owner(db):
    return PersonFactory(
        personal_id="096185000777", full_name="Lê Thị Hòa", date_of_birth=datetime.date(1985, 3, 8), phone=PHONE
    )


@pytest.mark.django_db
def test_claim_over_the_api(client, owner, clock, last_code):
    wrong = _post(client, "/accounts/claim/start", {"personal_id": "096185000777", "date_of_birth": "1985-03-09"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "claim_mismatch"
    started = _post(client, "/accounts/claim/start", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    assert started.status_code == 200 and started.json() == {"sent_to": "091****678"}
    again = _post(client, "/accounts/claim/start", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    assert again.status_code == 429 and again.json()["code"] == "otp_cooldown"

    bad = _post(client, "/accounts/claim/complete", {"personal_id": "096185000777", "code": "12", "password": PASSWORD})
    assert bad.status_code == 400 and bad.json()["code"] == "otp_invalid"
    done = _post(
        client,
        "/accounts/claim/complete",
        {"personal_id": "096185000777", "code": last_code(PHONE), "password": PASSWORD},
    )
    assert done.status_code == 200
    assert done.json()["person_id"] == owner.pk and done.json()["person_proof"] == PersonProof.CODE
    assert client.get("/api/v1/people").json()["items"][0]["id"] == owner.pk

    taken = _post(client, "/accounts/claim/start", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    assert taken.status_code == 409 and taken.json()["code"] == "claim_account_exists"


@pytest.mark.django_db
def test_password_reset_and_change_over_the_api(client, clock, last_code):
    citizen = CitizenUserFactory(person=PersonFactory(phone=PHONE))
    unknown = _post(client, "/accounts/password-reset/start", {"identifier": "0999999999"})
    known = _post(client, "/accounts/password-reset/start", {"identifier": PHONE})
    assert unknown.json() == known.json() == {"sent_to": ""}
    done = _post(
        client,
        "/accounts/password-reset/complete",
        {"identifier": PHONE, "code": last_code(PHONE), "new_password": PASSWORD},
    )
    assert done.status_code == 204
    citizen.refresh_from_db()
    assert citizen.check_password(PASSWORD)

    assert _post(client, "/accounts/password", {"old_password": PASSWORD, "new_password": "x"}).status_code == 401
    client.force_login(citizen)
    wrong = _post(client, "/accounts/password", {"old_password": "sai", "new_password": "Khac-nua-2026!"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    ok = _post(client, "/accounts/password", {"old_password": PASSWORD, "new_password": "Khac-nua-2026!"})
    assert ok.status_code == 204
    assert client.get("/api/v1/people").status_code == 200  # this session kept


@pytest.mark.django_db
def test_phone_change_and_desk_verification_over_the_api(client, owner, clock, last_code):
    citizen = CitizenUserFactory(person=PersonFactory(phone="0933333333"))
    client.force_login(citizen)
    assert _post(client, "/accounts/phone/start", {"phone": "0987654321"}).json() == {"sent_to": "098****321"}
    assert _post(client, "/accounts/phone/complete", {"code": last_code("0987654321")}).status_code == 204
    citizen.person.refresh_from_db()
    assert citizen.person.phone == "0987654321"

    qr = f"096185000777||{owner.full_name}|08031985|Nữ|Ấp 1|10082021"
    body = {"chip_qr": qr, "phone": "0977777777"}
    assert _post(client, f"/people/{owner.pk}/desk-verification", body).status_code == 404  # a citizen
    outsider = OfficerFactory()
    grant(outsider, Role.RECEPTIONIST, unit=CommuneFactory())
    client.force_login(outsider)
    assert _post(client, f"/people/{owner.pk}/desk-verification", body).status_code == 404
    insider = OfficerFactory()
    grant(insider, Role.RECEPTIONIST, unit=owner.unit)
    client.force_login(insider)
    response = _post(client, f"/people/{owner.pk}/desk-verification", body)
    assert response.status_code == 200, response.json()
    assert response.json() == {"sent_to": "097****777"}
    client.logout()
    done = _post(
        client,
        "/accounts/claim/complete",
        {"personal_id": "096185000777", "code": last_code("0977777777"), "password": PASSWORD},
    )
    assert done.json()["person_proof"] == PersonProof.DESK
    owner.refresh_from_db()
    assert owner.phone == "0977777777"
    assert User.objects.get(person=owner).username == "096185000777"
