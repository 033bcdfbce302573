"""A small province for broadcast tests: two communes with hamlets, residents, officers."""

from dataclasses import dataclass

from motcua.core.models import Hamlet, Person, Role, Unit, User
from motcua.notifications.models import ContactPreference
from motcua.outreach.models import Household
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    HamletFactory,
    OfficerFactory,
    PersonFactory,
    ProvinceFactory,
    grant,
)


@dataclass
class World:
    province: Unit
    a: Unit
    b: Unit
    a1: Hamlet
    a2: Hamlet
    b1: Hamlet
    author: User
    leader: User
    leader_b: User
    province_leader: User
    specialist: User


def make_world() -> World:
    province = ProvinceFactory()
    a, b = CommuneFactory(parent=province), CommuneFactory(parent=province)
    a1, a2, b1 = HamletFactory(unit=a, name="Ấp Một"), HamletFactory(unit=a, name="Ấp Hai"), HamletFactory(unit=b)
    agency_a, agency_b = AgencyFactory(unit=a), AgencyFactory(unit=b)
    author, leader, leader_b, province_leader, specialist = (OfficerFactory() for _ in range(5))
    grant(author, Role.RECEPTIONIST, agency=agency_a)
    grant(leader, Role.LEADER, agency=agency_a)
    grant(leader_b, Role.LEADER, agency=agency_b)
    grant(province_leader, Role.LEADER, unit=province)
    grant(specialist, Role.SPECIALIST, agency=agency_a)
    return World(province, a, b, a1, a2, b1, author, leader, leader_b, province_leader, specialist)


def residents(unit: Unit, hamlet: Hamlet | None, n: int, **kwargs) -> list[Person]:
    return [PersonFactory(unit=unit, hamlet=hamlet, **kwargs) for _ in range(n)]


def opt_out(person: Person) -> None:
    ContactPreference.objects.create(person=person, broadcast_opt_out=True)


def household(hamlet: Hamlet, *, head: Person | None = None, phone: str = "", name: str = "Chủ hộ") -> Household:
    return Household.objects.create(
        unit=hamlet.unit, hamlet=hamlet, head=head, head_name=name, address=f"{name}, {hamlet.name}", phone=phone
    )
