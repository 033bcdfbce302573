"""One journey in Debian's chromium on a phone-sized screen: book online with a phone number and a
one-time code → the reminder lands in the outbox (the job run with `now=`) → check in at the
kiosk's "Tôi đã đặt lịch" page → a queue ticket is issued for the booking's slot."""

import re

import pytest

from motcua.appointments import services
from motcua.appointments.models import Booking, BookingStatus
from motcua.notifications.models import Message
from motcua.queue.models import Ticket, TicketChannel
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    assert_no_serious_axe_violations,
    browser,
    context_overrides,
    page,
)

from .conftest import TUESDAY, at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_book_remind_check_in(page, live_server, clock, policy_a):  # noqa: F811
    group = policy_a.group
    page.goto(f"{live_server.url}/dat-lich/")
    page.get_by_role("link", name=group.office.name).click()
    page.get_by_role("link", name=group.name).click()
    page.get_by_role("link", name="08/12/2026", exact=False).click()
    page.locator("label", has_text="10:00").click()
    page.get_by_role("button", name="Tiếp tục").click()
    assert_no_serious_axe_violations(page)
    page.get_by_label("Họ và tên").fill("Lê Văn Tư")
    page.get_by_label("Số điện thoại di động").fill("0912345678")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    assert "091****678" in page.locator("body").inner_text()
    otp = re.search(r"\b(\d{6})\b", Message.objects.filter(event="otp.booking").latest("id").body).group(1)
    page.get_by_label("Mã xác thực (6 chữ số)").fill(otp)
    page.get_by_role("button", name="Đặt lịch").click()
    page.wait_for_url("**/dat-lich/lich-hen/*/")
    code = page.locator("#ma-lich-hen").inner_text().strip()
    booking = Booking.objects.get(code=code)
    assert booking.slot_start == at(TUESDAY, 10) and page.locator(".qr svg").count() == 1

    # The reminder job, an hour before the slot: one reminder in the outbox, and only one.
    assert services.reminders_send(now=at(TUESDAY, 9))["hour"] == 1
    assert services.reminders_send(now=at(TUESDAY, 9, 5))["hour"] == 0
    reminder = Message.objects.get(event="appointment.reminder")
    assert reminder.recipient == "0912345678" and code in reminder.body

    # At the office, 15 minutes early: the kiosk page takes the code and issues the ticket.
    clock.set(at(TUESDAY, 9, 45))
    page.goto(f"{live_server.url}/dat-lich/check-in/{group.office_id}/")
    page.get_by_label("Nhập mã lịch hẹn hoặc quét mã QR").fill(code.lower())
    page.get_by_role("button", name="Lấy số theo lịch hẹn").click()
    assert page.locator("#so-thu-tu").inner_text().strip() == "A001"
    ticket = Ticket.objects.get()
    assert ticket.channel == TicketChannel.BOOKING and ticket.appointment_at == at(TUESDAY, 10)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN and booking.ticket == ticket
