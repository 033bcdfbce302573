"""Claiming existing records: the takeover from issue 12 fails; the owner claims with a code or at the desk."""

import datetime

import pytest

from motcua.core.models import AuditEvent, Person, PersonProof, Role, User
from motcua.notifications.models import InboxMessage, Message
from motcua.verification.models import OneTimeCode
from tests.factories import CommuneFactory, OfficerFactory, PersonFactory, grant

OWNER_PHONE = "0912345678"
ATTACKER_PHONE = "0987654321"
PASSWORD = "Chu-ho-so-2026!"


@pytest.fixture
def owner(db):
    """The person the counter recorded, with 17 inbox messages."""
    person = PersonFactory(
        personal_id="096185000777",
        full_name="Lê Thị Hoa",
        date_of_birth=datetime.date(1985, 3, 8),
        sex="F",
        phone=OWNER_PHONE,
    )
    for n in range(17):
        InboxMessage.objects.create(person=person, event="notice", title=f"Tin {n}", body="…", dedupe_key=f"t{n}")
    return person


def _signed_in(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _register(client, **overrides):
    form = {
        "personal_id": "096185000777",
        "full_name": "LE THI HOA",  # any case, no diacritics: all of it printed on the card
        "date_of_birth": "08/03/1985",
        "sex": "F",
        "phone": ATTACKER_PHONE,
        "email": "",
        "unit": "",
        "password": "Ke-gian-2026!",
        "password_again": "Ke-gian-2026!",
    }
    return client.post("/dang-ky/", form | overrides)


@pytest.mark.django_db
def test_the_takeover_from_the_issue_now_takes_nothing(client, owner):
    response = _register(client)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Nhận hồ sơ bằng mã xác thực" in page
    assert _signed_in(client) is None
    assert not User.objects.exists()
    owner.refresh_from_db()
    assert owner.phone == OWNER_PHONE
    assert client.get("/ho-so/hop-thu/").status_code == 302  # nothing to read without signing in (the one inbox)


@pytest.mark.django_db
def test_the_attacker_asking_for_a_claim_code_sends_it_to_the_owner_only(client, owner):
    response = client.post("/nhan-ho-so/", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    assert response.status_code == 302
    sent = Message.objects.get()
    assert sent.recipient == OWNER_PHONE
    assert not Message.objects.filter(recipient=ATTACKER_PHONE).exists()

    form = {"personal_id": "096185000777", "code": "000000", "new_password": PASSWORD, "new_password_again": PASSWORD}
    if sent.body.count("000000"):
        form["code"] = "111111"
    page = client.post("/nhan-ho-so/xac-nhan/", form).content.decode()
    assert "Mã xác thực không đúng. Còn 4 lần thử." in page
    assert not User.objects.exists() and _signed_in(client) is None


@pytest.mark.django_db
def test_the_owner_claims_their_records_with_the_code(client, owner, last_code):
    client.post("/nhan-ho-so/", {"personal_id": "096185000777", "date_of_birth": "08/03/1985"})
    message = Message.objects.get(recipient=OWNER_PHONE)
    assert message.is_secret and message.urgent and message.not_before is None
    assert message.person_id is None  # never listed among a person's messages
    assert "Khong cung cap ma nay cho bat ky ai, ke ca can bo" in message.body
    assert not InboxMessage.objects.filter(event__startswith="otp.").exists()

    response = client.post(
        "/nhan-ho-so/xac-nhan/",
        {
            "personal_id": "096185000777",
            "code": last_code(OWNER_PHONE),
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        },
    )

    assert response.status_code == 302 and response.url == "/tai-khoan/"
    user = User.objects.get()
    assert _signed_in(client) == user.pk
    assert user.person == owner and user.person_proof == PersonProof.CODE
    assert user.username == "096185000777"
    assert InboxMessage.objects.filter(person=owner, event="notice").count() == 17
    assert "Tin 16" in client.get("/thong-bao/cua-toi/", follow=True).content.decode()
    assert InboxMessage.objects.filter(person=owner, event="account.person_linked").exists()
    assert AuditEvent.objects.filter(action="account.person_linked", object_id=str(user.pk)).exists()
    # The code works once.
    client.logout()
    again = client.post(
        "/nhan-ho-so/xac-nhan/",
        {"personal_id": "096185000777", "code": "123456", "new_password": PASSWORD, "new_password_again": PASSWORD},
    )
    assert User.objects.count() == 1 and again.status_code == 200


@pytest.mark.django_db
def test_claim_refusals(client, owner):
    wrong_birth = client.post("/nhan-ho-so/", {"personal_id": "096185000777", "date_of_birth": "1985-03-09"})
    assert "Thông tin không khớp với hồ sơ" in wrong_birth.content.decode()
    unknown = client.post("/nhan-ho-so/", {"personal_id": "096185000778", "date_of_birth": "1985-03-08"})
    assert "Thông tin không khớp với hồ sơ" in unknown.content.decode()
    no_phone = PersonFactory(personal_id="096185000779", date_of_birth=datetime.date(1985, 3, 8), phone="")
    page = client.post("/nhan-ho-so/", {"personal_id": no_phone.personal_id, "date_of_birth": "1985-03-08"})
    assert "mang thẻ căn cước đến bộ phận một cửa" in page.content.decode()
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_a_weak_password_does_not_use_up_the_code(client, owner, last_code):
    client.post("/nhan-ho-so/", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    code = last_code(OWNER_PHONE)
    form = {"personal_id": "096185000777", "code": code, "new_password": "12345678", "new_password_again": "12345678"}
    assert client.post("/nhan-ho-so/xac-nhan/", form).status_code == 200
    assert OneTimeCode.objects.get().attempts == 0
    form |= {"new_password": PASSWORD, "new_password_again": PASSWORD}
    assert client.post("/nhan-ho-so/xac-nhan/", form).status_code == 302


# --- an unregistered ID claimed first does not block its owner ------------------------------------


def _officer_for(unit):
    officer = OfficerFactory()
    grant(officer, Role.RECEPTIONIST, unit=unit)
    return officer


def _chip_qr(person: Person) -> str:
    return f"{person.personal_id}||{person.full_name}|{person.date_of_birth:%d%m%Y}|Nữ|Ấp 1|10082021"


@pytest.mark.django_db
def test_first_unproven_claimant_is_replaced_after_desk_verification(client, last_code):
    unit = CommuneFactory()
    # An impostor registers an ID nobody holds yet; the account is only self-declared.
    _register(client, personal_id="096185000777", full_name="Lê Thị Hoa", unit=unit.pk)
    impostor = User.objects.get()
    assert impostor.person_proof == PersonProof.SELF_DECLARED
    person = impostor.person
    client.logout()

    # The owner cannot claim by code: the code would go to the impostor's phone.
    page = client.post("/nhan-ho-so/", {"personal_id": "096185000777", "date_of_birth": "1985-03-08"})
    assert "nếu tài khoản đó không phải của ông/bà" in page.content.decode()

    # At the desk, an officer of the person's commune checks the chip card and sends a code.
    officer = _officer_for(unit)
    client.force_login(officer)
    response = client.post(
        f"/can-bo/cong-dan/{person.pk}/xac-minh-tai-khoan/", {"chip_qr": _chip_qr(person), "phone": OWNER_PHONE}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="person.desk_verified", actor=officer, object_id=str(person.pk)).exists()
    client.logout()

    # The owner types the code on their own phone.
    response = client.post(
        "/nhan-ho-so/xac-nhan/",
        {
            "personal_id": "096185000777",
            "code": last_code(OWNER_PHONE),
            "new_password": PASSWORD,
            "new_password_again": PASSWORD,
        },
    )
    assert response.status_code == 302
    owner_account = User.objects.get(pk=_signed_in(client))
    assert owner_account.person == person and owner_account.person_proof == PersonProof.DESK
    assert owner_account.username == "096185000777"
    impostor.refresh_from_db()
    assert impostor.person is None and not impostor.is_active
    person.refresh_from_db()
    assert person.phone == OWNER_PHONE
    notice = Message.objects.get(recipient=ATTACKER_PHONE, event="account.phone_changed")
    assert "091****678" in notice.body
    assert AuditEvent.objects.filter(action="account.person_unlinked", object_id=str(impostor.pk)).exists()


@pytest.mark.django_db
def test_desk_verification_in_and_out_of_scope_and_card_mismatch(client, owner):
    other_unit = CommuneFactory()
    outsider = _officer_for(other_unit)
    client.force_login(outsider)
    url = f"/can-bo/cong-dan/{owner.pk}/xac-minh-tai-khoan/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"chip_qr": _chip_qr(owner), "phone": OWNER_PHONE}).status_code == 404

    insider = _officer_for(owner.unit)
    client.force_login(insider)
    assert client.get(url).status_code == 200
    other = PersonFactory.build(personal_id="096185000778", full_name="Lê Thị Hoa", date_of_birth=owner.date_of_birth)
    page = client.post(url, {"chip_qr": _chip_qr(other), "phone": OWNER_PHONE}).content.decode()
    assert "không khớp với công dân này" in page
    page = client.post(url, {"chip_qr": "khong phai ma qr", "phone": OWNER_PHONE}).content.decode()
    assert "không phải mã QR" in page
    assert not Message.objects.exists()

    citizen = User.objects.create_user("congdan", password=PASSWORD)
    client.force_login(citizen)
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_desk_verification_is_not_offered_through_the_wide_view(client, owner):
    # A province manager reads people outside their work only with a stated reason, audited; the desk
    # check is for people in one's own work, so it is simply not there (not an error page).
    manager = OfficerFactory()
    grant(manager, Role.MANAGER, unit=owner.unit.parent)
    client.force_login(manager)
    url = f"/can-bo/cong-dan/{owner.pk}/xac-minh-tai-khoan/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"chip_qr": _chip_qr(owner), "phone": OWNER_PHONE}).status_code == 404
