"""Service-index API (`/api/v1/index/...`): the reader's score card and the agency/commune rankings.

Error codes (JSON {"code", "message"}): index_not_found (404: no leader, manager or administrator
role), index_bad_period (422: `ky` not 2026-11, 2026-Q4 or 2026), index_no_definition (422),
unauthenticated (401). The public figures: `/index/public` (no sign-in)."""

from __future__ import annotations

from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from motcua.schemas import ErrorOut

from . import selectors
from .periods import period_parse
from .scoring import ScoreCard, q2

router = Router(tags=["Chỉ số phục vụ người dân, doanh nghiệp"])


class IndexIndicatorOut(Schema):
    code: str
    name: str
    measure: str
    measured: bool
    numerator: int
    denominator: int
    rate: float | None
    target_rate: float
    points: float
    earned: float | None
    needs_review: bool


class GroupOut(Schema):
    code: str
    name: str
    max_points: float
    score: float | None
    indicators: list[IndexIndicatorOut]


class CardOut(Schema):
    period: str
    scope: str
    legal_basis: str
    total: float | None
    max_total: float
    groups: list[GroupOut]


class RowOut(Schema):
    id: int
    code: str
    name: str
    rank: int | None
    total: float | None
    previous: float | None
    change: float | None


class PeriodQuery(Schema):
    ky: str = Field("", max_length=7, description="2026-11, 2026-Q4 hoặc 2026; trống: tháng này")


class TableQuery(PeriodQuery):
    by: Literal["agency", "unit"] = "agency"


def _f(value) -> float | None:
    return None if value is None else float(q2(value))


def _card(card: ScoreCard, period, scope: str) -> dict:
    return {
        "period": period.key, "scope": scope, "legal_basis": card.definition.legal_basis,
        "total": _f(card.total), "max_total": float(card.max_total),
        "groups": [
            {
                "code": g.group.code, "name": g.group.name, "max_points": float(g.max_points), "score": _f(g.score),
                "indicators": [
                    {
                        "code": i.indicator.code, "name": i.indicator.name, "measure": i.indicator.measure,
                        "measured": i.measured, "numerator": i.numerator, "denominator": i.denominator,
                        "rate": _f(i.rate), "target_rate": float(i.indicator.target_rate),
                        "points": float(i.indicator.points), "earned": _f(i.earned) if i.applicable else None,
                        "needs_review": i.indicator.needs_review,
                    }
                    for i in g.indicators
                ],
            }
            for g in card.groups
        ],
    }  # fmt: skip


@router.get(
    "/index/score", auth=django_auth, response={200: CardOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Điểm chỉ số trong phạm vi quản lý",
)  # fmt: skip
def score(request, query: Query[PeriodQuery]):
    reach = selectors.reach_for(request.user)
    period = period_parse(query.ky)
    return _card(selectors.card_for(period, reach.agency_ids), period, reach.label)


@router.get(
    "/index/table", auth=django_auth, response={200: list[RowOut], 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Xếp hạng cơ quan hoặc xã, phường",
)  # fmt: skip
def table(request, query: Query[TableQuery]):
    reach = selectors.reach_for(request.user)
    period = period_parse(query.ky)
    rows = selectors.table(period, by=query.by, agency_ids=reach.agency_ids)
    return [
        {"id": r.key, "code": r.code, "name": r.name, "rank": r.rank, "total": _f(r.total),
         "previous": _f(r.previous), "change": _f(r.change)}
        for r in rows
    ]  # fmt: skip


@router.get("/index/public", response={200: CardOut, 422: ErrorOut}, summary="Chỉ số của tỉnh (công khai)")
def public(request, query: Query[PeriodQuery]):
    period = period_parse(query.ky)
    return _card(selectors.card_for(period), period, "")
