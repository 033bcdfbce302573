"""Demo data for the community digital teams: teams and members in the demo communes, a few
hundred households (demo citizens of those communes as heads, plus generated ones), campaigns,
and visits with achievements recorded through `visit_record` so that the progress figures move.

Seeded (`random.Random`), marked `is_demo`, and safe to run again: visits use client UUIDs
derived from the seed, so a second run finds them and records nothing new.
"""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from motcua.core.models import Hamlet, Person, Role, RoleAssignment, Sex, Unit, User
from motcua.core.selectors.units import unit_get_province
from motcua.core.text import fold
from motcua.demo import province_data as demo_data
from motcua.demo.province import DEFAULT_SEED, DEMO_COMMUNES, demo_phone
from motcua.outreach.models import (
    Affiliation,
    Campaign,
    Household,
    HouseholdMember,
    Indicator,
    IndicatorScope,
    OutreachTeam,
    TeamMember,
    Visit,
)
from motcua.outreach.progress.services import progress_households_recount
from motcua.outreach.services import teams as services_teams
from motcua.outreach.services import visits as services

HOUSEHOLDS_PER_COMMUNE = 150
_NAMESPACE = uuid.UUID("0b7d5f0e-7a43-4c1b-9a55-3c8e1e5b2d61")
_AFFILIATIONS = [
    Affiliation.YOUTH_UNION,
    Affiliation.POLICE,
    Affiliation.TELECOM,
    Affiliation.VOLUNTEER,
    Affiliation.OFFICER,
]
_RELATIONS = ["Vợ", "Chồng", "Con", "Con", "Mẹ", "Cha", "Cháu"]


@dataclass
class OutreachDemoResult:
    teams: int = 0
    members: int = 0
    households: int = 0
    visits: int = 0


def _name(rng: random.Random, surname: str | None = None) -> str:
    sex = rng.choice([Sex.MALE, Sex.FEMALE])
    surnames, weights = zip(*demo_data.SURNAMES, strict=True)
    surname = surname or rng.choices(surnames, weights=weights)[0]
    if sex == Sex.MALE:
        return f"{surname} {rng.choice(demo_data.MIDDLE_MALE)} {rng.choice(demo_data.GIVEN_MALE)}"
    return f"{surname} {rng.choice(demo_data.MIDDLE_FEMALE)} {rng.choice(demo_data.GIVEN_FEMALE)}"


def _phone(rng: random.Random) -> str:
    return demo_phone(rng)


def _demo_communes(province: Unit) -> list[Unit]:
    codes = DEMO_COMMUNES.get(int(province.code), [])
    return list(Unit.objects.filter(parent=province, code__in=codes).order_by("code"))


def _ensure_teams(commune: Unit, hamlets: list[Hamlet], rng: random.Random, result: OutreachDemoResult) -> OutreachTeam:
    team, created = OutreachTeam.objects.get_or_create(
        unit=commune, name=f"Tổ CNSCĐ {commune.name}", defaults={"is_demo": True}
    )
    result.teams += created
    planned = [(team, None)] + [
        (
            OutreachTeam.objects.get_or_create(
                unit=commune, name=f"Tổ CNSCĐ {h.name}", defaults={"hamlet": h, "is_demo": True}
            )[0],
            h,
        )
        for h in hamlets[:4]
    ]
    for each, hamlet in planned:
        if hamlet is not None and not each.hamlets.exists():
            each.hamlets.set([hamlet])
        if each.members.exists():
            continue
        result.teams += hamlet is not None
        members = [
            TeamMember(
                team=each, full_name=_name(rng), phone=_phone(rng), affiliation=_AFFILIATIONS[i % 5], is_leader=i == 0
            )
            for i in range(rng.randint(4, 7))
        ]
        TeamMember.objects.bulk_create(members)
        result.members += len(members)
    return team


def _ensure_member_accounts(commune: Unit, team: OutreachTeam, result: OutreachDemoResult) -> User | None:
    """The demo outreach_member officer of this commune joins its commune team and leads it."""
    user_ids = RoleAssignment.objects.filter(role=Role.OUTREACH_MEMBER, unit=commune).values_list("user_id", flat=True)
    first = None
    for user in User.objects.filter(pk__in=user_ids).order_by("username"):
        first = first or user
        _member, created = TeamMember.objects.get_or_create(
            team=team,
            user=user,
            defaults={
                "full_name": user.get_full_name() or user.username,
                "affiliation": Affiliation.OFFICER,
                "is_leader": True,
            },
        )
        result.members += created
        if team.leader_id is None:
            team.leader = user
            team.save(update_fields=["leader", "updated_at"])
    return first


def _ensure_households(commune: Unit, hamlets: list[Hamlet], rng: random.Random, result: OutreachDemoResult) -> None:
    if Household.objects.filter(unit=commune, is_demo=True).exists() or not hamlets:
        return
    heads = list(Person.objects.filter(unit=commune, is_demo=True, hamlet__isnull=False).order_by("personal_id"))
    plans = []
    for person in heads:
        plans.append((person.hamlet, person.full_name, person.personal_id, person.phone, person.address, person))
    number = 0
    while len(plans) < HOUSEHOLDS_PER_COMMUNE:
        number += 1
        hamlet = hamlets[number % len(hamlets)]
        address = f"Số {number * 3 + rng.randint(0, 2)}, {hamlet.name}, {commune.name}"
        plans.append((hamlet, _name(rng), None, _phone(rng), address, None))
    households = []
    for hamlet, name, personal_id, phone, address, person in plans:
        address = address or f"{hamlet.name}, {commune.name}"
        households.append(
            Household(
                unit=commune,
                hamlet=hamlet,
                head=person,
                head_name=name,
                head_personal_id=personal_id,
                address=address,
                identity_folded=f"{fold(name)}|{fold(address)}",
                phone=phone,
                member_count=1,
                is_business=rng.random() < 0.15,
                is_demo=True,
            )
        )
    Household.objects.bulk_create(households, batch_size=500)
    members = []
    for household in Household.objects.filter(unit=commune, is_demo=True).order_by("pk"):
        surname = household.head_name.split()[0]
        members.append(
            HouseholdMember(
                household=household,
                person=household.head,
                full_name=household.head_name,
                personal_id=household.head_personal_id or "",
                phone=household.phone,
                relation="Chủ hộ",
                is_head=True,
            )
        )
        extra = rng.randint(0, 4)
        members += [
            HouseholdMember(
                household=household, full_name=_name(rng, surname if i else None), relation=rng.choice(_RELATIONS)
            )
            for i in range(extra)
        ]
        Household.objects.filter(pk=household.pk).update(member_count=extra + 1)
    HouseholdMember.objects.bulk_create(members, batch_size=1000)
    result.households += len(households)


def _ensure_campaigns(commune: Unit, actor: User, today: datetime.date) -> Campaign:
    teams = list(OutreachTeam.objects.filter(unit=commune))
    campaign = Campaign.objects.filter(unit=commune, name="Ra quân cuối tuần – phổ cập dịch vụ công").first()
    if campaign is None:
        campaign = services_teams.campaign_create(
            actor=actor,
            unit=commune,
            name="Ra quân cuối tuần – phổ cập dịch vụ công",
            starts_on=today - datetime.timedelta(days=60),
            ends_on=today + datetime.timedelta(days=30),
            teams=teams,
            description="Đi từng nhà vào thứ Bảy, Chủ nhật.",
            is_demo=True,
        )
    if not Campaign.objects.filter(unit=commune, name__startswith="Khu dân cư điện tử").exists():
        services_teams.campaign_create(
            actor=actor,
            unit=commune,
            name="Khu dân cư điện tử – thí điểm",
            starts_on=today,
            ends_on=today + datetime.timedelta(days=120),
            teams=teams[:1],
            area_note="Một tuyến đường thí điểm: 100% hộ có tài khoản dịch vụ công",
            is_demo=True,
        )
    return campaign


def _record_visits(commune: Unit, actor: User, campaign: Campaign, seed: int, result: OutreachDemoResult) -> None:
    rng = random.Random(f"motcua-demo:{seed}:outreach-visits:{commune.code}")
    indicators = list(Indicator.objects.filter(is_active=True))
    now = timezone.now()
    households = list(Household.objects.filter(unit=commune, is_demo=True).prefetch_related("members").order_by("pk"))
    for household in households:
        if rng.random() > 0.45:
            continue
        members = list(household.members.all())
        helped = rng.sample(members, k=rng.randint(1, len(members)))
        ticks = []
        for indicator in indicators:
            if indicator.business_only and not household.is_business:
                continue
            if indicator.applies_to == IndicatorScope.HOUSEHOLD:
                if rng.random() < 0.4:
                    ticks.append(services.AchievementIn(indicator=indicator.code))
                continue
            ticks += [
                services.AchievementIn(indicator=indicator.code, member=m.pk) for m in helped if rng.random() < 0.5
            ]
        when = now - datetime.timedelta(days=rng.randint(0, 55), hours=rng.randint(0, 8))
        _visit, created = services.visit_record(
            actor=actor,
            household_id=household.pk,
            client_uuid=uuid.uuid5(_NAMESPACE, f"{seed}:{household.pk}"),
            helped_member_ids=[m.pk for m in helped],
            achievements=ticks,
            campaign_id=campaign.pk if rng.random() < 0.5 else None,
            visited_at=when,
        )
        if created:
            result.visits += 1


def outreach_demo_build(*, seed: int = DEFAULT_SEED, province_code: int | str | None = None) -> OutreachDemoResult:
    """Build (or complete) the outreach demo in the demo communes. Safe to run again."""
    services_teams.indicators_load_defaults()
    province = unit_get_province(code=province_code)
    result = OutreachDemoResult()
    today = timezone.localdate()
    for commune in _demo_communes(province):
        rng = random.Random(f"motcua-demo:{seed}:outreach:{commune.code}")
        hamlets = list(Hamlet.objects.filter(unit=commune).order_by("code", "name"))
        with transaction.atomic():
            team = _ensure_teams(commune, hamlets, rng, result)
            actor = _ensure_member_accounts(commune, team, result)
            _ensure_households(commune, hamlets, rng, result)
            progress_households_recount(unit=commune)
            if actor is None:
                continue
            campaign = _ensure_campaigns(commune, actor, today)
            _record_visits(commune, actor, campaign, seed, result)
            # Visits made through the service are real rows; mark the demo's so they can be told apart.
            Visit.objects.filter(
                household__unit=commune, household__is_demo=True, is_demo=False, dossier__isnull=True
            ).update(is_demo=True)
    return result
