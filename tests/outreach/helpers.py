"""Shared set-up for the outreach tests: two communes with teams, households and leaders.

Commune A: hamlets 1 and 2; a commune team (whole commune) with `member_a`, a hamlet team
covering hamlet 2 only with `member_h2`, a commune leader. Commune B: one hamlet, one team with
`member_b`. A provincial manager. Indicators seeded."""

import io
from dataclasses import dataclass

import pytest
from PIL import Image

from motcua.core.models import Role, User
from motcua.outreach.models import Household, HouseholdMember, OutreachTeam, TeamMember
from motcua.outreach.services.teams import indicators_load_defaults
from tests.factories import CommuneFactory, HamletFactory, OfficerFactory, ProvinceFactory, grant


def image_bytes(fmt: str = "JPEG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 40)).save(out, format=fmt)
    return out.getvalue()


def make_household(
    hamlet,
    head_name: str,
    *,
    address: str | None = None,
    personal_id: str | None = None,
    phone: str = "",
    members: tuple[str, ...] = (),
    is_business: bool = False,
) -> Household:
    household = Household.objects.create(
        unit=hamlet.unit,
        hamlet=hamlet,
        head_name=head_name,
        head_personal_id=personal_id,
        address=address or f"{hamlet.name}, {hamlet.unit.name}",
        phone=phone,
        member_count=1 + len(members),
        is_business=is_business,
    )
    HouseholdMember.objects.create(
        household=household, full_name=head_name, personal_id=personal_id or "", is_head=True, relation="Chủ hộ"
    )
    for name in members:
        HouseholdMember.objects.create(household=household, full_name=name, relation="Con")
    return household


def make_member(team: OutreachTeam, *, role_unit=None) -> User:
    user = OfficerFactory()
    grant(user, Role.OUTREACH_MEMBER, unit=role_unit or team.unit)
    TeamMember.objects.create(team=team, user=user, full_name=user.username, affiliation="youth_union")
    return user


@dataclass
class Area:
    province: object
    commune_a: object
    commune_b: object
    hamlet_a1: object
    hamlet_a2: object
    hamlet_b: object
    team_a: OutreachTeam
    team_h2: OutreachTeam
    team_b: OutreachTeam
    member_a: User
    member_h2: User
    member_b: User
    leader_a: User
    province_manager: User
    household_a1: Household
    household_a2: Household
    household_b: Household


@pytest.fixture
def area(db) -> Area:
    indicators_load_defaults()
    province = ProvinceFactory()
    commune_a = CommuneFactory(parent=province, name="Phường An Xuyên")
    commune_b = CommuneFactory(parent=province, name="Xã Đất Mũi")
    hamlet_a1 = HamletFactory(unit=commune_a, name="Khóm 1", code="A-01")
    hamlet_a2 = HamletFactory(unit=commune_a, name="Khóm 2", code="A-02")
    hamlet_b = HamletFactory(unit=commune_b, name="Ấp Mũi", code="B-01")
    team_a = OutreachTeam.objects.create(unit=commune_a, name="Tổ CNSCĐ phường An Xuyên")
    team_h2 = OutreachTeam.objects.create(unit=commune_a, hamlet=hamlet_a2, name="Tổ CNSCĐ Khóm 2")
    team_h2.hamlets.set([hamlet_a2])
    team_b = OutreachTeam.objects.create(unit=commune_b, name="Tổ CNSCĐ xã Đất Mũi")
    leader_a = OfficerFactory()
    grant(leader_a, Role.LEADER, unit=commune_a)
    manager = OfficerFactory()
    grant(manager, Role.MANAGER, unit=province)
    return Area(
        province,
        commune_a,
        commune_b,
        hamlet_a1,
        hamlet_a2,
        hamlet_b,
        team_a,
        team_h2,
        team_b,
        make_member(team_a),
        make_member(team_h2),
        make_member(team_b),
        leader_a,
        manager,
        make_household(
            hamlet_a1,
            "Nguyễn Văn Bình",
            address="12 Lý Thường Kiệt, Khóm 1",
            phone="0912345678",
            members=("Nguyễn Thị Hoa", "Nguyễn Văn Nam"),
        ),
        make_household(hamlet_a2, "Trần Thị Cúc", address="5 Phan Ngọc Hiển, Khóm 2", is_business=True),
        make_household(hamlet_b, "Lê Văn Đạt", address="Ấp Mũi, Đất Mũi", phone="0987654321"),
    )
