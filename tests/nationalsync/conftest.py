# ruff: noqa: F811  (fixtures imported from the dossier tests are used as parameters)
"""Fixtures for the national-portal sync: the dossier world of tests/dossiers, the local fake of the
national synchronisation service, administrators and managers of communes A and B.

- `fake_portal`: a started `FakeNationalSync` (username "motcua", password "secret"), with the
  NATIONAL_SYNC_* settings pointing at it and the sync enabled; stopped after the test.
- `drain(now=..., rounds=...)`: run the sender until it claims nothing; returns the counts.
"""

import pytest

from motcua.core.models import Role
from motcua.fakes.national_sync import FakeNationalSync
from motcua.nationalsync import sender
from motcua.nationalsync.client import NationalSyncClient
from tests.dossiers.conftest import (  # noqa: F401  (fixtures)
    _fast_passwords,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    make_dossier,
    make_received_dossier,
    office_a,
    office_b,
    officers,
    procedure,
    province,
    receptionist_a,
    receptionist_b,
    specialist_a,
)
from tests.factories import OfficerFactory, grant


@pytest.fixture
def fake_portal(settings):
    fake = FakeNationalSync(username="motcua", password="secret").start()
    settings.NATIONAL_SYNC_URL = fake.url
    settings.NATIONAL_SYNC_USERNAME, settings.NATIONAL_SYNC_PASSWORD = "motcua", "secret"
    settings.NATIONAL_SYNC_ENABLED = True
    settings.NATIONAL_SYNC_TIMEOUT = 5
    settings.NATIONAL_SYNC_BACKOFF_SECONDS = 30
    settings.NATIONAL_SYNC_BACKOFF_MAX_SECONDS = 3600
    settings.NATIONAL_SYNC_STALE_SECONDS = 300
    yield fake
    fake.stop()


@pytest.fixture
def client_portal(fake_portal):
    return NationalSyncClient()


@pytest.fixture
def drain(client_portal):
    def run(*, now=None, rounds: int = 50, worker_id: str = "w1") -> dict:
        total: dict = {}
        for _ in range(rounds):
            counts = sender.run_once(client=client_portal, now=now, worker_id=worker_id)
            if not counts["claimed"]:
                break
            for key, value in counts.items():
                total[key] = total.get(key, 0) + value
        return total

    return run


def _officer(username, role, unit):
    user = OfficerFactory(username=username)
    grant(user, role, unit=unit)
    return user


@pytest.fixture
def admin_a(commune_a):
    return _officer("admin_a", Role.ADMINISTRATOR, commune_a)


@pytest.fixture
def admin_b(commune_b):
    return _officer("admin_b", Role.ADMINISTRATOR, commune_b)


@pytest.fixture
def manager_a(commune_a):
    return _officer("manager_a", Role.MANAGER, commune_a)


@pytest.fixture
def admin_province(province):
    return _officer("admin_province", Role.ADMINISTRATOR, province)
