"""Shared fixtures for dossier tests (the workflow tests and the other dossier tests use them).

Names are stable; add, do not rename:

- `province`: Tỉnh Cà Mau (code 96).
- `commune_a`, `commune_b`: two communes of the province.
- `agency_a`, `agency_b`: the commune committees (UBND xã) of commune A and B.
- `office_a`, `office_b`: their one-stop offices.
- `police_a`: the commune police of commune A (for joint, parallel-step workflows).
- `officers`: {"a": {role: user}, "b": {role: user}} with one officer per role in
  ("receptionist", "specialist", "leader", "cashier") scoped to agency A / B.
- `receptionist_a`, `specialist_a`, `leader_a`, `cashier_a`, `receptionist_b`, `specialist_b`,
  `leader_b`: shortcuts into `officers`.
- `procedure`: a commune procedure with a 3-working-day limit, two required documents and a fee.
- `citizen`: a citizen account (User with a Person living in commune A).
- `make_dossier(**overrides)`: a REGISTERED online dossier of `citizen` for `procedure` at agency A,
  with a code; overrides are Dossier fields (status, channel, receiving_agency, applicant_person, …).
- `make_received_dossier(at=None, **overrides)`: `make_dossier` then received by `receptionist_a`
  through the workflow (steps copied, clock started at `at` or now).
- `received_dossier`: one dossier from `make_received_dossier()` received now.
- `MONDAY_10`: 2026-03-16 10:00 Asia/Ho_Chi_Minh, an ordinary working Monday.
"""

import datetime
import itertools
from zoneinfo import ZoneInfo

import pytest

from motcua.catalog.models import FeeItem, RequiredDocument
from motcua.core.models import AgencyKind, Role
from motcua.dossiers.models import Channel, Dossier, DossierStatus
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    OfficeFactory,
    OfficerFactory,
    PersonFactory,
    ProcedureFactory,
    ProvinceFactory,
    grant,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
MONDAY_10 = datetime.datetime(2026, 3, 16, 10, 0, tzinfo=TZ)
OFFICER_ROLES = (Role.RECEPTIONIST, Role.SPECIALIST, Role.LEADER, Role.CASHIER)

_codes = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Officers' accounts are made by the dozen here; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(db):
    return ProvinceFactory()


@pytest.fixture
def commune_a(province):
    return CommuneFactory(parent=province, name="Xã Tân Thành")


@pytest.fixture
def commune_b(province):
    return CommuneFactory(parent=province, name="Xã Lý Văn Lâm")


@pytest.fixture
def agency_a(commune_a):
    return AgencyFactory(unit=commune_a, name="UBND xã Tân Thành", address="Ấp 1, xã Tân Thành")


@pytest.fixture
def agency_b(commune_b):
    return AgencyFactory(unit=commune_b, name="UBND xã Lý Văn Lâm")


@pytest.fixture
def police_a(commune_a):
    return AgencyFactory(unit=commune_a, name="Công an xã Tân Thành", kind=AgencyKind.COMMUNE_POLICE)


@pytest.fixture
def office_a(agency_a):
    return OfficeFactory(agency=agency_a, name="Bộ phận một cửa xã Tân Thành", address="Ấp 1, xã Tân Thành")


@pytest.fixture
def office_b(agency_b):
    return OfficeFactory(agency=agency_b)


def _staff(agency, label: str) -> dict:
    people = {}
    for role in OFFICER_ROLES:
        user = OfficerFactory(username=f"{role}_{label}", first_name=f"{role} {label}")
        grant(user, role, agency=agency)
        people[role] = user
    return people


@pytest.fixture
def officers(agency_a, agency_b):
    return {"a": _staff(agency_a, "a"), "b": _staff(agency_b, "b")}


@pytest.fixture
def receptionist_a(officers):
    return officers["a"][Role.RECEPTIONIST]


@pytest.fixture
def specialist_a(officers):
    return officers["a"][Role.SPECIALIST]


@pytest.fixture
def leader_a(officers):
    return officers["a"][Role.LEADER]


@pytest.fixture
def cashier_a(officers):
    return officers["a"][Role.CASHIER]


@pytest.fixture
def receptionist_b(officers):
    return officers["b"][Role.RECEPTIONIST]


@pytest.fixture
def specialist_b(officers):
    return officers["b"][Role.SPECIALIST]


@pytest.fixture
def leader_b(officers):
    return officers["b"][Role.LEADER]


@pytest.fixture
def procedure(db):
    proc = ProcedureFactory(name="Đăng ký khai sinh", time_limit_days=3)
    RequiredDocument.objects.create(procedure=proc, order=1, name="Tờ khai đăng ký khai sinh", form_name="Mẫu TP/HT")
    RequiredDocument.objects.create(procedure=proc, order=2, name="Giấy chứng sinh")
    # Charged per copy issued, so tests may ask for several copies (a quantity needs `per_unit`).
    FeeItem.objects.create(procedure=proc, order=1, name="Lệ phí đăng ký", amount=8000, per_unit="bản")
    return proc


@pytest.fixture
def citizen(commune_a):
    return CitizenUserFactory(
        person=PersonFactory(unit=commune_a, full_name="Trần Thị Mai", address="Ấp 2, xã Tân Thành")
    )


@pytest.fixture
def make_dossier(procedure, agency_a, office_a, citizen):
    def make(**overrides) -> Dossier:
        agency = overrides.pop("receiving_agency", agency_a)
        person = overrides.pop("applicant_person", citizen.person)
        values = {
            "procedure": procedure,
            "procedure_snapshot": {"time_limit_days": str(procedure.time_limit_days)},
            "status": DossierStatus.REGISTERED,
            "channel": Channel.ONLINE,
            "applicant_person": person,
            "applicant_name": person.full_name if person else "Người nộp",
            "applicant_personal_id": person.personal_id if person else "",
            "applicant_phone": person.phone if person else "",
            "applicant_address": person.address if person else "",
            "submitted_by": citizen if person == citizen.person else None,
            "receiving_agency": agency,
            "office": office_a if agency == agency_a else None,
            "current_agency": agency,
            "submitted_at": MONDAY_10,
        }
        values.update(overrides)
        if values["status"] != DossierStatus.DRAFT and not values.get("code"):
            values["code"] = f"{agency.code}-260316-{next(_codes):04d}"
        return Dossier.objects.create(**values)

    return make


@pytest.fixture
def make_received_dossier(make_dossier, receptionist_a):
    from motcua.dossiers.services.workflow import dossier_receive

    def make(at=None, **overrides) -> Dossier:
        dossier = make_dossier(**overrides)
        return dossier_receive(dossier=dossier, actor=receptionist_a, now=at)

    return make


@pytest.fixture
def received_dossier(make_received_dossier):
    return make_received_dossier()
