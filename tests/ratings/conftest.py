# ruff: noqa: F811  (fixtures imported from the dossier tests are used as parameters)
"""Fixtures for rating tests: the dossier world of tests/dossiers plus returned dossiers and reasons.

- `return_dossier(agency="a", **dossier_overrides)`: a dossier taken through the real workflow
  (received, appraised, approved, returned at the desk) in commune A or B; returns it.
- `counter_a`: counter 1 of office A.
- `manager_a`, `manager_b`: managers scoped to commune A / B.
"""

import pytest

from motcua.core.models import Counter, Role
from motcua.dossiers.services.workflow import dossier_act, dossier_receive
from motcua.ratings.models import RatingReason
from motcua.ratings.reasons import reasons_ensure
from tests.dossiers.conftest import (  # noqa: F401  (fixtures)
    _fast_passwords,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    leader_a,
    leader_b,
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
    specialist_b,
)
from tests.factories import OfficerFactory, grant


@pytest.fixture(autouse=True)
def reasons(db):
    # The data migration seeds them; a transactional (flushed) test database needs them again.
    reasons_ensure(RatingReason)
    return {r.code: r for r in RatingReason.objects.all()}


@pytest.fixture
def counter_a(office_a):
    return Counter.objects.create(office=office_a, number=1, name="Quầy 1")


@pytest.fixture
def manager_a(commune_a):
    user = OfficerFactory(username="manager_a", first_name="Quản lý A")
    grant(user, Role.MANAGER, unit=commune_a)
    return user


@pytest.fixture
def manager_b(commune_b):
    user = OfficerFactory(username="manager_b", first_name="Quản lý B")
    grant(user, Role.MANAGER, unit=commune_b)
    return user


@pytest.fixture
def return_dossier(make_dossier, officers, agency_a, agency_b, office_b):
    def run(agency: str = "a", counter=None, **overrides):
        staff = officers[agency]
        if agency == "b":
            overrides.setdefault("receiving_agency", agency_b)
            overrides.setdefault("current_agency", agency_b)
            overrides.setdefault("office", office_b)
        dossier = make_dossier(**overrides)
        dossier = dossier_receive(dossier=dossier, actor=staff[Role.RECEPTIONIST])
        dossier = dossier_act(dossier=dossier, actor=staff[Role.SPECIALIST], action="appraise", note="Đủ điều kiện")
        dossier = dossier_act(dossier=dossier, actor=staff[Role.LEADER], action="approve")
        return dossier_act(
            dossier=dossier,
            actor=staff[Role.RECEPTIONIST],
            action="return_result",
            mode="desk",
            collector_personal_id=dossier.applicant_personal_id,
            **({"counter": counter.pk} if counter else {}),
        )

    return run
