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

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import COMMUNE_KINDS, PROVINCE_KINDS, Role, Unit
from motcua.core.text import fold

from .models import Campaign, Household, HouseholdMember, Indicator, OutreachTeam, TeamMember, Visit

_LEADER_ROLES = (Role.LEADER, Role.MANAGER)


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


def _member_teams(user) -> list[OutreachTeam]:
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
    for team in _member_teams(user):
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


def household_search(households: QuerySet[Household], q: str | None) -> QuerySet[Household]:
    """Narrow by folded head name or address, a phone number, or a personal ID prefix."""
    q = (q or "").strip()[:100]
    if not q:
        return households
    compact = "".join(ch for ch in q if not ch.isspace() and ch not in ".-+")
    if compact.isdigit():
        condition = Q(head_personal_id__startswith=compact) | Q(members__personal_id__startswith=compact)
        phone = normalize_phone_or_none(q)
        condition |= (Q(phone=phone) | Q(members__phone=phone)) if phone else Q(phone__contains=compact)
        # Member columns join many rows per household: match through a subquery, no duplicates.
        return households.filter(pk__in=Household.objects.filter(condition).values("pk"))
    folded = fold(q)
    # identity_folded is "folded head name|folded address": one column answers both.
    return households.filter(identity_folded__contains=folded) if folded else households


def household_list_for(user, *, q: str | None = None, hamlet_id: int | None = None) -> QuerySet[Household]:
    """The households this user may see (empty for aggregate-only users), optionally searched."""
    area = outreach_area_for(user)
    if not area.sees_households:
        return Household.objects.none()
    households = Household.objects.filter(area.household_condition()).select_related("hamlet", "unit")
    households = household_search(households, q)
    if hamlet_id:
        households = households.filter(hamlet_id=hamlet_id)
    return households.order_by("hamlet__name", "head_name", "id")


def household_get_for(user, household_id) -> Household:
    """One household with its members, if the user may see it; NotFound otherwise."""
    try:
        household_id = int(household_id)
    except (TypeError, ValueError):
        raise NotFound(code="household_not_found")
    if not 0 < household_id < 2**63:  # beyond any id; the database would refuse to compare it
        raise NotFound(code="household_not_found")
    household = (
        household_list_for(user)
        .filter(pk=household_id)
        .prefetch_related(Prefetch("members", queryset=HouseholdMember.objects.order_by("-is_head", "id")))
        .first()
    )
    if household is None:
        raise NotFound(code="household_not_found")
    return household


def household_achievements(household: Household) -> set[tuple[int | None, int]]:
    """(member id or None, indicator id) pairs already achieved by this household."""
    return set(household.achievements.values_list("member_id", "indicator_id"))


def indicator_list(*, active_only: bool = True) -> QuerySet[Indicator]:
    indicators = Indicator.objects.all()
    if active_only:
        indicators = indicators.filter(is_active=True)
    return indicators.order_by("order", "code")


def team_list_for(user) -> QuerySet[OutreachTeam]:
    """Teams the user belongs to, plus every team of the communes they lead."""
    area = outreach_area_for(user)
    teams = OutreachTeam.objects.select_related("unit", "hamlet", "leader")
    if area.everything:
        return teams.order_by("unit__name", "name")
    condition = Q(pk__in=area.team_ids)
    if area.unit_ids:
        condition |= Q(unit_id__in=area.unit_ids)
    return teams.filter(condition).order_by("unit__name", "name")


def team_get_for(user, team_id) -> OutreachTeam:
    try:
        team_id = int(team_id)
    except (TypeError, ValueError):
        raise NotFound(code="team_not_found")
    if not 0 < team_id < 2**63:  # beyond any id; the database would refuse to compare it
        raise NotFound(code="team_not_found")
    team = (
        team_list_for(user)
        .filter(pk=team_id)
        .prefetch_related(
            "hamlets", Prefetch("members", queryset=TeamMember.objects.filter(is_active=True).select_related("user"))
        )
        .first()
    )
    if team is None:
        raise NotFound(code="team_not_found")
    return team


def team_for_household(user, household: Household) -> OutreachTeam | None:
    """The user's team that covers this household (hamlet team first), if any."""
    teams = _member_teams(user)
    covering = [
        t
        for t in teams
        if t.unit_id == household.unit_id
        and (not t.hamlets.all() or household.hamlet_id in {h.pk for h in t.hamlets.all()})
    ]
    covering.sort(key=lambda t: (t.hamlet_id is None, t.pk))
    return covering[0] if covering else None


def household_editable_by(user, household: Household) -> bool:
    """The team covering the household, and the commune's leaders, may edit it."""
    area = outreach_area_for(user)
    return area.everything or household.unit_id in area.unit_ids or household.hamlet_id in area.hamlet_ids


def campaign_active_for(
    user, *, household: Household | None = None, day: datetime.date | None = None
) -> QuerySet[Campaign]:
    """Campaigns running on `day` that the user's teams take part in (or of the commune they lead)."""
    day = day or timezone.localdate()
    area = outreach_area_for(user)
    campaigns = Campaign.objects.filter(starts_on__lte=day, ends_on__gte=day)
    if not area.everything:
        campaigns = campaigns.filter(Q(teams__in=area.team_ids) | Q(unit_id__in=area.unit_ids)).distinct()
    if household is not None:
        campaigns = campaigns.filter(unit_id=household.unit_id)
    return campaigns.order_by("-starts_on", "name")


def visit_list_mine(user, *, limit: int = 20) -> QuerySet[Visit]:
    """The visits this user recorded, newest first (still limited to households they may see)."""
    if not getattr(user, "is_authenticated", False):
        return Visit.objects.none()
    area = outreach_area_for(user)
    return (
        Visit.objects.filter(member=user)
        .filter(area.household_condition("household__"))
        .select_related("household", "household__hamlet", "campaign")
        .prefetch_related("helped_members", "achievements__indicator")
        .order_by("-visited_at", "-id")[: max(1, min(limit, 100))]
    )


# --- for other apps (registered in apps.py) ------------------------------------------------------


def household_people_for(user) -> Q:
    """Heads and members of the households in the officer's outreach area (teams' hamlets, communes).

    The person source of `motcua.core.scope`: the people an officer reaches through households.
    """
    area = outreach_area_for(user)
    if not area.sees_households or area.everything:
        # The superuser's "everything" is the wide view, audited in core; not a household tie.
        return Q(pk__in=[])
    households = Household.objects.filter(area.household_condition())
    heads = households.filter(head__isnull=False).values("head_id")
    members = HouseholdMember.objects.filter(household__in=households, person__isnull=False).values("person_id")
    return Q(pk__in=heads) | Q(pk__in=members)


def household_heads_audience(area: Q) -> QuerySet:
    """The household heads of an area, for area broadcasts: the head's phone, else the household's."""
    return (
        Household.objects.filter(area)
        .annotate(contact=Coalesce(NullIf(F("head__phone"), Value("")), NullIf(F("phone"), Value(""))))
        .filter(contact__isnull=False)
        .values("unit_id", "hamlet_id", "contact", person_id=F("head_id"), name=F("head_name"))
    )
