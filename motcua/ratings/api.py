"""Satisfaction ratings API: reasons, rate by token (no login), rate one's own dossier, statistics.

Error codes (JSON {"code", "message"}): rating_token_invalid (404), rating_already_done (409),
rating_token_expired (410), rating_level_invalid / rating_reasons_invalid /
rating_comment_too_long (422), rating_not_returned (409), dossier_not_found (404),
rating_stats_not_found (404: not a manager or leader), unauthenticated (401).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from motcua.core.errors import NotFound
from motcua.dossiers.models import Dossier
from motcua.schemas import ErrorOut, column_text

from . import selectors, services
from .models import Rating, RatingChannel

router = Router(tags=["Đánh giá mức độ hài lòng"])


class ReasonOut(Schema):
    code: str
    text: str
    positive: bool = Field(..., description="Lý do tích cực: chỉ chọn được khi mức độ từ “Hài lòng” trở lên.")


class RatingIn(Schema):
    level: int = Field(..., ge=1, le=4, description="4 Rất hài lòng, 3 Hài lòng, 2 Chấp nhận được, 1 Không hài lòng.")
    reasons: list[str] = Field(default_factory=list, description="Mã lý do (xem GET /ratings/reasons).")
    comment: str = Field("", max_length=1000)


class TokenRatingIn(RatingIn):
    channel: column_text(Rating, "channel") = Field("sms", description="sms | zalo: kênh đã gửi đường dẫn.")


class RatingOut(Schema):
    id: int
    level: int
    level_label: str
    reasons: list[str]
    comment: str
    channel: str
    rated_at: datetime.datetime
    dossier_code: str | None = None


class InvitationOut(Schema):
    dossier_code: str | None
    procedure_name: str | None
    expires_at: datetime.datetime
    reasons: list[ReasonOut]


class FiguresOut(Schema):
    very_satisfied: int
    satisfied: int
    acceptable: int
    not_satisfied: int
    total: int
    rate: Decimal | None = Field(None, description="(Rất hài lòng + Hài lòng + Chấp nhận được) / tổng, phần trăm.")
    strict_rate: Decimal | None = Field(None, description="(Rất hài lòng + Hài lòng) / tổng, phần trăm.")


class StatsRowOut(FiguresOut):
    key: int
    name: str


class StatsMonthOut(FiguresOut):
    month: datetime.date


class RatingStatsOut(Schema):
    dimension: str
    since: datetime.date
    until: datetime.date
    overall: FiguresOut
    months: list[StatsMonthOut]
    rows: list[StatsRowOut]


class StatsQuery(Schema):
    dimension: str = Field("agency", description="officer | counter | procedure | agency | unit")
    since: datetime.date | None = Field(None, description="Tháng đầu (ngày bất kỳ trong tháng).")
    until: datetime.date | None = Field(None, description="Tháng cuối.")
    subject: str = Field("dossier", description="dossier | field_report")


def _out(rating: Rating) -> dict:
    return {
        "id": rating.pk,
        "level": rating.level,
        "level_label": rating.get_level_display(),
        "reasons": [r.code for r in rating.reasons.all()],
        "comment": rating.comment,
        "channel": rating.channel,
        "rated_at": rating.rated_at,
        "dossier_code": rating.dossier.code if rating.dossier_id else None,
    }


def _reasons() -> list[dict]:
    return [{"code": r.code, "text": r.text, "positive": r.positive} for r in selectors.reasons_active()]


@router.get("/ratings/reasons", response=list[ReasonOut], summary="Danh mục lý do đánh giá")
def reasons(request):
    return _reasons()


@router.get(
    "/ratings/token/{token}",
    response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut},
    summary="Kiểm tra đường dẫn đánh giá",
)
def invitation(request, token: str):
    found = services.invitation_for_token(token)
    dossier = found.dossier
    return {
        "dossier_code": dossier.code if dossier else None,
        "procedure_name": dossier.procedure.name if dossier else None,
        "expires_at": found.expires_at,
        "reasons": _reasons(),
    }


@router.post(
    "/ratings/token/{token}",
    response={201: RatingOut, 404: ErrorOut, 409: ErrorOut, 410: ErrorOut, 422: ErrorOut},
    summary="Đánh giá bằng đường dẫn một lần (không cần đăng nhập)",
)
def rate_by_token(request, token: str, payload: TokenRatingIn):
    channel = payload.channel if payload.channel in (RatingChannel.SMS, RatingChannel.ZALO) else RatingChannel.SMS
    rating = services.rating_submit(
        token=token, level=payload.level, reason_codes=payload.reasons, comment=payload.comment, channel=channel
    )
    return Status(201, _out(rating))


@router.post(
    "/ratings/dossiers/{code}",
    auth=django_auth,
    response={201: RatingOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Công dân đánh giá hồ sơ của mình",
)
def rate_own_dossier(request, code: str, payload: RatingIn):
    dossier = Dossier.objects.filter(code=code).first()
    # Same check as the page, before validating the answer: someone else's dossier is a 404 whatever they send.
    if dossier is None or not services.may_rate_dossier(request.user, dossier):
        raise NotFound(code="dossier_not_found")
    rating = services.rating_submit(
        dossier=dossier,
        actor=request.user,
        level=payload.level,
        reason_codes=payload.reasons,
        comment=payload.comment,
        channel=RatingChannel.PORTAL,
    )
    return Status(201, _out(rating))


@router.get(
    "/ratings/stats",
    auth=django_auth,
    response={200: RatingStatsOut, 401: ErrorOut, 404: ErrorOut},
    summary="Thống kê mức độ hài lòng (trong phạm vi quản lý)",
)
def stats(request, query: Query[StatsQuery]):
    scope = selectors.stats_scope_for(request.user)
    since, until = selectors.month_range(query.since, query.until)
    rows = selectors.stats_table(
        request.user, dimension=query.dimension, since=since, until=until, subject=query.subject, scope=scope
    )
    months = selectors.stats_by_month(request.user, since=since, until=until, subject=query.subject, scope=scope)
    overall = selectors.Figures()
    for row in months:
        overall.add(row)
    return {
        "dimension": query.dimension,
        "since": since,
        "until": until,
        "overall": overall.as_dict(),
        "months": months,
        "rows": rows,
    }
