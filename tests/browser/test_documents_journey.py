"""Official documents on a phone: the clerk registers an incoming document, the leader assigns it,
the specialist finds it under their work and closes it; no serious accessibility findings."""

import re

import pytest

from motcua.core.models import Role
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.factories import AgencyFactory, CommuneFactory, OfficerFactory, PersonFactory, ProvinceFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("document_types")]


def test_register_assign_close_on_a_phone(page, live_server):
    agency = AgencyFactory(unit=CommuneFactory(parent=ProvinceFactory()))
    clerk, leader, specialist = (OfficerFactory(person=PersonFactory()) for _ in range(3))
    grant(clerk, Role.RECEPTIONIST, agency=agency)
    grant(leader, Role.LEADER, agency=agency)
    grant(specialist, Role.SPECIALIST, agency=agency)
    specialist.first_name = "Chuyên viên Lan"
    specialist.save()

    sign_in(page, live_server, clerk)
    page.goto("/van-ban/den/moi/")
    page.fill("input[name=sender_name]", "Sở Nội vụ tỉnh")
    page.fill("input[name=doc_number]", "215/SNV-VP")
    page.fill("textarea[name=summary]", "Về việc rà soát thủ tục hành chính nội bộ")
    page.click("form.doc-form button[type=submit]")
    # The new document's page (a number), not the form's own address "/van-ban/den/moi/".
    page.wait_for_url(re.compile(r"/van-ban/den/\d+/$"))
    assert "Văn bản đến số 1/" in page.content()
    assert_no_serious_axe_violations(page)
    url = page.url

    page.context.clear_cookies()
    sign_in(page, live_server, leader)
    page.goto(url)
    page.select_option("select[name=lead]", str(specialist.pk))
    page.fill("textarea[name=instruction]", "Chủ trì tham mưu trả lời")
    page.click("form[action$='assign/'] button")
    assert "Đã phân công" in page.content()

    page.context.clear_cookies()
    sign_in(page, live_server, specialist)
    page.goto("/van-ban/viec-cua-toi/")
    page.click("text=rà soát thủ tục")
    page.fill("form[action$='close/'] textarea[name=note]", "Đã báo cáo bằng văn bản")
    page.click("form[action$='close/'] button")
    assert "Đã xử lý xong" in page.content()
