"""Who covers what: the one place where an officer's roles become the records they may read.

Every app's selectors build on these functions instead of reading `RoleAssignment` themselves.

Capabilities (what a role lets an officer do, and so how far it reaches):
- handling dossiers: `covered_agencies` (a unit-scoped role covers every agency in the unit and
  below; an agency-scoped role covers that agency, and its commune's other agencies when it is a
  commune's);
- the officer's area: `area_unit_ids`, the communes an officer works in (a role scoped to a
  commune, or to an agency of a commune). A province-level role has no area: a department of the
  province is not the local government of every commune, so its officers do not browse residents;
- a person's record: `people_visible_to`, only through something the officer's agency is handling
  for that person (a dossier, a field report, a household in the officer's area; registered by the
  apps that own them, see `register_person_source`), the residents of the officer's area, or
  themselves;
- message contents: `message_condition`, only messages tied to something the officer may read
  (a dossier's or a field report's messages, registered with `register_message_subject`);
- the wide view of people: `wide_people_for`, an explicit permission of province managers and
  administrators (roles scoped to the province unit) and superusers. Every read of a person's
  record through it states a reason and is audited (`person_read_audit`).

The other direction, which officers hold a role over given agencies or units (assign lists,
escalation, notices), is `officers_holding`.

Core is the lowest app, so it cannot import dossiers or field reports: those apps register how
their records tie officers to people and messages in their `AppConfig.ready`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from functools import reduce

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import (
    COMMUNE_KINDS,
    PROVINCE_KINDS,
    Agency,
    AuditEvent,
    Person,
    Role,
    RoleAssignment,
    Unit,
    User,
)

# Roles whose holders, scoped to the province unit, may look anyone up (with a stated reason).
WIDE_PERSON_ROLES = (Role.MANAGER, Role.ADMINISTRATOR)
# A reason must say something: at least this many characters once trimmed, at most the maximum.
REASON_MIN_LENGTH = 10
REASON_MAX_LENGTH = 500

PersonSource = Callable[[object], Q]
MessageSubject = Callable[[object], QuerySet]
_person_sources: dict[str, PersonSource] = {}
_message_subjects: dict[str, MessageSubject] = {}


def register_person_source(name: str, source: PersonSource) -> None:
    """Let an app say which people an officer reaches through its records.

    `source(user)` returns a condition on Person (built on lazy subqueries) matching the people the
    officer's agency is handling something for.
    """
    _person_sources[name] = source


def register_message_subject(subject_type: str, subject: MessageSubject) -> None:
    """Let an app say which of its records' messages an officer may read.

    `subject(user)` returns a lazy queryset of the record ids as text (`Message.subject_id`).
    """
    _message_subjects[subject_type] = subject


def register_handled_records(
    *, source: str, subject_type: str, handled_by: Callable[[User], QuerySet], person_field: str
) -> None:
    """Both registrations above for records an officer handles (dossiers, field reports): the people
    they are for (`person_field`, a path to a Person from the record) and the messages about them.

    `handled_by(user)` returns a lazy queryset of the records the officer's agencies are handling."""
    register_person_source(
        source,
        lambda user: Q(pk__in=handled_by(user).filter(**{f"{person_field}__isnull": False}).values(person_field)),
    )
    register_message_subject(
        subject_type, lambda user: handled_by(user).annotate(sid=Cast("pk", CharField())).values("sid")
    )


# --- who is asking ------------------------------------------------------------------------------


def is_signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def is_officer(user) -> bool:
    """An officer account; roles granted to a citizen's account never count."""
    return bool(is_signed_in(user) and user.is_officer)


def assignments(user, *, roles=None, any_account: bool = False) -> QuerySet[RoleAssignment]:
    """The role assignments that count for this user (none for citizens and visitors).

    `any_account` also counts roles granted to a signed-in non-officer account (a community-team
    member may be a resident's own account); only for rules that say so.
    """
    if not (is_signed_in(user) if any_account else is_officer(user)):
        return RoleAssignment.objects.none()
    rows = RoleAssignment.objects.filter(user=user)
    if roles is not None:
        rows = rows.filter(role__in=list(roles))
    return rows


def has_role(user, roles) -> bool:
    return assignments(user, roles=roles).exists()


def _role_units(user, *, roles=None, any_account: bool = False) -> list[Unit]:
    rows = assignments(user, roles=roles, any_account=any_account).select_related("unit", "agency__unit")
    return [a.unit if a.unit_id else a.agency.unit for a in rows]


# --- units and agencies -------------------------------------------------------------------------


def covered_units(user, *, roles=None) -> set[int]:
    """Ids of the units an officer's roles sit in, descendants included; empty for citizens."""
    roots = {unit.pk: unit for unit in _role_units(user, roles=roles)}
    if not roots:
        return set()
    # One query for all roles: OR-ed querysets of the same model combine their filters.
    scope = reduce(operator.or_, (units_in_scope(unit) for unit in roots.values()))
    return set(scope.values_list("pk", flat=True))


def area_unit_ids(user, *, roles=None) -> set[int]:
    """The communes an officer works in: roles scoped to a commune or to one of its agencies."""
    return {unit.pk for unit in _role_units(user, roles=roles) if unit.kind in COMMUNE_KINDS}


def covered_agencies(
    user, *, roles=None, agency_roles_only: bool = False, commune_siblings: bool = True
) -> QuerySet[Agency]:
    """The agencies whose dossiers an officer's roles cover (lazy; a subquery, no query of its own).

    - A role scoped to a UNIT covers every agency in that unit and below: province managers and
      administrators the whole province, a commune's manager or community team their commune.
      `agency_roles_only` leaves these out: supervising a unit is not handling its records.
    - A role scoped to an AGENCY covers that agency; when the agency sits in a commune it also covers
      the other agencies of the same commune (the committee's desk sees the commune police's joint
      steps; `commune_siblings=False` leaves that out, as the cash desk does: money stays with the
      agency it is owed to). A provincial department's officer (agency unit = the province) covers
      that department only: a Sở Tư pháp specialist sees Sở Tư pháp's dossiers, not every commune's.
    """
    rows = assignments(user, roles=roles)
    agency_ids = rows.filter(agency__isnull=False).values("agency_id")
    condition = Q(pk__in=agency_ids)
    if commune_siblings:
        communes = rows.filter(agency__isnull=False, agency__unit__kind__in=COMMUNE_KINDS).values("agency__unit_id")
        condition |= Q(unit_id__in=communes)
    if not agency_roles_only:
        units = rows.filter(unit__isnull=False).values("unit_id")
        condition |= Q(unit_id__in=units) | Q(unit__parent_id__in=units) | Q(unit__parent__parent_id__in=units)
    return Agency.objects.filter(condition)


def role_agency_ids(user, *, roles) -> set[int]:
    """Ids of the agencies the user's given roles are scoped to (no unit-scoped ones, no siblings)."""
    return set(assignments(user, roles=roles).filter(agency__isnull=False).values_list("agency_id", flat=True))


# --- people -------------------------------------------------------------------------------------


def sees_everyone(user) -> bool:
    """Superusers and the province's administrators: everyone, with or without a unit (wide view)."""
    if not is_signed_in(user):
        return False
    if user.is_superuser:
        return True
    return any(unit.kind in PROVINCE_KINDS for unit in _role_units(user, roles=[Role.ADMINISTRATOR]))


def wide_people_for(user) -> QuerySet[Person] | None:
    """The people a wide-view holder may look up with a reason; None without that permission."""
    if sees_everyone(user):
        return Person.objects.all()
    provinces = [u for u in _role_units(user, roles=WIDE_PERSON_ROLES) if u.kind in PROVINCE_KINDS]
    if not provinces:
        return None
    units = reduce(operator.or_, (units_in_scope(unit) for unit in provinces))
    return Person.objects.filter(unit__in=units)


def has_wide_person_view(user) -> bool:
    return wide_people_for(user) is not None


def people_condition(user) -> Q:
    """Who this user reaches without the wide view, as a condition on Person (matches no one if nobody)."""
    if not is_signed_in(user):
        return Q(pk__in=[])
    condition = Q(pk=user.person_id) if user.person_id else Q(pk__in=[])
    if not is_officer(user):
        return condition
    area = area_unit_ids(user)
    if area:
        condition |= Q(unit_id__in=area)
    for source in _person_sources.values():
        condition |= source(user)
    return condition


def people_visible_to(user) -> QuerySet[Person]:
    """The people this user may read without stating a reason (lazy)."""
    return Person.objects.filter(people_condition(user))


def clean_reason(reason: str | None) -> str:
    """The stated reason for a wide read, trimmed; refused when missing, too short or too long."""
    text = " ".join((reason or "").split())
    if len(text) < REASON_MIN_LENGTH:
        raise DomainError(
            _("Hãy nêu lý do tra cứu thông tin công dân (ít nhất %(n)d ký tự); lần tra cứu sẽ được ghi nhật ký.")
            % {"n": REASON_MIN_LENGTH},
            code="reason_required",
            status=403,
        )
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(
            _("Lý do tra cứu dài quá %(n)d ký tự.") % {"n": REASON_MAX_LENGTH}, code="reason_too_long", status=422
        )
    return text


def person_read_audit(*, actor, reason: str, via: str, person_id: int | None = None, query: str = "") -> None:
    """Record one read through the wide view: who (actor), when (at), why (reason), what, through what."""
    AuditEvent.objects.create(
        actor=actor,
        action="person.read_wide" if person_id is not None else "person.search_wide",
        object_type="person",
        object_id=str(person_id) if person_id is not None else "",
        data={"reason": reason, "via": via, "q": query},
    )


# --- messages -----------------------------------------------------------------------------------


def message_condition(user) -> Q:
    """The messages (channel or inbox) whose contents this user may read, as a condition on them.

    A person reads their own messages; an officer reads the messages tied to a record they may read
    (a dossier's, a field report's); superusers read everything. Messages tied to nothing (a
    hand-sent notice, a broadcast) stay with their person and with whoever handles them elsewhere.
    """
    if not is_signed_in(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    condition = Q(person_id=user.person_id) if user.person_id else Q(pk__in=[])
    if not is_officer(user):
        return condition
    for subject_type, subject in _message_subjects.items():
        condition |= Q(subject_type=subject_type, subject_id__in=subject(user))
    return condition


# Legacy trees are three levels deep (province -> district -> ward), current ones two.
_MAX_DEPTH = 3


def units_in_scope(unit: Unit) -> QuerySet[Unit]:
    """The unit itself and every unit below it, as one lazy queryset (usable as a subquery).

    Only the tree of the unit's own era is followed: a current province covers its current
    communes, not the legacy units they replaced.
    """
    condition = Q(pk=unit.pk)
    path = "parent"
    for _depth in range(_MAX_DEPTH):
        condition |= Q(**{path: unit.pk})
        path += "__parent"
    return Unit.objects.filter(condition)


def role_names(user) -> set[str]:
    """The roles that count for this user, in one query (empty for citizens and visitors)."""
    return set(assignments(user).values_list("role", flat=True))


# --- province-wide reach ------------------------------------------------------------------------


def role_units_reach(user, *, roles) -> tuple[bool, set[int]]:
    """How far an officer's given roles reach: (province-wide, ids of the units covered).

    Province-wide when one of those roles sits on a province unit (or on an agency of the province);
    otherwise the units of those roles and below. (False, empty) for citizens and visitors.
    """
    roots = _role_units(user, roles=roles)
    if any(unit.kind in PROVINCE_KINDS for unit in roots):
        return True, set()
    if not roots:
        return False, set()
    scope = reduce(operator.or_, (units_in_scope(unit) for unit in roots))
    return False, set(scope.values_list("pk", flat=True))


# --- additions ----------------------------------------------------------------------------------


def role_units(user, *, roles=None, any_account: bool = False) -> list[Unit]:
    """The units the user's roles sit in, each once (an agency-scoped role counts its agency's unit).

    For rules that depend on the kind of unit a role sits in (a commune's leader sees households,
    a province's only figures); `covered_units` is the same with every unit below included.
    """
    return list({unit.pk: unit for unit in _role_units(user, roles=roles, any_account=any_account)}.values())


def role_unit_ids(user) -> dict[str, set[int]]:
    """Each role the user holds -> the ids of the units it sits in (one query; none for citizens).

    For pages that ask several "does this role cover that unit" questions at once.
    """
    held: dict[str, set[int]] = {}
    for role, unit_id, agency_unit_id in assignments(user).values_list("role", "unit_id", "agency__unit_id"):
        held.setdefault(role, set()).add(unit_id or agency_unit_id)
    return held


# --- the other direction: who holds a role ------------------------------------------------------


def officers_holding(roles=None, *, agencies=None, units=None, include_inactive: bool = False) -> QuerySet[User]:
    """The officers holding one of `roles` (a role, a list, or None for any) over the given places.

    `agencies`: ids of agencies the role is scoped to; `units`: ids of units the role sits in
    (scoped to the unit, or to one of its agencies). Given both, either matches; given neither,
    anywhere. Active officer accounts only, unless `include_inactive` (figures about past work
    still count officers who have left). For assign lists, escalation and notices; lazy.
    """
    rows = RoleAssignment.objects.all()
    if roles is not None:
        rows = rows.filter(role__in=[roles] if isinstance(roles, str) else list(roles))
    places = []
    if agencies is not None:
        places.append(Q(agency_id__in=[a for a in agencies if a]))
    if units is not None:
        ids = [u for u in units if u]
        places.append(Q(unit_id__in=ids) | Q(agency__unit_id__in=ids))
    if places:
        rows = rows.filter(reduce(operator.or_, places))
    users = User.objects.filter(pk__in=rows.values("user_id"), is_officer=True)
    return users if include_inactive else users.filter(is_active=True)
