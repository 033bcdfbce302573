"""The chip-card QR box in a real browser: the scanner types the QR text and presses Enter,
chipqr.js spreads it over the person form without submitting, and the officer saves."""

import datetime

import pytest

from motcua.core.models import Person, Role
from tests.browser.conftest import sign_in
from tests.factories import AgencyFactory, CommuneFactory, OfficerFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QR = "096185000321||Võ Thị Cẩm|20111985|Nữ|Ấp 3, xã Tân Thành, tỉnh Cà Mau|05052022"


def test_scanner_fills_the_form_and_officer_saves(desk_page, live_server):
    commune = CommuneFactory(name="Xã Tân Thành")
    officer = OfficerFactory()
    grant(officer, Role.RECEPTIONIST, agency=AgencyFactory(unit=commune))
    sign_in(desk_page, live_server, officer)
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
