"""Booking pages: the journey without an account (phone + code), the booking page's access,
lookup, cancel and move, the kiosk check-in page and the desk page."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from motcua.appointments import services
from motcua.appointments.models import Booking, BookingChannel, BookingStatus
from motcua.notifications.models import Message
from tests.factories import CitizenUserFactory

from .conftest import MONDAY, TUESDAY, at

pytestmark = pytest.mark.django_db


def test_journey_with_phone_and_code(client, clock, policy_a):
    group = policy_a.group
    assert group.office.name in client.get(reverse("appointments:index")).content.decode()
    assert group.name in client.get(reverse("appointments:office", args=[group.office_id])).content.decode()
    page = client.get(reverse("appointments:group", args=[group.pk]), {"ngay": TUESDAY.isoformat()}).content.decode()
    start = at(TUESDAY, 8).isoformat()
    assert f'value="{start}"' in page
    url = reverse("appointments:confirm", args=[group.pk])
    sent = client.post(url, {"gio": start, "ho_ten": "Lê Văn Tư", "dien_thoai": "0912345678", "buoc": "gui_ma"})
    assert "091****678" in sent.content.decode()
    code = re.search(r"\b(\d{6})\b", Message.objects.filter(event="otp.booking").latest("id").body).group(1)
    wrong = client.post(
        url, {"gio": start, "ho_ten": "Lê Văn Tư", "dien_thoai": "0912345678", "ma_xac_thuc": "12345", "buoc": "dat"}
    )
    assert "Mã xác thực không đúng" in wrong.content.decode()
    done = client.post(
        url, {"gio": start, "ho_ten": "Lê Văn Tư", "dien_thoai": "0912345678", "ma_xac_thuc": code, "buoc": "dat"}
    )
    booking = Booking.objects.get()
    assert done.status_code == 302 and done.url == reverse("appointments:booking", args=[booking.code])
    page = client.get(done.url).content.decode()
    assert booking.code in page and "<svg" in page
    # Another browser without the code in its session gets a 404; after a lookup with the phone it sees it.
    other = Client()
    assert other.get(done.url).status_code == 404
    miss = other.post(reverse("appointments:lookup"), {"ma": booking.code, "dien_thoai": "0987654321"})
    assert "Không tìm thấy lịch hẹn" in miss.content.decode()
    found = other.post(reverse("appointments:lookup"), {"ma": booking.code.lower(), "dien_thoai": "0912345678"})
    assert found.status_code == 302 and other.get(found.url).status_code == 200
    moved = other.post(reverse("appointments:move", args=[booking.code]), {"gio": at(TUESDAY, 14).isoformat()})
    assert moved.status_code == 302
    booking.refresh_from_db()
    assert booking.slot_start == at(TUESDAY, 14)
    other.post(reverse("appointments:cancel", args=[booking.code]))
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED


def test_signed_in_booking_and_refusal_message(client, clock, policy_a):
    user = CitizenUserFactory()
    client.force_login(user)
    url = reverse("appointments:confirm", args=[policy_a.group.pk])
    client.post(url, {"gio": at(TUESDAY, 8).isoformat(), "ho_ten": user.person.full_name, "buoc": "dat"})
    refused = client.post(url, {"gio": at(TUESDAY, 9).isoformat(), "ho_ten": user.person.full_name, "buoc": "dat"})
    assert refused.status_code == 200 and "Mỗi người chỉ được đặt" in refused.content.decode()
    assert Booking.objects.get().channel == BookingChannel.PORTAL
    assert client.get(reverse("appointments:group", args=[999999])).status_code == 404
    bad = client.get(url, {"gio": "not-a-time"})
    assert bad.status_code == 302


def test_kiosk_check_in_by_code_or_scanned_address(client, clock, policy_a, group_b):
    booking = services.book(
        group=policy_a.group,
        slot_start=at(MONDAY, 10),
        channel=BookingChannel.DESK,
        name="Lê Văn Tư",
        phone="0912345678",
    )
    kiosk = reverse("appointments:checkin", args=[policy_a.group.office_id])
    early = client.post(kiosk, {"ma": booking.code})
    assert "Chưa đến giờ" in early.content.decode()
    elsewhere = client.post(reverse("appointments:checkin", args=[group_b.office_id]), {"ma": booking.code})
    assert "không phải tại đây" in elsewhere.content.decode()
    clock.set(at(MONDAY, 9, 50))
    scanned = f"http://testserver{kiosk}?ma={booking.code}"
    done = client.post(kiosk, {"ma": scanned})
    assert 'id="so-thu-tu">A001<' in done.content.decode()
    assert client.post(kiosk, {"ma": "ZZZZZZ"}).status_code == 200


def test_desk_page_scoped_to_the_officer(client, clock, policy_a, group_b, desk_a, desk_b):
    mine = services.book(
        group=policy_a.group,
        slot_start=at(MONDAY, 10),
        channel=BookingChannel.DESK,
        name="Lê Văn Tư",
        phone="0912345678",
    )
    theirs = services.book(
        group=group_b, slot_start=at(MONDAY, 10), channel=BookingChannel.DESK, name="Phạm Thị Năm", phone="0912345679"
    )
    client.force_login(desk_a)
    page = client.get(reverse("appointments:desk")).content.decode()
    assert mine.code in page and theirs.code not in page
    refused = client.post(reverse("appointments:desk"), {"ma": theirs.code})
    assert "Không tìm thấy lịch hẹn" in refused.content.decode()
    clock.set(at(MONDAY, 10))
    done = client.post(reverse("appointments:desk"), {"ma": mine.code})
    assert "đã cấp số A001" in done.content.decode()
    citizen = Client()
    citizen.force_login(CitizenUserFactory())
    assert citizen.get(reverse("appointments:desk")).status_code == 404


def test_qr_reads_back_as_the_check_in_address(clock, policy_a):
    import io

    import zxingcpp
    from PIL import Image

    from motcua.appointments import qr

    booking = services.book(
        group=policy_a.group,
        slot_start=at(TUESDAY, 8),
        channel=BookingChannel.DESK,
        name="Lê Văn Tư",
        phone="0912345678",
    )
    out = io.BytesIO()
    qr.checkin_qr(booking).save(out, kind="png", scale=6, border=4)
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(out.getvalue())))
    assert result.text == qr.checkin_url(booking)
    assert result.text.endswith(f"/dat-lich/check-in/{booking.office_id}/?ma={booking.code}")
    assert qr.code_from_scan(result.text) == booking.code


def test_desk_books_a_follow_up_visit(client, clock, policy_a, group_b, desk_a):
    client.force_login(desk_a)
    page = client.get(reverse("appointments:desk")).content.decode()
    assert f'value="{policy_a.group.pk}"' in page and f'value="{group_b.pk}"' not in page
    form = {
        "buoc": "dat",
        "nhom": policy_a.group.pk,
        "gio": "2026-12-08T10:00",
        "ho_ten": "Lê Văn Tư",
        "dien_thoai": "0912345678",
    }
    elsewhere = client.post(reverse("appointments:desk"), {**form, "nhom": group_b.pk})
    assert "Vui lòng chọn nhóm thủ tục" in elsewhere.content.decode()
    for junk in ("²", "9" * 18, "", "x"):  # not a number, or no group of this desk: the same message
        refused = client.post(reverse("appointments:desk"), {**form, "nhom": junk})
        assert refused.status_code == 200 and "Vui lòng chọn nhóm thủ tục" in refused.content.decode()
    off_grid = client.post(reverse("appointments:desk"), {**form, "gio": "2026-12-08T10:10"})
    assert "không nằm trong các khung giờ" in off_grid.content.decode()
    done = client.post(reverse("appointments:desk"), form)
    booking = Booking.objects.get()
    assert booking.code in done.content.decode()
    assert (booking.channel, booking.created_by, booking.slot_start) == (BookingChannel.DESK, desk_a, at(TUESDAY, 10))
