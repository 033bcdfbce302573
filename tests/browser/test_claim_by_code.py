"""On a phone, the owner of records the counter keeps claims them with the code sent to the phone on record."""

import datetime
import re

import pytest

from motcua.core.models import PersonProof, User
from motcua.notifications.models import Message
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Chu-ho-so-2026!"


def test_owner_claims_records_with_the_code(page, live_server, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    person = PersonFactory(
        personal_id="096185000777", full_name="Lê Thị Hoa", date_of_birth=datetime.date(1985, 3, 8), phone="0912345678"
    )
    page.goto(f"{live_server.url}/dang-ky/")
    page.get_by_role("link", name="Nhận hồ sơ đã có").click()
    page.wait_for_url("**/nhan-ho-so/")
    assert_no_serious_axe_violations(page)
    page.get_by_label("Số định danh cá nhân").fill("096185000777")
    page.get_by_label("Ngày sinh").fill("1985-03-08")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    page.wait_for_url("**/nhan-ho-so/xac-nhan/")
    assert "091****678" in page.content()
    assert page.get_by_label("Số định danh cá nhân").input_value() == "096185000777"

    body = Message.objects.get(recipient="0912345678").body
    code = re.search(r"\b(\d{6})\b", body).group(1)
    page.get_by_label("Mã xác thực 6 chữ số").fill(code)
    page.get_by_label("Mật khẩu cho tài khoản").fill(PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(PASSWORD)
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Nhận hồ sơ").click()
    page.wait_for_url("**/tai-khoan/")
    assert "Lê Thị Hoa" in page.content()
    user = User.objects.get()
    assert user.person == person and user.person_proof == PersonProof.CODE
