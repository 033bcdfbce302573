import pytest

from motcua.appointments.models import Booking, BookingPolicy, BookingStatus
from motcua.demo.appointments import appointments_demo_build
from motcua.demo.province import demo_province_build
from motcua.demo.queue import queue_demo_build
from motcua.queue.models import ServiceGroup


@pytest.mark.django_db
def test_appointments_demo_builds_once():
    result = demo_province_build(seed=1, people=20)
    queue_demo_build(seed=1, province=result.province.code)
    first = appointments_demo_build(seed=1, province=result.province.code)
    assert first.policies_created == ServiceGroup.objects.count() == BookingPolicy.objects.count()
    assert first.bookings_created > 0
    assert Booking.objects.filter(status=BookingStatus.BOOKED).count() == first.bookings_created
    again = appointments_demo_build(seed=1, province=result.province.code)
    assert (again.policies_created, again.bookings_created) == (0, 0)
