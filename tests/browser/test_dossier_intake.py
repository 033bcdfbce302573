"""Intake in a real browser (Debian's headless chromium through Playwright, phone-sized page):
a citizen submits online with a PDF and sees the code; a receptionist takes a dossier at the desk
and sees the receipt link."""

import os
import re
import shutil

import pytest
from django.db import connection
from django.test import Client

from motcua.dossiers.models import Dossier
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import pdf_bytes

CHROMIUM = "/usr/bin/chromium"

# Shared fixtures (see intake_helpers).
world = intake_helpers.world

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def phone_page(live_server, monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls in the test are
    # still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server answers each request in its own thread; persistent connections left in
    # those threads would keep the PostgreSQL test database busy at teardown.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="vi-VN"
        )
        page = context.new_page()
        page.set_default_timeout(15000)
        yield page
        context.close()
        browser.close()


def _sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])


def test_citizen_submits_online_and_sees_the_code(phone_page, live_server, world, media, tmp_path):
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(pdf_bytes())
    _sign_in(phone_page, live_server, world.citizen)
    page = phone_page
    page.goto(f"{live_server.url}/ho-so/nop/{world.procedure.code}/")
    assert page.locator("#f-phone").input_value() == world.citizen.person.phone
    page.set_input_files(f"#f-doc-{world.form.pk}", str(pdf))
    page.set_input_files(f"#f-doc-{world.id_copy.pk}", str(pdf))
    page.get_by_label("Nhận bản điện tử").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()
    dossier = Dossier.objects.get()
    assert dossier.status == "registered" and dossier.result_delivery == "electronic"
    body = page.locator("body").inner_text()
    assert dossier.code in body
    assert re.search(r"Mã hồ sơ của ông/bà là \S+-\d{6}-0001", body)


def test_citizen_sees_a_clear_error_for_a_wrong_file(phone_page, live_server, world, media, tmp_path):
    fake = tmp_path / "anh.jpg"
    fake.write_text("day khong phai la anh")
    _sign_in(phone_page, live_server, world.citizen)
    page = phone_page
    page.goto(f"{live_server.url}/ho-so/nop/{world.procedure.code}/")
    page.set_input_files(f"#f-doc-{world.form.pk}", str(fake))
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in page.locator("#intake-error").inner_text()
    assert Dossier.objects.count() == 0


def test_receptionist_desk_intake_shows_receipt_link(phone_page, live_server, world, media, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes())
    person = world.citizen.person
    _sign_in(phone_page, live_server, world.receptionist)
    page = phone_page
    page.goto(f"{live_server.url}/ho-so/mot-cua/tiep-nhan/")
    page.fill("#desk-q", person.personal_id)
    page.get_by_role("button", name="Tìm").click()
    page.get_by_role("link", name="Chọn").first.click()
    page.wait_for_load_state()
    page.select_option("#desk-proc", world.procedure.code)
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_load_state()
    page.check(f"input[name=paper_{world.form.pk}]")
    page.check(f"input[name=paper_{world.id_copy.pk}]")
    page.set_input_files(f"#scan-{world.id_copy.pk}", str(scan))
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_load_state()
    dossier = Dossier.objects.get()
    assert dossier.status == "received"
    link = page.locator("#form-link")
    assert dossier.code in page.locator("h1").inner_text()
    assert link.get_attribute("href").endswith(f"/{dossier.code}/bieu-mau/giay-tiep-nhan.pdf")
    assert os.path.basename(link.get_attribute("href")) == "giay-tiep-nhan.pdf"
