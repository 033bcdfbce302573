"""Households an officer may see (list, search, detail, editing), and what they give other apps:
the people an officer reaches through households (core.scope) and the household-heads audience of
area broadcasts (notifications)."""

from __future__ import annotations

from django.db.models import F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from motcua.core.identity import normalize_phone_or_none
from motcua.core.selectors.rows import row_get_by_id
from motcua.core.text import fold

from ..models import Household, HouseholdMember
from .area import outreach_area_for


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
    households = household_list_for(user).prefetch_related(
        Prefetch("members", queryset=HouseholdMember.objects.order_by("-is_head", "id"))
    )
    return row_get_by_id(households, household_id, code="household_not_found")


def household_achievements(household: Household) -> set[tuple[int | None, int]]:
    """(member id or None, indicator id) pairs already achieved by this household."""
    return set(household.achievements.values_list("member_id", "indicator_id"))


def household_editable_by(user, household: Household) -> bool:
    """The team covering the household, and the commune's leaders, may edit it."""
    area = outreach_area_for(user)
    return area.everything or household.unit_id in area.unit_ids or household.hamlet_id in area.hamlet_ids


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
