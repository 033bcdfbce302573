"""Intake in a real browser (Debian's headless chromium through Playwright, phone-sized page):
a citizen submits online with a PDF and sees the code; a receptionist takes a dossier at the desk
and sees the receipt link."""

import os
import re

import pytest

from motcua.dossiers.models import Dossier
from tests.browser.conftest import sign_in
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import pdf_bytes

# Shared fixtures (see intake_helpers).
world = intake_helpers.world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_citizen_submits_online_and_sees_the_code(page, live_server, world, media, tmp_path):
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(pdf_bytes())
    sign_in(page, live_server, world.citizen)
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


def test_citizen_sees_a_clear_error_for_a_wrong_file(page, live_server, world, media, tmp_path):
    fake = tmp_path / "anh.jpg"
    fake.write_text("day khong phai la anh")
    sign_in(page, live_server, world.citizen)
    page.goto(f"{live_server.url}/ho-so/nop/{world.procedure.code}/")
    page.set_input_files(f"#f-doc-{world.form.pk}", str(fake))
    page.get_by_role("button", name="Lưu nháp").click()
    page.wait_for_load_state()
    assert "Chỉ nhận tệp PDF, JPEG hoặc PNG" in page.locator("#intake-error").inner_text()
    assert Dossier.objects.count() == 0


def test_receptionist_desk_intake_shows_receipt_link(page, live_server, world, media, tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(pdf_bytes())
    person = world.citizen.person
    sign_in(page, live_server, world.receptionist)
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
