"""The switchboard simulator on a phone: an officer calls, presses keys on the keypad and books a
slot; every press went through the real, signed webhook and one PHONE booking exists."""

import pytest

from motcua.appointments.models import Booking, BookingChannel, BookingPolicy, SwitchboardCall
from motcua.core.models import Counter
from motcua.queue.models import ServiceGroup
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.factories import OfficeFactory, OfficerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_books_a_slot_by_pressing_keys(page, live_server, settings):
    settings.SWITCHBOARD_SECRET = "browser-secret"
    office = OfficeFactory(name="Bộ phận một cửa xã Tân Thành")
    group = ServiceGroup.objects.create(office=office, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.add(Counter.objects.create(office=office, number=1, name="Quầy 1"))
    BookingPolicy.objects.create(group=group, days_ahead=14, cutoff_minutes=60)
    sign_in(page, live_server, OfficerFactory(username="sb_officer"))

    page.goto("/dat-lich/tong-dai/mo-phong/")
    page.get_by_label("Phát lời nhắc bằng giọng nói").uncheck()
    page.get_by_label("Số điện thoại người gọi").fill("0912345678")
    page.get_by_role("button", name="Gọi").click()
    root = page.locator("#switchboard")
    log = page.locator("#sb-log")
    page.wait_for_selector("#switchboard[data-state=menu]")
    assert "Tổng đài dịch vụ công xin kính chào ông/bà." in log.inner_text()
    assert_no_serious_axe_violations(page)

    for key, state in (("1", "office"), ("1", "group"), ("1", "day"), ("1", "slot"), ("1", "confirm")):
        page.locator(f".sb-key[data-key='{key}']").click()
        page.wait_for_selector(f"#switchboard[data-state={state}]")
    assert "Bấm 1 để xác nhận." in log.inner_text()
    page.locator(".sb-key[data-key='1']").click()
    page.wait_for_selector("#switchboard[data-state=ended]")

    booking = Booking.objects.get()
    assert booking.channel == BookingChannel.PHONE and booking.phone == "0912345678"
    assert f"Mã đặt lịch của ông/bà là {booking.code}." in log.inner_text()
    assert page.locator("#sb-status").inner_text() == "Cuộc gọi đã kết thúc."
    assert page.locator(".sb-key[data-key='1']").is_disabled()
    assert SwitchboardCall.objects.get().call_id.startswith("sim-")
    assert root.get_attribute("data-state") == "ended"
