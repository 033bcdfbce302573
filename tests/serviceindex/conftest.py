# ruff: noqa: F811  (fixtures imported from the dossier tests are used as parameters)
"""Fixtures for the service index: the dossier world of tests/dossiers (province, communes A and
B, their agencies and officers), a small hand-made definition effective from 1/1/2026, and
dossiers with known dates, channels and outcomes.

`small_definition` (the arithmetic in the tests relies on it):
  progress (max 60): on_time target 100% 40 pts; online_submitted target 50% 20 pts
  digitisation (max 40): synced target 100% 30 pts; not_counted (a code no measure has: "chưa đo
  được", as an indicator our data cannot count) 10 pts
  other (max 20): reports_on_time (unmeasured) 20 pts
"""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from motcua.core.models import Role
from motcua.dossiers.models import Channel, DossierStatus
from motcua.serviceindex.models import IndexDefinition, IndexGroup, SubIndicator
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
    specialist_a,
)
from tests.factories import OfficerFactory, grant

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime.datetime:
    y, m, d = map(int, day.split("-"))
    return datetime.datetime(y, m, d, hour, minute, tzinfo=TZ)


def definition_make(effective_from: datetime.date, *, on_time_target=100, on_time_points=40) -> IndexDefinition:
    d = IndexDefinition.objects.create(name="Thử", legal_basis="Văn bản thử", effective_from=effective_from)
    g1 = IndexGroup.objects.create(definition=d, code="tien_do", name="Tiến độ", max_points=60, order=1)
    g2 = IndexGroup.objects.create(definition=d, code="so_hoa", name="Số hóa", max_points=40, order=2)
    g3 = IndexGroup.objects.create(definition=d, code="khac", name="Khác", max_points=20, order=3)
    rows = [
        (g1, "on_time", on_time_target, on_time_points),
        (g1, "online_submitted", 50, 60 - on_time_points),
        (g2, "synced", 100, 30),
        (g2, "not_counted", 50, 10),
        (g3, "reports_on_time", 100, 20),
    ]
    for order, (group, measure, target, points) in enumerate(rows):
        SubIndicator.objects.create(
            group=group, code=measure, name=measure, measure=measure, target_rate=Decimal(target),
            points=Decimal(points), order=order,
        )  # fmt: skip
    return d


@pytest.fixture
def small_definition(db):
    return definition_make(datetime.date(2026, 1, 1))


@pytest.fixture
def march(make_dossier, agency_a, agency_b):
    """March 2026. Agency A: 4 received (1 online, 3 at the counter), 4 resolved (3 on time, 1
    late). Agency B: 2 received, both online, none resolved. No dossier synchronised."""
    made = []
    for i, channel in enumerate([Channel.ONLINE, Channel.COUNTER, Channel.COUNTER, Channel.COUNTER]):
        late = i == 3
        made.append(
            make_dossier(
                channel=channel, status=DossierStatus.RESOLVED, received_at=at("2026-03-02"),
                resolved_at=at("2026-03-20"), finished_late=late,
            )
        )  # fmt: skip
    for _ in range(2):
        made.append(
            make_dossier(
                receiving_agency=agency_b, channel=Channel.ONLINE, status=DossierStatus.PROCESSING,
                received_at=at("2026-03-05"),
            )
        )  # fmt: skip
    return made


@pytest.fixture
def manager_province(province):
    user = OfficerFactory(username="manager_province")
    grant(user, Role.MANAGER, unit=province)
    return user
