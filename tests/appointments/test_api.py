"""The appointments API: listing, booking (signed in or phone + one-time code), lookup, cancel,
move, check-in, with their error codes; who sees which bookings."""

import re

import pytest

from motcua.appointments import selectors, services
from motcua.appointments.models import Booking, BookingChannel, BookingStatus
from motcua.core.errors import NotFound
from motcua.notifications.models import Message
from tests.factories import CitizenUserFactory

from .conftest import MONDAY, TUESDAY, at

pytestmark = pytest.mark.django_db
API = "/api/v1/appointments"


def _post(client, path, body):
    return client.post(API + path, body, content_type="application/json")


def _otp(client, phone):
    assert _post(client, "/otp", {"phone": phone}).status_code == 202
    body = Message.objects.filter(recipient=phone, event="otp.booking").latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_lists(client, clock, policy_a, group_b):
    offices = client.get(API + "/offices").json()
    assert {o["id"] for o in offices} == {policy_a.group.office_id, group_b.office_id}
    groups = client.get(f"{API}/offices/{policy_a.group.office_id}/groups").json()
    assert [g["id"] for g in groups] == [policy_a.group.pk]
    days = client.get(f"{API}/groups/{policy_a.group.pk}/days").json()
    assert days[0] == MONDAY.isoformat()
    slots = client.get(f"{API}/groups/{policy_a.group.pk}/slots", {"day": TUESDAY.isoformat()}).json()
    assert slots[0]["start"].startswith("2026-12-08T07:00:00+07:00") and slots[0]["free"] == 4
    assert client.get(f"{API}/groups/999999/days").json()["code"] == "group_not_found"
    assert client.get(f"{API}/offices/999999/groups").json()["code"] == "office_not_found"
    bad_day = client.get(f"{API}/groups/{policy_a.group.pk}/slots", {"day": "2026-13-01"})
    assert bad_day.status_code == 422 and bad_day.json()["code"] == "validation_error"


def test_book_with_phone_and_code(client, clock, policy_a):
    body = {
        "group_id": policy_a.group.pk,
        "slot_start": at(TUESDAY, 8).isoformat(),
        "name": "Lê Văn Tư",
        "phone": "0912345678",
    }
    refused = _post(client, "/bookings", body)
    assert refused.status_code == 422 and refused.json()["code"] == "otp_required"
    code = _otp(client, "0912345678")
    wrong = _post(client, "/bookings", {**body, "otp_code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "otp_invalid"
    clock.set(clock.moment.replace(minute=2))
    code = _otp(client, "0912345678")
    made = _post(client, "/bookings", {**body, "otp_code": code})
    assert made.status_code == 201, made.json()
    data = made.json()
    assert data["status"] == "booked" and data["phone"] == "091****678"
    booking = Booking.objects.get(code=data["code"])
    assert booking.channel == BookingChannel.PORTAL_OTP and booking.person is None
    # Look up, move, cancel with the code and the phone; a wrong phone finds nothing.
    assert client.get(f"{API}/bookings/{data['code'].lower()}", {"phone": "0912345678"}).status_code == 200
    miss = client.get(f"{API}/bookings/{data['code']}", {"phone": "0987654321"})
    assert miss.status_code == 404 and miss.json()["code"] == "booking_not_found"
    moved = _post(
        client, f"/bookings/{data['code']}/move", {"phone": "0912345678", "slot_start": at(TUESDAY, 14).isoformat()}
    )
    assert moved.status_code == 200 and moved.json()["slot_start"].startswith("2026-12-08T14:00")
    off_grid = _post(
        client, f"/bookings/{data['code']}/move", {"phone": "0912345678", "slot_start": at(TUESDAY, 14, 5).isoformat()}
    )
    assert off_grid.status_code == 422 and off_grid.json()["code"] == "slot_invalid"
    cancelled = _post(client, f"/bookings/{data['code']}/cancel", {"phone": "0912345678"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = _post(client, f"/bookings/{data['code']}/cancel", {"phone": "0912345678"})
    assert again.status_code == 409 and again.json()["code"] == "action_not_allowed"


def test_book_signed_in_and_refusals(client, clock, policy_a):
    user = CitizenUserFactory()
    client.force_login(user)
    body = {"group_id": policy_a.group.pk, "slot_start": at(TUESDAY, 8).isoformat()}
    made = _post(client, "/bookings", body)
    assert made.status_code == 201
    assert Booking.objects.get(code=made.json()["code"]).person == user.person
    limit = _post(client, "/bookings", {**body, "slot_start": at(TUESDAY, 9).isoformat()})
    assert limit.status_code == 409 and limit.json()["code"] == "person_limit"
    assert "Mỗi người chỉ được đặt" in limit.json()["message"]
    closed = _post(client, "/bookings", {**body, "slot_start": at(MONDAY, 8, 30).isoformat()})
    assert closed.status_code == 409 and closed.json()["code"] == "slot_closed"
    mine = client.get(API + "/mine").json()
    assert [b["code"] for b in mine] == [made.json()["code"]]


def test_check_in_by_officer_of_the_office(client, clock, policy_a, desk_a, desk_b):
    booking = services.book(
        group=policy_a.group,
        slot_start=at(MONDAY, 10),
        channel=BookingChannel.DESK,
        name="Lê Văn Tư",
        phone="0912345678",
        actor=desk_a,
    )
    office_id = policy_a.group.office_id
    client.force_login(desk_b)
    other = _post(client, f"/bookings/{booking.code}/check-in", {"office_id": office_id})
    assert other.status_code == 404 and other.json()["code"] == "booking_not_found"
    client.force_login(desk_a)
    early = _post(client, f"/bookings/{booking.code}/check-in", {"office_id": office_id})
    assert early.status_code == 409 and early.json()["code"] == "booking_too_early"
    clock.set(at(MONDAY, 9, 45))
    done = _post(client, f"/bookings/{booking.code}/check-in", {"office_id": office_id})
    assert done.status_code == 200 and done.json()["ticket_code"] == "A001"
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CHECKED_IN


def test_access_rules(clock, policy_a, group_b, desk_a, desk_b):
    citizen = CitizenUserFactory()
    neighbour = CitizenUserFactory()
    mine = services.book(
        group=policy_a.group, slot_start=at(TUESDAY, 8), channel=BookingChannel.PORTAL, name="", person=citizen.person
    )
    theirs = services.book(
        group=group_b, slot_start=at(TUESDAY, 8), channel=BookingChannel.PORTAL, name="", person=neighbour.person
    )
    assert list(selectors.bookings_of_citizen(citizen)) == [mine]
    with pytest.raises(NotFound):
        selectors.booking_for_citizen(citizen, theirs.code)
    assert list(selectors.bookings_for_officer(desk_a)) == [mine]
    assert list(selectors.bookings_for_officer(desk_b)) == [theirs]
    with pytest.raises(NotFound):
        selectors.booking_for_officer(desk_a, theirs.code)
    assert not selectors.bookings_for_officer(citizen).exists()


def test_officer_books_for_a_citizen(client, clock, policy_a, desk_a):
    from motcua.core.models import Role
    from tests.factories import OfficerFactory, grant

    client.force_login(desk_a)
    body = {"group_id": policy_a.group.pk, "slot_start": at(TUESDAY, 8).isoformat(), "name": "Lê Văn Tư"}
    missing = _post(client, "/bookings", body)
    assert missing.status_code == 422 and missing.json()["code"] == "contact_required"
    made = _post(client, "/bookings", {**body, "phone": "0912345678"})
    booking = Booking.objects.get(code=made.json()["code"])
    assert (booking.channel, booking.created_by, booking.person) == (BookingChannel.DESK, desk_a, None)
    member = OfficerFactory()
    grant(member, Role.OUTREACH_MEMBER, agency=policy_a.group.office.agency)
    client.force_login(member)
    made = _post(client, "/bookings", {**body, "phone": "0912345679"})
    assert Booking.objects.get(code=made.json()["code"]).channel == BookingChannel.ASSISTED
