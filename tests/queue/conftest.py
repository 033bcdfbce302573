"""Fixtures for queue tests: two commune offices (A, B) with counters and service groups.

- `office_a`, `office_b`: one-stop offices of communes A and B;
- `counter_a1`, `counter_a2`, `counter_b1`: counters;
- `group_a` (prefix A, served by counters a1 and a2), `group_b_civil` (prefix B, counter a2 only),
  `group_b` (office B's group, prefix A);
- `desk_a`, `desk_b`: receptionists of office A's / B's agency; `manager_a`, `manager_b`;
- `priorities`: the seeded priority groups by code.
"""

import pytest

from motcua.core.models import Counter, Role
from motcua.queue.models import PriorityGroup, ServiceGroup
from motcua.queue.priorities import priority_groups_ensure
from tests.factories import AgencyFactory, CommuneFactory, OfficeFactory, OfficerFactory, grant


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def priorities(db):
    # The data migration seeds them; a flushed (transactional) test database needs them again.
    priority_groups_ensure(PriorityGroup)
    return {p.code: p for p in PriorityGroup.objects.all()}


@pytest.fixture
def commune_a(db):
    return CommuneFactory(name="Xã An Thạnh")


@pytest.fixture
def commune_b(db):
    return CommuneFactory(name="Xã Bình Minh")


@pytest.fixture
def office_a(commune_a):
    return OfficeFactory(agency=AgencyFactory(unit=commune_a))


@pytest.fixture
def office_b(commune_b):
    return OfficeFactory(agency=AgencyFactory(unit=commune_b))


@pytest.fixture
def counter_a1(office_a):
    return Counter.objects.create(office=office_a, number=1, name="Quầy 1")


@pytest.fixture
def counter_a2(office_a):
    return Counter.objects.create(office=office_a, number=2, name="Quầy 2")


@pytest.fixture
def counter_b1(office_b):
    return Counter.objects.create(office=office_b, number=1, name="Quầy 1")


@pytest.fixture
def group_a(office_a, counter_a1, counter_a2):
    group = ServiceGroup.objects.create(office=office_a, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([counter_a1, counter_a2])
    return group


@pytest.fixture
def group_b_civil(office_a, counter_a2):
    group = ServiceGroup.objects.create(office=office_a, code="dat-dai", name="Đất đai", prefix="B", sort_order=1)
    group.counters.set([counter_a2])
    return group


@pytest.fixture
def group_b(office_b, counter_b1):
    group = ServiceGroup.objects.create(office=office_b, code="ho-tich", name="Hộ tịch", prefix="A")
    group.counters.set([counter_b1])
    return group


@pytest.fixture
def desk_a(office_a):
    user = OfficerFactory(username="desk_a", first_name="Tiếp nhận A")
    grant(user, Role.RECEPTIONIST, agency=office_a.agency)
    return user


@pytest.fixture
def desk_b(office_b):
    user = OfficerFactory(username="desk_b", first_name="Tiếp nhận B")
    grant(user, Role.RECEPTIONIST, agency=office_b.agency)
    return user


@pytest.fixture
def manager_a(commune_a):
    user = OfficerFactory(username="manager_a")
    grant(user, Role.MANAGER, unit=commune_a)
    return user


@pytest.fixture
def manager_b(commune_b):
    user = OfficerFactory(username="manager_b")
    grant(user, Role.MANAGER, unit=commune_b)
    return user
