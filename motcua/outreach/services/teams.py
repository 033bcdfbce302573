"""Writes for teams, their members, campaigns, and the province's starting indicators."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound
from motcua.core.identity import normalize_phone
from motcua.core.models import Unit, User
from motcua.core.transitions import audit_record

from ..models import Affiliation, Campaign, Indicator, IndicatorScope, OutreachTeam, TeamMember
from ..selectors.area import outreach_area_for

# --- teams and campaigns ------------------------------------------------------------------------


def _commune_of_scope(actor: User, unit: Unit) -> None:
    if actor.is_superuser:
        return
    if unit.pk not in outreach_area_for(actor).unit_ids:
        raise NotFound(code="unit_not_found")


def team_create(
    *,
    actor: User,
    unit: Unit,
    name: str,
    hamlet=None,
    hamlets: Iterable = (),
    leader: User | None = None,
    is_demo: bool = False,
) -> OutreachTeam:
    """A team for a commune (no hamlet) or for one hamlet; `hamlets` is the area it covers."""
    _commune_of_scope(actor, unit)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Vui lòng nhập tên tổ."), code="team_name_required", status=422)
    hamlets = list(hamlets)
    if hamlet is not None and hamlet not in hamlets:
        hamlets.append(hamlet)
    if any(h.unit_id != unit.pk for h in hamlets):
        raise DomainError(_("Ấp, khóm phụ trách phải thuộc xã của tổ."), code="hamlet_outside_unit", status=422)
    if OutreachTeam.objects.filter(unit=unit, name=name).exists():
        raise DomainError(_("Xã này đã có tổ cùng tên."), code="team_exists", status=409)
    with transaction.atomic():
        team = OutreachTeam.objects.create(unit=unit, hamlet=hamlet, name=name, leader=leader, is_demo=is_demo)
        if hamlets:
            team.hamlets.set(hamlets)
        audit_record(actor=actor, action="outreach.team_created", object_type="outreach_team", object_id=team.pk)
    return team


def team_member_add(
    *,
    actor: User,
    team: OutreachTeam,
    full_name: str,
    phone: str = "",
    affiliation: str = Affiliation.OTHER,
    user: User | None = None,
    is_leader: bool = False,
) -> TeamMember:
    """Add a person to a team (with an account, to let them record visits). Adding an account
    already in the team returns its membership, reactivated."""
    _commune_of_scope(actor, team.unit)
    if affiliation not in Affiliation.values:
        raise DomainError(_("Thành phần không hợp lệ."), code="invalid_affiliation", status=422)
    full_name = " ".join((full_name or "").split()) or (user.get_full_name() if user else "")
    if not full_name:
        raise DomainError(_("Vui lòng nhập họ tên thành viên."), code="member_name_required", status=422)
    if phone:
        try:
            phone = normalize_phone(phone)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), code="invalid_phone", status=422)
    with transaction.atomic():
        member = TeamMember.objects.filter(team=team, user=user).first() if user else None
        if member is None:
            member = TeamMember.objects.create(
                team=team, user=user, full_name=full_name, phone=phone, affiliation=affiliation, is_leader=is_leader
            )
        elif not member.is_active:
            member.is_active = True
            member.save(update_fields=["is_active", "updated_at"])
        if is_leader and user is not None and team.leader_id != user.pk:
            team.leader = user
            team.save(update_fields=["leader", "updated_at"])
        audit_record(
            actor=actor,
            action="outreach.team_member_added",
            object_type="outreach_team",
            object_id=team.pk,
            data={"member": member.pk},
        )
    return member


def campaign_create(
    *,
    actor: User,
    unit: Unit,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    teams: Iterable[OutreachTeam] = (),
    description: str = "",
    area_note: str = "",
    is_demo: bool = False,
) -> Campaign:
    """A drive (a weekend push, an electronic residential area pilot) with its dates and teams."""
    _commune_of_scope(actor, unit)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Vui lòng nhập tên đợt ra quân."), code="campaign_name_required", status=422)
    if ends_on < starts_on:
        raise DomainError(_("Ngày kết thúc phải sau ngày bắt đầu."), code="campaign_dates", status=422)
    teams = list(teams)
    if any(t.unit_id != unit.pk for t in teams):
        raise DomainError(_("Các tổ tham gia phải thuộc xã tổ chức đợt."), code="team_outside_unit", status=422)
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name,
            unit=unit,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description.strip(),
            area_note=area_note.strip(),
            is_demo=is_demo,
        )
        campaign.teams.set(teams)
        audit_record(
            actor=actor, action="outreach.campaign_created", object_type="outreach_campaign", object_id=campaign.pk
        )
    return campaign


INDICATORS = [
    # (code, name, short name, applies to, business only)
    ("dvc_account", "Có tài khoản dịch vụ công trực tuyến", "Tài khoản DVC", IndicatorScope.PERSON, False),
    ("vneid_level2", "Có tài khoản định danh điện tử VNeID mức 2", "VNeID mức 2", IndicatorScope.PERSON, False),
    ("citizen_app", "Đã cài ứng dụng công dân số của tỉnh", "App công dân", IndicatorScope.PERSON, False),
    ("sim_owner", "SIM di động đứng tên chính chủ", "SIM chính chủ", IndicatorScope.PERSON, False),
    ("cashless", "Có tài khoản thanh toán không dùng tiền mặt", "Thanh toán số", IndicatorScope.PERSON, False),
    (
        "ecommerce_seller",
        "Có tài khoản bán hàng trên sàn thương mại điện tử",
        "Bán hàng TMĐT",
        IndicatorScope.HOUSEHOLD,
        True,
    ),
    ("ehealth_record", "Có sổ sức khỏe điện tử", "Sổ sức khỏe ĐT", IndicatorScope.PERSON, False),
    ("zalo_group", "Đã tham gia nhóm Zalo của khu dân cư", "Nhóm Zalo", IndicatorScope.HOUSEHOLD, False),
]


def indicators_load_defaults() -> int:
    """Seed the province's starting indicators; existing rows (maybe renamed by the province) stay
    as they are. Returns how many were created."""
    created = 0
    with transaction.atomic():
        for order, (code, name, short, scope, business) in enumerate(INDICATORS, 1):
            _obj, was_created = Indicator.objects.get_or_create(
                code=code,
                defaults={
                    "name": name,
                    "short_name": short,
                    "applies_to": scope,
                    "business_only": business,
                    "order": order * 10,
                },
            )
            created += was_created
    return created
