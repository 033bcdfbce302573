"""Queue journey in Chromium: a walk-in takes a number at the kiosk, the slip shows it with its QR,
the counter calls it, and the phone's follow page says it is their turn."""

import pytest
from django.urls import reverse

from motcua.queue.models import Ticket
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.queue.conftest import (  # noqa: F401 (fixtures)
    _fast_passwords,
    commune_a,
    counter_a1,
    counter_a2,
    desk_a,
    group_a,
    office_a,
    priorities,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_kiosk_slip_counter_call_and_follow_page(page, desk_page, live_server, office_a, group_a, desk_a, priorities):  # noqa: F811
    page.goto(f"{live_server.url}{reverse('queue:kiosk', args=[office_a.pk])}")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Hộ tịch").click()
    page.get_by_role("button", name="Người cao tuổi (từ 60 tuổi)").click()
    page.wait_for_url("**/phieu/**")
    assert page.get_by_test_id("ticket-code").inner_text() == "A001"
    qr = page.locator(".slip .qr svg")
    assert qr.count() == 1 and qr.bounding_box()["width"] > 50
    ticket = Ticket.objects.get()
    assert ticket.priority.code == "elderly"

    sign_in(desk_page, live_server, desk_a)
    desk_page.goto(f"{live_server.url}{reverse('queue:desk', args=[group_a.counters.order_by('number').first().pk])}")
    desk_page.get_by_role("button", name="Gọi số tiếp theo").click()
    assert desk_page.get_by_test_id("current-code").inner_text() == "A001"

    page.goto(f"{live_server.url}{reverse('queue:follow', args=[ticket.follow_token])}")
    turn = page.get_by_test_id("your-turn")
    assert "Đã đến lượt" in turn.inner_text() and "Quầy 1" in turn.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
