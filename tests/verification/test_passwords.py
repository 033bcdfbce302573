"""Password reset and change, phone change: sessions, notices, TOTP, and a stranger cannot lock anyone out."""

import pyotp
import pytest
from django.test import Client

from motcua.core.models import AuditEvent, User
from motcua.notifications.models import InboxMessage, Message
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory

OLD = "Mk-thu-nghiem-2026"
NEW = "Mat-khau-moi-2026!"
PHONE = "0912345678"


@pytest.fixture
def citizen(db):
    return CitizenUserFactory(person=PersonFactory(phone=PHONE, email="hoa@example.vn"))


def _signed_in(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def _logged_in_client(user, password=OLD) -> Client:
    other = Client()
    assert other.post("/dang-nhap/", {"identifier": user.username, "password": password}).status_code == 302
    return other


def _still_signed_in(other: Client) -> bool:
    return other.get("/tai-khoan/").status_code == 200


@pytest.mark.django_db
def test_reset_by_code_signs_out_every_other_session_and_sends_a_notice(client, citizen, clock, last_code):
    phone_session = _logged_in_client(citizen)
    assert _still_signed_in(phone_session)

    response = client.post("/quen-mat-khau/", {"identifier": PHONE})
    assert response.status_code == 302 and response.url == "/quen-mat-khau/dat-lai/"
    page = client.get(response.url).content.decode()
    assert PHONE in page  # the identifier is carried over to the second step
    response = client.post(
        "/quen-mat-khau/dat-lai/",
        {"identifier": PHONE, "code": last_code(PHONE), "new_password": NEW, "new_password_again": NEW},
    )

    assert response.status_code == 302 and response.url == "/dang-nhap/"
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert not _still_signed_in(phone_session)
    assert InboxMessage.objects.filter(person=citizen.person, event="account.password_changed").exists()
    notice = Message.objects.get(event="account.password_changed")
    assert notice.recipient == PHONE and not notice.is_secret
    assert AuditEvent.objects.filter(action="account.password_reset", object_id=str(citizen.pk)).exists()
    assert _signed_in(client) is None  # a reset does not sign in: sign in again (with TOTP where it applies)


@pytest.mark.django_db
def test_reset_for_an_unknown_account_answers_the_same_and_sends_nothing(client, clock):
    response = client.post("/quen-mat-khau/", {"identifier": "0999999999"}, follow=True)
    assert "Nếu thông tin đúng, mã xác thực đã được gửi" in response.content.decode()
    assert not Message.objects.exists()
    page = client.post(
        "/quen-mat-khau/dat-lai/",
        {"identifier": "0999999999", "code": "123456", "new_password": NEW, "new_password_again": NEW},
    ).content.decode()
    assert "đã hết hạn" in page


@pytest.mark.django_db
def test_reset_by_email_when_there_is_no_phone(client, clock, last_code):
    officer = OfficerFactory(username="canbo1", email="canbo1@camau.gov.vn")
    client.post("/quen-mat-khau/", {"identifier": "canbo1"})
    message = Message.objects.get()
    assert message.channel == "email" and message.is_secret
    client.post(
        "/quen-mat-khau/dat-lai/",
        {
            "identifier": "canbo1",
            "code": last_code("canbo1@camau.gov.vn"),
            "new_password": NEW,
            "new_password_again": NEW,
        },
    )
    officer.refresh_from_db()
    assert officer.check_password(NEW)
    assert Message.objects.filter(event="account.password_changed", recipient="canbo1@camau.gov.vn").exists()


@pytest.mark.django_db
def test_an_officer_reset_keeps_totp_which_only_an_administrator_resets(client, clock, last_code):
    secret = pyotp.random_base32()
    officer = OfficerFactory(username="canbo2", email="canbo2@camau.gov.vn", totp_secret=secret, totp_required=True)
    client.post("/quen-mat-khau/", {"identifier": "canbo2"})
    client.post(
        "/quen-mat-khau/dat-lai/",
        {
            "identifier": "canbo2",
            "code": last_code("canbo2@camau.gov.vn"),
            "new_password": NEW,
            "new_password_again": NEW,
        },
    )
    officer.refresh_from_db()
    assert officer.check_password(NEW) and officer.totp_secret == secret
    page = client.post("/dang-nhap/", {"identifier": "canbo2", "password": NEW}).content.decode()
    assert "Mở ứng dụng xác thực" in page  # still asks for the TOTP code
    assert _signed_in(client) is None


@pytest.mark.django_db
def test_a_stranger_cannot_lock_a_citizen_out(client, citizen, clock, last_code):
    # A stranger asks for a reset code and burns all 5 tries on it.
    stranger = Client()
    stranger.post("/quen-mat-khau/", {"identifier": PHONE})
    for _ in range(5):
        stranger.post(
            "/quen-mat-khau/dat-lai/",
            {"identifier": PHONE, "code": "000000", "new_password": NEW, "new_password_again": NEW},
        )
    # The password is untouched and still signs the citizen in.
    citizen.refresh_from_db()
    assert citizen.check_password(OLD)
    assert _still_signed_in(_logged_in_client(citizen))
    # After the 60 s wait, the citizen's own code works.
    clock.advance(60)
    client.post("/quen-mat-khau/", {"identifier": PHONE})
    response = client.post(
        "/quen-mat-khau/dat-lai/",
        {"identifier": PHONE, "code": last_code(PHONE), "new_password": NEW, "new_password_again": NEW},
    )
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)


@pytest.mark.django_db
def test_cooldown_message_on_the_page(client, citizen, clock):
    client.post("/quen-mat-khau/", {"identifier": PHONE})
    clock.advance(59)
    page = client.post("/quen-mat-khau/", {"identifier": PHONE}).content.decode()
    assert "Vui lòng chờ 1 giây trước khi yêu cầu mã mới." in page


@pytest.mark.django_db
def test_change_keeps_this_session_signs_out_the_others_and_sends_a_notice(client, citizen):
    other = _logged_in_client(citizen)
    client.force_login(citizen)
    wrong = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": "sai", "new_password": NEW, "new_password_again": NEW}
    )
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    weak = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": OLD, "new_password": "12345678", "new_password_again": "12345678"}
    )
    assert weak.status_code == 200
    citizen.refresh_from_db()
    assert citizen.check_password(OLD)

    response = client.post(
        "/tai-khoan/doi-mat-khau/", {"old_password": OLD, "new_password": NEW, "new_password_again": NEW}
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW)
    assert _still_signed_in(client)
    assert not _still_signed_in(other)
    assert InboxMessage.objects.filter(person=citizen.person, event="account.password_changed").count() == 1
    assert client.get("/tai-khoan/doi-mat-khau/").status_code == 200
    client.logout()
    assert client.get("/tai-khoan/doi-mat-khau/").status_code == 302


@pytest.mark.django_db
def test_phone_change_needs_a_code_from_the_new_phone_and_tells_the_old_one(client, citizen, clock, last_code):
    client.force_login(citizen)
    taken = CitizenUserFactory(person=PersonFactory(phone="0933333333"))
    page = client.post("/tai-khoan/doi-so-dien-thoai/", {"phone": taken.person.phone}).content.decode()
    assert "đã được dùng cho một tài khoản khác" in page
    page = client.post("/tai-khoan/doi-so-dien-thoai/", {"phone": PHONE}).content.decode()
    assert "Đây đã là số điện thoại hiện tại." in page

    new = "0987654321"
    page = client.post("/tai-khoan/doi-so-dien-thoai/", {"phone": new}).content.decode()
    assert "098****321" in page
    citizen.person.refresh_from_db()
    assert citizen.person.phone == PHONE  # nothing changes before the code comes back
    page = client.post("/tai-khoan/doi-so-dien-thoai/", {"code": "000000" if last_code(new) != "000000" else "111111"})
    assert "Mã xác thực không đúng" in page.content.decode()

    response = client.post("/tai-khoan/doi-so-dien-thoai/", {"code": last_code(new)})

    assert response.status_code == 302
    citizen.person.refresh_from_db()
    assert citizen.person.phone == new
    old_notice = Message.objects.get(recipient=PHONE, event="account.phone_changed")
    assert "098****321" in old_notice.body
    assert AuditEvent.objects.filter(action="person.phone_changed", object_id=str(citizen.person.pk)).exists()
    # The citizen now signs in with the new number.
    assert User.objects.get(person__phone=new) == citizen


@pytest.mark.django_db
def test_a_stranger_locking_the_account_does_not_keep_the_owner_out(client, citizen, clock, last_code):
    stranger = Client()
    for _ in range(5):  # MOTCUA_LOGIN_MAX_FAILURES is 5: the fifth wrong password locks the account
        stranger.post("/dang-nhap/", {"identifier": citizen.username, "password": "doan-bua-123"})
    owner_try = Client()
    locked = owner_try.post("/dang-nhap/", {"identifier": PHONE, "password": OLD})
    assert "đăng nhập sai quá nhiều lần" in locked.content.decode()
    assert _signed_in(owner_try) is None

    client.post("/quen-mat-khau/", {"identifier": PHONE})
    client.post(
        "/quen-mat-khau/dat-lai/",
        {"identifier": PHONE, "code": last_code(PHONE), "new_password": NEW, "new_password_again": NEW},
    )

    owner = Client()
    response = owner.post("/dang-nhap/", {"identifier": PHONE, "password": NEW})
    assert response.status_code == 302 and _signed_in(owner) == citizen.pk
    unlocked = AuditEvent.objects.get(action="account.unlocked")
    assert unlocked.data["reason"] == "reset"
