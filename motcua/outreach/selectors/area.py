"""Reads for the community digital teams, with the access check in the same functions.

Household data is personal data. Who sees which households:
- a team member sees the households of the area their active teams cover (the team's listed
  hamlets, or the whole commune when a team lists none);
- a commune leader or manager (role scoped to a commune, directly or through a commune agency)
  sees every household of that commune;
- a provincial manager or leader sees aggregates only: no household list, no household detail;
- a superuser sees everything (the admin site shows it anyway).
Anything outside is "not found", so that an id typed by hand does not reveal that it exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from motcua.core import scope
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS, Role, Unit

from ..models import OutreachTeam, TeamMember

_LEADER_ROLES = (Role.LEADER, Role.MANAGER)
# Public name for the portal's navigation, which mirrors who sees households.
LEADER_ROLES = _LEADER_ROLES


@dataclass
class OutreachArea:
    """What one user may see: whole communes, single hamlets, and aggregates."""

    unit_ids: set[int] = field(default_factory=set)
    hamlet_ids: set[int] = field(default_factory=set)
    # Communes whose aggregates (counts, progress) the user may see, household lists or not.
    aggregate_unit_ids: set[int] = field(default_factory=set)
    team_ids: set[int] = field(default_factory=set)
    everything: bool = False

    @property
    def sees_households(self) -> bool:
        return self.everything or bool(self.unit_ids or self.hamlet_ids)

    def household_condition(self, prefix: str = "") -> Q:
        if self.everything:
            return Q()
        condition = Q(pk__in=[])
        if self.unit_ids:
            condition |= Q(**{f"{prefix}unit_id__in": self.unit_ids})
        if self.hamlet_ids:
            condition |= Q(**{f"{prefix}hamlet_id__in": self.hamlet_ids})
        return condition


def member_teams(user) -> list[OutreachTeam]:
    return list(
        OutreachTeam.objects.filter(is_active=True, members__user=user, members__is_active=True)
        .prefetch_related("hamlets")
        .distinct()
    )


def outreach_area_for(user) -> OutreachArea:
    """The area this user may see; an empty area for anyone without a team or a leader role."""
    area = OutreachArea()
    if not getattr(user, "is_authenticated", False):
        return area
    if user.is_superuser:
        area.everything = True
        area.aggregate_unit_ids = set(
            Unit.objects.filter(kind__in=COMMUNE_KINDS, households__isnull=False).values_list("pk", flat=True)
        )
        return area
    for team in member_teams(user):
        area.team_ids.add(team.pk)
        area.aggregate_unit_ids.add(team.unit_id)
        hamlets = [h.pk for h in team.hamlets.all()]
        if hamlets:
            area.hamlet_ids.update(hamlets)
        else:
            area.unit_ids.add(team.unit_id)
    for unit in scope.role_units(user, roles=_LEADER_ROLES):
        if unit.kind in COMMUNE_KINDS:
            area.unit_ids.add(unit.pk)
            area.aggregate_unit_ids.add(unit.pk)
        elif unit.kind in PROVINCE_KINDS:
            # Provincial managers: figures for every commune, never the households themselves.
            area.aggregate_unit_ids.update(
                Unit.objects.filter(parent=unit, kind__in=COMMUNE_KINDS).values_list("pk", flat=True)
            )
    return area


def outreach_aggregate_units_for(user) -> set[int]:
    """Ids of the communes whose outreach figures this user may see (for progress pages)."""
    return outreach_area_for(user).aggregate_unit_ids


def team_memberships(user) -> list[bool]:
    """One entry per team this user is an active member of: whether that team is itself active.

    One query, for pages that only need to know whether the user belongs to a team (navigation).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    return list(TeamMember.objects.filter(user=user, is_active=True).values_list("team__is_active", flat=True))
