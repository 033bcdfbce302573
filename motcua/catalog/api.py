"""Catalog endpoints: procedure search and detail, fields."""

import datetime
from typing import Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from motcua.schemas import ErrorOut

from . import selectors
from .fees import TOKENS, schedule_of, schedule_view
from .models import Procedure
from .search import search_procedures

router = Router(tags=["Thủ tục hành chính"])


class FieldRefOut(Schema):
    slug: str
    name: str


class FieldOut(FieldRefOut):
    procedure_count: int
    url: str


class ProcedureItemOut(Schema):
    code: str
    key: str
    name: str
    field: FieldRefOut
    level: Literal["province", "commune"]
    level_label: str
    time_limit_days: float
    online_level: Literal["full", "partial", "none"]
    online_level_label: str
    url: str
    score: float


class ProcedureListOut(Schema):
    total: int
    limit: int
    offset: int
    items: list[ProcedureItemOut]


class ProcedureDocumentOut(Schema):
    name: str
    originals: int
    copies: int
    form_name: str
    is_required: bool
    condition: str
    reusable_digitised: bool


class FeeOut(Schema):
    """One line of the fee schedule (see motcua.catalog.fees)."""

    name: str
    amount: int = Field(description="Mức thu (đồng); 0 với khoản do HĐND tỉnh quy định mà chưa nhập (local)")
    amount_today: int = Field(description="Mức thu áp dụng hôm nay (tính cả mức giảm tạm thời)")
    amount_text: str
    kind: Literal["base", "alternative", "extra"] = Field(
        description="base: luôn thu; alternative: một phương án trong nhóm `group`; extra: chỉ thu khi có `condition`"
    )
    group: str
    when: list[Literal["urban", "rural", "special_zone", "person", "organisation", "online", "desk"]]
    is_default: bool
    condition: str
    per_unit: str = Field(description="Đơn vị tính số lượng (bản, trang…); rỗng: một lần cho mỗi hồ sơ")
    local: bool = Field(description="Mức thu do HĐND tỉnh quy định")
    legal_basis: str
    exemption: str
    exemption_basis: str
    reduced_amount: int | None
    reduced_from: datetime.date | None
    reduced_until: datetime.date | None
    reduction_basis: str


class FeeHeadlineOut(Schema):
    text: str
    min: int | None = Field(description="Tổng thấp nhất theo các phương án (đồng); null khi còn khoản chưa có mức")
    max: int | None
    local: bool
    extras: int


class ProcedureFormFieldOut(Schema):
    """One field of the procedure's application form (see motcua.catalog.formschema)."""

    key: str
    label: str
    type: Literal["text", "textarea", "date", "choice", "number", "phone", "personal_id", "place"]
    required: bool = False
    choices: list[str] | None = None
    help: str = ""
    max_length: int | None = None
    min: int | None = None
    max: int | None = None
    not_future: bool = False
    default: str = ""
    prefill: str | None = Field(None, description="Điền sẵn từ tài khoản: person.full_name, person.birth_date, …")
    remember: bool = Field(False, description="Điền sẵn từ hồ sơ gần nhất của cùng thủ tục")
    section: str = ""


class ProcedureDetailOut(Schema):
    code: str
    key: str
    name: str
    field: FieldRefOut
    level: Literal["province", "commune"]
    level_label: str
    agency_kind: str
    agency_kind_label: str
    agency_note: str
    applicants: str
    time_limit_days: float
    time_limit_text: str
    on_the_spot: bool
    online_level: Literal["full", "partial", "none"]
    online_level_label: str
    result_type: str
    requirements: str
    documents: list[ProcedureDocumentOut]
    fees: list[FeeOut]
    fee_headline: FeeHeadlineOut
    fee_text: str
    legal_basis: list[Any]
    steps: list[Any]
    valid_from: datetime.date
    check_notes: str
    updated_at: datetime.datetime
    url: str
    qr_svg_url: str
    qr_png_url: str
    form_schema: list[ProcedureFormFieldOut] = Field(
        ..., description="Tờ khai: các trường thông tin người nộp khai khi nộp hồ sơ (`form_data` của hồ sơ)."
    )


def _fees(procedure: Procedure) -> dict:
    view = schedule_view(schedule_of(procedure), timezone.localdate())
    lines = [
        # Only tokens the schema names: a row written outside the admin and the importer cannot break the page.
        {**line, "when": [t for t in line["when"].split() if t in TOKENS], "amount_today": line["unit_amount"]}
        for line in view["lines"]
    ]
    return {"fees": lines, "fee_headline": view["headline"]}


def _absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL + path


def _item(procedure: Procedure, score: float) -> dict:
    return {
        "code": procedure.code,
        "key": procedure.key,
        "name": procedure.name,
        "field": procedure.field,
        "level": procedure.level,
        "level_label": procedure.get_level_display(),
        "time_limit_days": float(procedure.time_limit_days),
        "online_level": procedure.online_level,
        "online_level_label": procedure.get_online_level_display(),
        "url": _absolute(procedure.get_absolute_url()),
        "score": score,
    }


@router.get(
    "/procedures",
    response={200: ProcedureListOut, 422: ErrorOut},
    summary="Tìm thủ tục hành chính",
    description=(
        "Tìm theo từ khóa, có dấu hay không dấu, gõ sai chính tả nhẹ hay dùng từ thường ngày "
        "(“sổ đỏ”, “làm giấy khai sinh cho con”); kết quả phù hợp nhất đứng đầu. Không có `q`: "
        "liệt kê tất cả theo lĩnh vực và tên. Lỗi 422 `invalid_level`, `invalid_field` hoặc "
        "`validation_error` khi tham số không hợp lệ."
    ),
)
def procedure_search(
    request,
    q: str = Query("", max_length=500, description="Từ khóa tìm kiếm"),
    field: str | None = Query(None, max_length=64, description="Mã lĩnh vực (slug), ví dụ `ho-tich`"),
    level: str | None = Query(None, description="Cấp thực hiện: `province` (cấp tỉnh) hoặc `commune` (cấp xã)"),
    limit: int = Query(20, ge=1, le=100),
    offset: int = Query(0, ge=0, le=100_000),
):
    results = search_procedures(q, field=field or None, level=level or None, limit=limit, offset=offset)
    return {
        "total": results.total,
        "limit": limit,
        "offset": offset,
        "items": [_item(hit.procedure, hit.score) for hit in results],
    }


@router.get(
    "/procedures/{code}",
    response={200: ProcedureDetailOut, 404: ErrorOut},
    summary="Chi tiết thủ tục hành chính",
    description="Thành phần hồ sơ, phí, căn cứ pháp lý, trình tự, tờ khai. Lỗi 404 `procedure_not_found`.",
)
def procedure_get(request, code: str):
    procedure = selectors.procedure_detail(code)
    page = procedure.get_absolute_url()
    return {
        **_item(procedure, 0.0),
        "agency_kind": procedure.agency_kind,
        "agency_kind_label": procedure.get_agency_kind_display(),
        "agency_note": procedure.agency_note,
        "applicants": procedure.applicants,
        "time_limit_text": procedure.time_limit_text,
        "on_the_spot": procedure.on_the_spot,
        "result_type": procedure.result_type,
        "requirements": procedure.requirements,
        "documents": list(procedure.documents.all()),
        **_fees(procedure),
        "fee_text": procedure.fee_text,
        "legal_basis": procedure.legal_basis or [],
        "steps": procedure.steps or [],
        "valid_from": procedure.valid_from,
        "check_notes": procedure.check_notes,
        "updated_at": procedure.updated_at,
        "qr_svg_url": _absolute(page + "qr.svg"),
        "qr_png_url": _absolute(page + "qr.png"),
        "form_schema": procedure.form_schema or [],
    }


@router.get("/fields", response=list[FieldOut], summary="Lĩnh vực và số thủ tục")
def field_list(request):
    return [
        {
            "slug": f.slug,
            "name": f.name,
            "procedure_count": f.procedure_count,
            "url": _absolute(f.get_absolute_url()),
        }
        for f in selectors.field_list_with_counts()
    ]
