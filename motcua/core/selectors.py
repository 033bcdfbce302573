"""Reads of people and accounts, with the access check in the same function.

Who may see whom:
- a superuser, or an administrator whose role is scoped to a province, sees everyone;
- an officer sees the people living in the units of their roles (a province-level role covers
  every commune of that province), and themselves;
- a citizen sees only themselves.
Anything outside is reported as "not found" so that an ID typed by hand does not reveal
whether that person exists.
"""

import operator
import re
from functools import reduce

from django.db.models import Q, QuerySet

from motcua.core.errors import NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS, Era, Person, Role, RoleAssignment, Unit, User
from motcua.core.selectors_units import units_in_scope
from motcua.core.text import fold

_ID_SEPARATORS = re.compile(r"[\s.\-+]")


def _role_units(user: User, *, role: str | None = None) -> list[Unit]:
    assignments = RoleAssignment.objects.filter(user=user).select_related("unit", "agency__unit")
    if role:
        assignments = assignments.filter(role=role)
    return [a.unit if a.unit_id else a.agency.unit for a in assignments]


def user_scope_units(user) -> set[int]:
    """Ids of the units an officer's roles cover, descendants included; empty for citizens."""
    if not getattr(user, "is_authenticated", False) or not user.is_officer:
        return set()
    roots = {unit.pk: unit for unit in _role_units(user)}
    if not roots:
        return set()
    # One query for all of an officer's roles: OR-ed querysets of the same model combine their filters.
    scope = reduce(operator.or_, (units_in_scope(unit) for unit in roots.values()))
    return set(scope.values_list("pk", flat=True))


def user_sees_all_people(user) -> bool:
    """Superusers and the province's system administrators see every person, unit or not."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    if not user.is_officer:
        return False
    return any(unit.kind in PROVINCE_KINDS for unit in _role_units(user, role=Role.ADMINISTRATOR))


def user_is_officer(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and (user.is_officer or user.is_superuser))


def person_scope_units_for(user) -> QuerySet[Unit]:
    """The communes an officer may place a new person in (for form choices)."""
    if user_sees_all_people(user):
        units = Unit.objects.filter(era=Era.CURRENT, kind__in=COMMUNE_KINDS)
    else:
        units = Unit.objects.filter(pk__in=user_scope_units(user), kind__in=COMMUNE_KINDS)
    return units.order_by("name_folded")


def _visible_people(user) -> QuerySet[Person]:
    people = Person.objects.select_related("unit", "hamlet")
    if not getattr(user, "is_authenticated", False):
        return people.none()
    if user_sees_all_people(user):
        return people.all()
    condition = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    scope = user_scope_units(user)
    if scope:
        condition |= Q(unit_id__in=scope)
    return people.filter(condition)


def _search_condition(q: str) -> Q:
    compact = _ID_SEPARATORS.sub("", q)
    if compact.isdigit():
        condition = Q(personal_id__startswith=compact) | Q(old_id=compact)
        phone = normalize_phone_or_none(q)
        condition |= Q(phone=phone) if phone else Q(phone__contains=compact)
        return condition
    folded = fold(q)
    return Q(full_name_folded__contains=folded) if folded else Q()


def person_list_for(user, *, q: str | None = None) -> QuerySet[Person]:
    """The people this user may see, optionally searched by folded name, personal ID or phone."""
    people = _visible_people(user)
    q = (q or "").strip()
    if q:
        people = people.filter(_search_condition(q))
    return people.order_by("full_name_folded", "id")


def person_get_for(user, person_id: int) -> Person:
    """One person, if this user may see them; NotFound otherwise (never 403: see module doc)."""
    try:
        person_id = int(person_id)
    except (TypeError, ValueError):
        raise NotFound(code="person_not_found")
    person = _visible_people(user).filter(pk=person_id).first()
    if person is None:
        raise NotFound(code="person_not_found")
    return person
