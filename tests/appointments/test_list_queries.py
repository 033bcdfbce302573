"""Lists of bookings cost the same number of queries for one booking as for three: each row's check-in
window reads its group's policy from the rows the selector already loaded, not with a query per row."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.appointments import selectors, services
from motcua.appointments.models import BookingChannel
from tests.factories import CitizenUserFactory

from .conftest import MONDAY, TUESDAY, at

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _citizen_bookings(user, group, days):
    for day in days:
        services.book(group=group, slot_start=at(day, 8), channel=BookingChannel.PORTAL, name="", person=user.person)


def test_citizen_api_list_is_constant_in_queries(client, clock, policy_a):
    user = CitizenUserFactory()
    client.force_login(user)
    url = "/api/v1/appointments/mine"
    _citizen_bookings(user, policy_a.group, [TUESDAY])
    _queries(client, url)  # first request: session and caches warm
    one = _queries(client, url)
    _citizen_bookings(user, policy_a.group, [TUESDAY + datetime.timedelta(days=n) for n in (1, 2)])
    assert len(client.get(url).json()) == 3
    assert _queries(client, url) == one


def test_citizen_page_list_is_constant_in_queries(client, clock, policy_a):
    user = CitizenUserFactory()
    client.force_login(user)
    url = reverse("appointments:index")
    _citizen_bookings(user, policy_a.group, [TUESDAY])
    _queries(client, url)
    one = _queries(client, url)
    _citizen_bookings(user, policy_a.group, [TUESDAY + datetime.timedelta(days=n) for n in (1, 2)])
    assert _queries(client, url) == one


def test_desk_list_of_today_is_constant_in_queries(client, clock, policy_a, desk_a):
    client.force_login(desk_a)
    url = reverse("appointments:desk")

    def book(hour, minute, phone):
        services.book(
            group=policy_a.group,
            slot_start=at(MONDAY, hour, minute),
            channel=BookingChannel.DESK,
            name="Lê Văn Tư",
            phone=phone,
            actor=desk_a,
        )

    book(10, 0, "0912345671")
    _queries(client, url)
    one = _queries(client, url)
    book(10, 30, "0912345672")
    book(11, 0, "0912345673")
    assert selectors.bookings_for_officer(desk_a).count() == 3
    assert _queries(client, url) == one


def test_window_of_a_listed_booking_reads_no_policy(clock, policy_a, django_assert_num_queries):
    user = CitizenUserFactory()
    _citizen_bookings(user, policy_a.group, [TUESDAY])
    (booking,) = selectors.bookings_of_citizen(user)
    with django_assert_num_queries(0):
        start, until = services.checkin_window(booking)
    assert (start, until) == (at(TUESDAY, 7, 30), at(TUESDAY, 8, 45))
