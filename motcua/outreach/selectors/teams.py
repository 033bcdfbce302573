"""Teams, campaigns, indicators and the visits a member recorded, within the user's outreach area."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from motcua.core.selectors.rows import row_get_by_id

from ..models import Campaign, Household, Indicator, OutreachTeam, TeamMember, Visit
from .area import member_teams, outreach_area_for


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
    teams = team_list_for(user).prefetch_related(
        "hamlets", Prefetch("members", queryset=TeamMember.objects.filter(is_active=True).select_related("user"))
    )
    return row_get_by_id(teams, team_id, code="team_not_found")


def team_for_household(user, household: Household) -> OutreachTeam | None:
    """The user's team that covers this household (hamlet team first), if any."""
    teams = member_teams(user)
    covering = [
        t
        for t in teams
        if t.unit_id == household.unit_id
        and (not t.hamlets.all() or household.hamlet_id in {h.pk for h in t.hamlets.all()})
    ]
    covering.sort(key=lambda t: (t.hamlet_id is None, t.pk))
    return covering[0] if covering else None


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


def visit_count_mine(user, *, day: datetime.date | None = None) -> int:
    """How many visits this user recorded on `day` (local date, today by default) in their area."""
    if not getattr(user, "is_authenticated", False):
        return 0
    day = day or timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    area = outreach_area_for(user)
    return (
        Visit.objects.filter(member=user, visited_at__gte=start, visited_at__lt=start + datetime.timedelta(days=1))
        .filter(area.household_condition("household__"))
        .count()
    )
