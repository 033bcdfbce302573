"""Community digital team API (for the mobile app): households in my area, indicators, recording
a visit (idempotent on client_uuid), my recent visits.

Error codes (JSON {"code", "message"}): unauthenticated (401), household_not_found (404),
client_uuid_conflict (409), photo_too_large (413), photo_invalid (415), indicator_not_found /
indicator_member_required / indicator_business_only / member_not_in_household / campaign_not_active /
invalid_client_uuid / validation_error (422).
"""

from __future__ import annotations

import datetime
import uuid

from django.db.models import prefetch_related_objects
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.schemas import ErrorOut

from .models import Visit
from .selectors import households as household_selectors
from .selectors import teams as team_selectors
from .services import visits as services

router = Router(tags=["Tổ công nghệ số cộng đồng"], auth=django_auth)

ERRORS = {401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class HouseholdListIn(Schema):
    q: str = Field("", max_length=100, description="Tên chủ hộ hoặc địa chỉ (không dấu cũng được), số điện thoại")
    hamlet: int | None = None
    limit: int = Field(30, ge=1, le=100)
    offset: int = Field(0, ge=0)


class HouseholdOut(Schema):
    id: int
    head_name: str
    address: str
    phone: str
    hamlet_id: int
    hamlet: str
    unit_id: int
    member_count: int
    is_business: bool


class HouseholdListOut(Schema):
    count: int
    items: list[HouseholdOut]


class MemberOut(Schema):
    id: int
    full_name: str
    relation: str
    is_head: bool
    phone: str


class AchievementOut(Schema):
    indicator: str
    member: int | None
    achieved_at: datetime.datetime


class HouseholdDetailOut(HouseholdOut):
    members: list[MemberOut]
    achievements: list[AchievementOut]


class IndicatorOut(Schema):
    code: str
    name: str
    short_name: str
    applies_to: str
    business_only: bool


class AchievementIn(Schema):
    indicator: str = Field(..., description="Mã chỉ tiêu, ví dụ dvc_account")
    member: int | None = Field(None, description="Thành viên của hộ; bỏ trống với chỉ tiêu của cả hộ")


class VisitIn(Schema):
    client_uuid: uuid.UUID = Field(..., description="Sinh trên điện thoại; gửi lại cùng mã sẽ không tạo lượt mới")
    household: int
    helped_members: list[int] = []
    achievements: list[AchievementIn] = []
    note: str = Field("", max_length=2000)
    campaign: int | None = None
    visited_at: datetime.datetime | None = Field(None, description="Lúc ghi nhận trên máy (khi gửi muộn)")


class MineIn(Schema):
    limit: int = Field(20, ge=1, le=100)


class VisitOut(Schema):
    id: int
    client_uuid: uuid.UUID
    household: int
    visited_at: datetime.datetime
    team: int | None
    campaign: int | None
    dossier: int | None
    helped_members: list[int]
    achievements: list[AchievementOut]
    has_photo: bool


def _household_out(h) -> dict:
    return {
        "id": h.pk,
        "head_name": h.head_name,
        "address": h.address,
        "phone": h.phone,
        "hamlet_id": h.hamlet_id,
        "hamlet": h.hamlet.name,
        "unit_id": h.unit_id,
        "member_count": h.member_count,
        "is_business": h.is_business,
    }


def _achievement_out(a) -> dict:
    return {"indicator": a.indicator.code, "member": a.member_id, "achieved_at": a.achieved_at}


# Kept in step with selectors.teams.visit_list_mine, which prefetches the same relations.
_VISIT_PREFETCH = ("helped_members", "achievements__indicator")


def _visit_out(visit: Visit) -> dict:
    # Reads only prefetched relations (see _VISIT_PREFETCH): a list of visits costs a fixed number of queries.
    return {
        "id": visit.pk,
        "client_uuid": visit.client_uuid,
        "household": visit.household_id,
        "visited_at": visit.visited_at,
        "team": visit.team_id,
        "campaign": visit.campaign_id,
        "dossier": visit.dossier_id,
        "helped_members": sorted(m.pk for m in visit.helped_members.all()),
        "achievements": [_achievement_out(a) for a in visit.achievements.all()],
        "has_photo": bool(visit.photo),
    }


@router.get(
    "/outreach/households",
    response={200: HouseholdListOut, 401: ErrorOut, 422: ErrorOut},
    summary="Hộ gia đình trên địa bàn của tôi",
    description="Thành viên tổ thấy hộ trong địa bàn tổ phụ trách; lãnh đạo xã thấy cả xã; quản lý tỉnh không xem danh sách hộ.",
)
def household_list(request, params: Query[HouseholdListIn]):
    households = household_selectors.household_list_for(request.auth, q=params.q, hamlet_id=params.hamlet)
    return {
        "count": households.count(),
        "items": [_household_out(h) for h in households[params.offset : params.offset + params.limit]],
    }


@router.get(
    "/outreach/households/{household_id}",
    response={200: HouseholdDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="Một hộ: thành viên và chỉ tiêu đã đạt",
    description="Trả 404 cả khi hộ nằm ngoài địa bàn được xem.",
)
def household_detail(request, household_id: int):
    household = household_selectors.household_get_for(request.auth, household_id)
    return {
        **_household_out(household),
        "members": [
            {"id": m.pk, "full_name": m.full_name, "relation": m.relation, "is_head": m.is_head, "phone": m.phone}
            for m in household.members.all()
        ],
        "achievements": [_achievement_out(a) for a in household.achievements.select_related("indicator")],
    }


@router.get(
    "/outreach/indicators",
    response={200: list[IndicatorOut], 401: ErrorOut},
    summary="Các chỉ tiêu số đang dùng",
)
def indicator_list(request):
    return list(team_selectors.indicator_list())


@router.post(
    "/outreach/visits",
    response={200: VisitOut, 201: VisitOut, **ERRORS},
    summary="Ghi nhận một lượt hỗ trợ",
    description=(
        "Idempotent theo `client_uuid`: lần đầu trả 201 với lượt mới; gửi lại cùng mã trả 200 với đúng lượt đó "
        "và không tính thêm. Lỗi: household_not_found (404), client_uuid_conflict (409), indicator_* / "
        "member_not_in_household / campaign_not_active (422)."
    ),
)
def visit_create(request, payload: VisitIn):
    visit, created = services.visit_record(
        actor=request.auth,
        household_id=payload.household,
        client_uuid=payload.client_uuid,
        helped_member_ids=payload.helped_members,
        achievements=[services.AchievementIn(indicator=a.indicator, member=a.member) for a in payload.achievements],
        note=payload.note,
        campaign_id=payload.campaign,
        visited_at=payload.visited_at,
    )
    prefetch_related_objects([visit], *_VISIT_PREFETCH)
    return Status(201 if created else 200, _visit_out(visit))


@router.post(
    "/outreach/visits/{client_uuid}/photo",
    response={200: VisitOut, 401: ErrorOut, 404: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut},
    summary="Gắn ảnh cho một lượt hỗ trợ đã ghi nhận",
    description="Gửi lại cùng ảnh cho lượt đã có ảnh không thay ảnh cũ (idempotent).",
)
def visit_photo(request, client_uuid: uuid.UUID, photo: File[UploadedFile]):
    visit = services.visit_photo_attach(actor=request.auth, client_uuid=client_uuid, photo=photo)
    prefetch_related_objects([visit], *_VISIT_PREFETCH)
    return _visit_out(visit)


@router.get(
    "/outreach/visits/mine",
    response={200: list[VisitOut], 401: ErrorOut},
    summary="Các lượt hỗ trợ tôi ghi nhận gần đây",
)
def visit_list_mine(request, params: Query[MineIn]):
    return [_visit_out(v) for v in team_selectors.visit_list_mine(request.auth, limit=params.limit)]
