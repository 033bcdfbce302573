"""The chip-card QR box in a real browser: the scanner types the QR text and presses Enter,
chipqr.js spreads it over the person form without submitting, and the officer saves."""

import datetime
import shutil

import pytest
from django.db import connection
from django.test import Client

from motcua.core.models import Person, Role
from tests.factories import AgencyFactory, CommuneFactory, OfficerFactory, grant

CHROMIUM = "/usr/bin/chromium"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium"),
]

QR = "096185000321||Võ Thị Cẩm|20111985|Nữ|Ấp 3, xã Tân Thành, tỉnh Cà Mau|05052022"


@pytest.fixture
def desk_page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def test_scanner_fills_the_form_and_officer_saves(desk_page, live_server):
    commune = CommuneFactory(name="Xã Tân Thành")
    officer = OfficerFactory()
    grant(officer, Role.RECEPTIONIST, agency=AgencyFactory(unit=commune))
    client = Client()
    client.force_login(officer)
    desk_page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = desk_page
    page.goto(f"{live_server.url}/can-bo/cong-dan/moi/")
    page.locator("#id_chip_qr").click()
    page.keyboard.type(QR)  # what a keyboard-wedge scanner does
    page.keyboard.press("Enter")

    assert page.url.endswith("/can-bo/cong-dan/moi/")  # Enter did not submit
    assert page.locator("#id_chip_qr").input_value() == ""
    assert page.locator("#id_personal_id").input_value() == "096185000321"
    assert page.locator("#id_full_name").input_value() == "Võ Thị Cẩm"
    assert page.locator("#id_date_of_birth").input_value() == "1985-11-20"
    assert page.locator("#id_sex").input_value() == "F"
    assert page.locator("#id_id_issued_on").input_value() == "2022-05-05"
    assert "Đã điền thông tin từ mã QR" in page.locator("[data-chip-qr-status]").inner_text()
    assert not Person.objects.exists()

    page.locator("#id_unit").select_option(str(commune.pk))
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(f"{live_server.url}/can-bo/cong-dan/*/")
    person = Person.objects.get()
    assert person.personal_id == "096185000321"
    assert person.date_of_birth == datetime.date(1985, 11, 20)
    assert person.address == "Ấp 3, xã Tân Thành, tỉnh Cà Mau"
