"""Fixtures for appointments: office A (two counters, group "Hộ tịch" with a booking policy), office B.

Times are fixed: `monday` is Monday 7 Dec 2026 08:00 local, a working day; the default office hours
are 07:00–11:30 and 13:30–17:00; the policy has 30-minute slots, 2 per counter (capacity 4), 60
minutes cut-off, 14 days ahead, 1 booking per person per day.
"""

import datetime

import pytest

from motcua.appointments.models import BookingPolicy
from motcua.core import calendar
from motcua.core.models import Counter, Role
from motcua.queue.models import ServiceGroup
from tests.factories import AgencyFactory, CommuneFactory, OfficeFactory, OfficerFactory, PersonFactory, grant


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), calendar.local_tz())


MONDAY = datetime.date(2026, 12, 7)
TUESDAY = MONDAY + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def monday():
    return at(MONDAY, 8)


@pytest.fixture
def office_a(db):
    return OfficeFactory(agency=AgencyFactory(unit=CommuneFactory(name="Xã An Thạnh")))


@pytest.fixture
def office_b(db):
    return OfficeFactory(agency=AgencyFactory(unit=CommuneFactory(name="Xã Bình Minh")))


@pytest.fixture
def group_a(office_a):
    group = ServiceGroup.objects.create(office=office_a, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([Counter.objects.create(office=office_a, number=n, name=f"Quầy {n}") for n in (1, 2)])
    return group


@pytest.fixture
def policy_a(group_a):
    return BookingPolicy.objects.create(group=group_a, slot_minutes=30, per_counter=2, cutoff_minutes=60)


@pytest.fixture
def group_b(office_b):
    group = ServiceGroup.objects.create(office=office_b, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([Counter.objects.create(office=office_b, number=1, name="Quầy 1")])
    BookingPolicy.objects.create(group=group)
    return group


@pytest.fixture
def person(db):
    return PersonFactory(full_name="Trần Thị Mai", phone="0912345678")


@pytest.fixture
def desk_a(office_a):
    user = OfficerFactory(username="desk_a")
    grant(user, Role.RECEPTIONIST, agency=office_a.agency)
    return user


@pytest.fixture
def desk_b(office_b):
    user = OfficerFactory(username="desk_b")
    grant(user, Role.RECEPTIONIST, agency=office_b.agency)
    return user


@pytest.fixture
def clock(monkeypatch, monday):
    """`timezone.now()` frozen at Monday 08:00 local; `clock.set(moment)` moves it."""
    from django.utils import timezone

    class Clock:
        moment = monday

        def set(self, moment):
            self.moment = moment

    frozen = Clock()
    monkeypatch.setattr(timezone, "now", lambda: frozen.moment)
    return frozen
