"""The birth registration form (tờ khai) in a real browser on a 360 px phone: it opens with the
account's data, refuses a birth date after today under the field, and stores the answers."""

import datetime
import json

import pytest
from django.utils import timezone

from motcua.catalog.services import SHIPPED_CATALOG
from motcua.dossiers.models import Dossier
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.dossiers import intake_helpers
from tests.dossiers.intake_helpers import pdf_bytes

world = intake_helpers.world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def birth(world):
    shipped = json.loads(SHIPPED_CATALOG.read_text(encoding="utf-8"))
    schema = next(p for p in shipped["procedures"] if p["key"] == "khai-sinh")["form_schema"]
    world.procedure.form_schema = schema
    world.procedure.save()
    return world.procedure


def _attach(page, world, pdf) -> None:
    page.set_input_files(f"#f-doc-{world.form.pk}", str(pdf))
    page.set_input_files(f"#f-doc-{world.id_copy.pk}", str(pdf))


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_citizen_fills_the_birth_registration_form_on_a_phone(page, live_server, world, birth, media, tmp_path):
    pdf = tmp_path / "giay-chung-sinh.pdf"
    pdf.write_bytes(pdf_bytes())
    person = world.citizen.person
    sign_in(page, live_server, world.citizen)
    page.goto(f"{live_server.url}/ho-so/nop/{birth.code}/")

    # Opened with the account's data and the form's defaults.
    assert page.locator("#id_tk-nguoi_yeu_cau_ho_ten").input_value() == person.full_name
    assert page.locator("#id_tk-nguoi_yeu_cau_so_dinh_danh").input_value() == person.personal_id
    assert page.locator("#id_tk-nguoi_yeu_cau_noi_cu_tru").input_value() == person.address
    assert page.locator("#id_tk-quoc_tich").input_value() == "Việt Nam"
    _no_sideways_scroll(page)
    assert_no_serious_axe_violations(page)

    page.select_option("#id_tk-quan_he", "Cha")
    page.fill("#id_tk-ho_ten", "Nguyễn Minh An")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.fill("#id_tk-ngay_sinh", tomorrow.isoformat())
    page.select_option("#id_tk-gioi_tinh", "Nam")
    page.fill("#id_tk-noi_sinh", "Trạm y tế xã Thử Nghiệm")
    page.get_by_label("Họ, chữ đệm, tên người mẹ").fill("Trần Thị Bình")
    page.get_by_label("Số định danh cá nhân của người mẹ").fill("096190012345")
    page.locator("#id_tk-me_nam_sinh").fill("1990")
    page.locator("#id_tk-me_dan_toc").fill("Kinh")
    _attach(page, world, pdf)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()

    # Refused under the field; what was typed is still there.
    assert "Ngày, tháng, năm sinh: không được sau ngày hôm nay." in page.locator("#to-khai").inner_text()
    assert page.locator("#id_tk-ho_ten").input_value() == "Nguyễn Minh An"
    assert Dossier.objects.count() == 0
    _no_sideways_scroll(page)

    page.fill("#id_tk-ngay_sinh", timezone.localdate().isoformat())
    _attach(page, world, pdf)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()

    dossier = Dossier.objects.get()
    assert dossier.status == "registered"
    assert dossier.form_data["ho_ten"] == "Nguyễn Minh An"
    assert dossier.form_data["ngay_sinh"] == timezone.localdate().isoformat()
    assert dossier.form_data["me_nam_sinh"] == 1990
    assert dossier.form_data["nguoi_yeu_cau_so_dinh_danh"] == person.personal_id
    # The dossier page shows the answers as a labelled list.
    body = page.locator(".form-data").inner_text()
    assert "Nguyễn Minh An" in body and "Trần Thị Bình" in body
    _no_sideways_scroll(page)
