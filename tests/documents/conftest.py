"""Fixtures for documents: two communes' committees, their clerks, leaders, specialists."""

import pytest

from motcua.core.models import Role
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    OfficerFactory,
    PersonFactory,
    ProvinceFactory,
    grant,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def agency_a(province):
    return AgencyFactory(unit=CommuneFactory(parent=province, name="Phường An Xuyên"))


@pytest.fixture
def agency_b(province):
    return AgencyFactory(unit=CommuneFactory(parent=province, name="Phường Bạc Liêu"))


def _officer(role, agency):
    user = OfficerFactory(person=PersonFactory(), first_name="Cán bộ")
    grant(user, role, agency=agency)
    return user


@pytest.fixture
def clerk_a(agency_a):
    return _officer(Role.RECEPTIONIST, agency_a)


@pytest.fixture
def clerk_b(agency_b):
    return _officer(Role.RECEPTIONIST, agency_b)


@pytest.fixture
def leader_a(agency_a):
    return _officer(Role.LEADER, agency_a)


@pytest.fixture
def specialist_a(agency_a):
    return _officer(Role.SPECIALIST, agency_a)


@pytest.fixture
def specialist_a2(agency_a):
    return _officer(Role.SPECIALIST, agency_a)


@pytest.fixture
def citizen(db):
    return CitizenUserFactory()


@pytest.fixture
def make_incoming(agency_a, clerk_a):
    from motcua.documents.services import register_incoming

    def make(**overrides):
        fields = {
            "agency": agency_a,
            "actor": clerk_a,
            "sender_name": "Sở Tư pháp tỉnh",
            "summary": "Về việc triển khai chứng thực điện tử",
            "doc_type": "CV",
            "doc_number": "125/STP-HCTP",
        }
        fields.update(overrides)
        return register_incoming(**fields)

    return make
