"""Concurrent bookings on PostgreSQL: the policy row lock keeps capacity and the per-person limit."""

import threading

import pytest
from django.db import connections

from motcua.appointments import services
from motcua.appointments.models import Booking, BookingChannel, BookingStatus
from motcua.core.errors import DomainError

from .conftest import TUESDAY, at

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, kwargs):
        try:
            barrier.wait(timeout=10)
            services.book(channel=BookingChannel.PORTAL_OTP, name="Khách thử", **kwargs)
            outcomes[i] = "ok"
        except DomainError as exc:
            outcomes[i] = exc.code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, kw)) for i, kw in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_last_places_taken_once(policy_a, monday):
    slot = at(TUESDAY, 8)
    calls = [
        {"group": policy_a.group, "slot_start": slot, "phone": f"09123456{n:02d}", "now": monday} for n in range(10)
    ]
    outcomes = _race(calls)
    assert sorted(outcomes) == ["ok"] * 4 + ["slot_full"] * 6
    assert Booking.objects.filter(slot_start=slot, status=BookingStatus.BOOKED).count() == 4


def test_one_person_many_slots_at_once(policy_a, monday):
    calls = [
        {"group": policy_a.group, "slot_start": at(TUESDAY, hour), "phone": "0912345678", "now": monday}
        for hour in (7, 8, 9, 10, 14)
    ]
    outcomes = _race(calls)
    assert sorted(outcomes) == ["ok"] + ["person_limit"] * 4
    assert Booking.objects.filter(phone="0912345678").count() == 1
