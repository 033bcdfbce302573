"""Dossier reads: one dossier, lists and queues, the public lookup, office statistics and the managers'
figures (`GET /dossiers/figures`: the same numbers as the statistics page and its Excel file).

Error codes (JSON {"code", "message"}): unauthenticated (401), dossier_not_found / agency_not_found (404),
invalid_queue / invalid_cursor / invalid_period / validation_error (422), too_many_attempts (429);
officers_only (403) for the figures asked by a citizen.
A dossier outside the reader's scope is a 404, like one that does not exist.

`GET /dossiers` shares its path with the intake router's `POST /dossiers`. Ninja makes one URL pattern
per router and path, so a GET on a second router would never be reached (the first pattern answers 405);
the list operation is therefore registered on the intake router.
"""

import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.security import django_auth

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.net import client_address
from motcua.core.selectors import user_is_officer
from motcua.core.text import display_name
from motcua.dossiers import selectors
from motcua.dossiers.api.intake import router as intake_router
from motcua.dossiers.forms_pdf import forms_available
from motcua.dossiers.models import CLOCK_PAUSED, NATIONAL_STATUS_CODE, Dossier
from motcua.dossiers.selectors import figures as selectors_figures
from motcua.dossiers.selectors import lookup as selectors_lookup
from motcua.dossiers.selectors import stats as selectors_stats
from motcua.schemas import ErrorOut

router = Router(tags=["Hồ sơ – tra cứu"])


ERRORS = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class DossierSummaryOut(Schema):
    code: str | None
    status: str
    status_label: str
    national_status_code: int | None
    procedure_code: str
    procedure_name: str
    applicant_name: str
    receiving_agency: str
    received_at: datetime.datetime | None
    due_at: datetime.datetime | None
    apology_due_at: datetime.datetime | None
    overdue: bool = Field(..., description="Đang xử lý và đã quá hạn (không tính khi chờ công dân).")
    current_assignee: str | None = None


class DossierListOut(Schema):
    items: list[DossierSummaryOut]
    next_cursor: str | None = Field(None, description="Truyền vào `after` để lấy trang sau; null khi hết.")


class StepOut(Schema):
    order: int
    name: str
    kind: str
    agency: str
    state: str
    state_label: str
    started_at: datetime.datetime | None
    due_at: datetime.datetime | None
    finished_at: datetime.datetime | None


class DossierDocumentOut(Schema):
    id: int
    kind: str
    name: str
    content_type: str
    size: int
    paper_received: bool


class DossierEventOut(Schema):
    at: datetime.datetime
    action: str
    label: str
    from_status: str
    to_status: str
    note: str | None = Field(
        None, description="Chỉ cán bộ thấy ghi chú nội bộ; công dân thấy ghi chú sự kiện công khai."
    )


class SupplementOut(Schema):
    created_at: datetime.datetime
    items: list
    note: str
    completed_at: datetime.datetime | None


class FormOut(Schema):
    slug: str
    label: str
    url: str = Field(..., description="Tệp PDF của biểu mẫu (trang, cần đăng nhập).")


class FormAnswerOut(Schema):
    key: str
    label: str
    section: str
    value: str = Field(..., description="Câu trả lời để hiển thị (ngày dạng dd/mm/yyyy).")


class DossierDetailOut(DossierSummaryOut):
    channel: str
    channel_label: str
    result_delivery: str
    delivery_address: str
    submitted_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    returned_at: datetime.datetime | None
    supplement_count: int
    steps: list[StepOut]
    documents: list[DossierDocumentOut]
    events: list[DossierEventOut]
    supplement_requests: list[SupplementOut]
    forms: list[FormOut] = Field(..., description="Chỉ các biểu mẫu áp dụng cho hồ sơ ở tình trạng hiện tại.")
    form_data: dict[str, Any] = Field(..., description="Nội dung tờ khai: câu trả lời theo mã trường.")
    form_answers: list[FormAnswerOut] = Field(..., description="Nội dung tờ khai kèm nhãn, theo thứ tự tờ khai.")


class PublicEventOut(Schema):
    at: datetime.datetime
    label: str


class LookupOut(Schema):
    code: str
    procedure_name: str
    status: str
    status_label: str
    national_status_code: int | None
    current_step: str | None
    expected_at: datetime.datetime | None = Field(
        ..., description="Ngày hẹn trả; ngày hẹn mới nếu đã có phiếu xin lỗi."
    )
    apology: bool
    receiving_agency: str
    applicant_masked: str = Field(..., description="Tên người nộp đã che, ví dụ N*** V*** A***.")
    history: list[PublicEventOut]


class ProcedureStatsOut(Schema):
    procedure_code: str
    procedure_name: str
    received: int
    finished: int
    finished_on_time: int
    finished_late: int
    in_progress: int
    in_progress_on_time: int
    in_progress_overdue: int


class StatsIn(Schema):
    agency: str = Field(..., max_length=32, description="Mã định danh cơ quan.")
    date_from: datetime.date = Field(..., alias="from", description="Từ ngày (YYYY-MM-DD).")
    date_to: datetime.date = Field(..., alias="to", description="Đến ngày (YYYY-MM-DD), tính cả ngày này.")


class DossierStatsOut(Schema):
    agency: str
    agency_name: str
    date_from: datetime.date
    date_to: datetime.date
    received: int
    finished: int
    finished_on_time: int
    finished_late: int
    in_progress: int
    in_progress_on_time: int
    in_progress_overdue: int
    by_procedure: list[ProcedureStatsOut]


def _summary(dossier: Dossier) -> dict:
    assignee = dossier.current_assignee
    return {
        "code": dossier.code,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "national_status_code": NATIONAL_STATUS_CODE.get(dossier.status),
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "applicant_name": dossier.applicant_name,
        "receiving_agency": dossier.receiving_agency.code,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "apology_due_at": dossier.apology_due_at,
        "overdue": bool(getattr(dossier, "is_overdue", False)),
        "current_assignee": display_name(assignee) if assignee else None,
    }


class FiguresIn(Schema):
    period: str | None = Field(
        None, max_length=10, description="month | quarter | year | custom; mặc định: năm nay (custom khi có from/to)."
    )
    year: int | None = Field(None, description="Năm của kỳ (2000–2100).")
    month: int | None = Field(None, description="Tháng (1–12) khi period=month.")
    quarter: int | None = Field(None, description="Quý (1–4) khi period=quarter.")
    date_from: datetime.date | None = Field(None, alias="from", description="Từ ngày (YYYY-MM-DD), period=custom.")
    date_to: datetime.date | None = Field(None, alias="to", description="Đến ngày (YYYY-MM-DD), tính cả ngày này.")
    sort: str | None = Field(None, max_length=16, description="Xếp hạng theo on_time_rate (mặc định), overdue, volume.")


class FigureRowOut(Schema):
    received: int
    finished: int
    finished_on_time: int
    finished_late: int
    in_progress: int
    in_progress_on_time: int
    in_progress_overdue: int
    on_time_rate: float | None = Field(description="Tỷ lệ giải quyết đúng hạn (%), null khi chưa giải quyết hồ sơ nào.")


class AgencyFiguresOut(FigureRowOut):
    rank: int
    code: str
    name: str


class UnitFiguresOut(FigureRowOut):
    rank: int
    id: int
    name: str
    commune: bool
    agencies: int


class ChannelFiguresOut(Schema):
    channel: str
    label: str
    received: int


class MonthFiguresOut(Schema):
    month: datetime.date
    received: int
    finished: int
    finished_on_time: int
    finished_late: int
    on_time_rate: float | None


class DossierFiguresOut(Schema):
    scope: str
    period: str
    date_from: datetime.date
    date_to: datetime.date
    sort: str
    agency_count: int
    totals: FigureRowOut
    by_agency: list[AgencyFiguresOut]
    by_unit: list[UnitFiguresOut]
    channels: list[ChannelFiguresOut]
    trend: list[MonthFiguresOut]


@router.get(
    "/dossiers/figures",
    auth=django_auth,
    response={200: DossierFiguresOut, 403: ErrorOut, **ERRORS},
    summary="Số liệu giải quyết hồ sơ trong phạm vi được giao: tổng, theo cơ quan, theo địa bàn, 12 tháng",
)
def dossier_figures(request, params: Query[FiguresIn]):
    if not user_is_officer(request.auth):
        raise PermissionDenied(_("Chỉ cán bộ được xem số liệu giải quyết hồ sơ."), code="officers_only")
    # The page's own reading of a period, so the API and the page refuse and default alike.
    raw = params.model_dump(by_alias=True)
    period = selectors_figures.period_from_params({key: "" if v is None else str(v) for key, v in raw.items()})
    data = selectors_figures.figures_for(request.auth, period=period, sort=params.sort or "on_time_rate")
    return {
        **data,
        "scope": data["scope_label"],
        "period": period.kind,
        "date_from": period.date_from,
        "date_to": period.date_to,
    }


@router.get(
    "/dossiers/stats",
    auth=django_auth,
    response={200: DossierStatsOut, **ERRORS},
    summary="Thống kê hồ sơ của một cơ quan trong một khoảng thời gian",
)
def dossier_stats(request, params: Query[StatsIn]):
    stats = selectors_stats.office_statistics(
        request.auth, agency=params.agency, date_from=params.date_from, date_to=params.date_to
    )
    return {**stats, "agency": stats["agency"].code, "agency_name": stats["agency"].name}


@router.get(
    "/lookup",
    response={200: LookupOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Tra cứu công khai bằng mã hồ sơ và 4 số cuối điện thoại",
    description="Sai mã hoặc sai số điện thoại đều trả cùng một lỗi 404. Quá nhiều lần sai từ một địa chỉ: 429.",
)
def dossier_lookup(request, code: str = Query(..., max_length=48), phone4: str = Query(..., max_length=4)):
    return selectors_lookup.dossier_lookup(code, phone4, client=client_address(request))


@router.get(
    "/dossiers/{code}",
    auth=django_auth,
    response={200: DossierDetailOut, **ERRORS},
    summary="Một hồ sơ (người nộp, hoặc cán bộ trong phạm vi)",
)
def dossier_detail(request, code: str):
    dossier = selectors.dossier_get_for(request.auth, code)
    officer_view = selectors.user_is_officer_for(request.auth, dossier)
    detail = selectors.dossier_detail_context(dossier, public_only=not officer_view)
    dossier.is_overdue = bool(
        dossier.due_at
        and dossier.due_at < datetime.datetime.now(datetime.UTC)
        and dossier.status in selectors.OPEN_STATUSES
        and dossier.status not in CLOCK_PAUSED
    )
    return {
        **_summary(dossier),
        "channel": dossier.channel,
        "channel_label": str(dossier.get_channel_display()),
        "result_delivery": dossier.result_delivery,
        "delivery_address": dossier.delivery_address,
        "submitted_at": dossier.submitted_at,
        "resolved_at": dossier.resolved_at,
        "returned_at": dossier.returned_at,
        "supplement_count": dossier.supplement_count,
        "steps": [
            {
                "order": s.order,
                "name": s.name,
                "kind": s.kind,
                "agency": s.agency.name,
                "state": s.state,
                "state_label": str(s.get_state_display()),
                "started_at": s.started_at,
                "due_at": s.due_at,
                "finished_at": s.finished_at,
            }
            for s in detail["steps"]
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.name,
                "content_type": d.content_type,
                "size": d.size,
                "paper_received": d.paper_received,
            }
            for d in detail["documents"]
        ],
        "events": [
            {
                "at": e.at,
                "action": e.action,
                "label": label,
                "from_status": e.from_status,
                "to_status": e.to_status,
                "note": e.note or None,
            }
            for e, label in detail["events"]
        ],
        "supplement_requests": [
            {"created_at": r.created_at, "items": r.items or [], "note": r.note, "completed_at": r.completed_at}
            for r in detail["supplement_requests"]
        ],
        "forms": [
            {"slug": slug, "label": label, "url": reverse("dossiers:form_pdf", args=[dossier.code, slug])}
            for slug, label in forms_available(dossier, officer=officer_view)
        ],
        "form_data": dossier.form_data or {},
        "form_answers": selectors.form_answers(dossier),
    }


def dossier_list(
    request,
    queue: str = Query("office", description="Cán bộ: mine | office | waiting | due_soon | overdue."),
    q: str | None = Query(None, max_length=100, description="Mã hồ sơ, tên người nộp, số định danh hoặc điện thoại."),
    procedure: str | None = Query(None, max_length=32, description="Mã thủ tục."),
    status: str | None = Query(None, max_length=24),
    after: str | None = Query(None, max_length=200, description="Con trỏ `next_cursor` của trang trước."),
    limit: int = Query(50, ge=1, le=selectors.MAX_LIMIT),
):
    """Citizens: their own dossiers (newest first, one page). Officers: a work queue (office: overdue
    first, then newest; the other queues by deadline)."""
    user = request.auth
    if user_is_officer(user):
        items, next_cursor = selectors.dossier_queue(
            user, queue=queue, q=q, procedure=procedure, status=status, after=after, limit=limit
        )
        return {"items": [_summary(d) for d in items], "next_cursor": next_cursor}
    if after:
        raise DomainError(_("Danh sách hồ sơ của công dân không phân trang."), code="invalid_cursor", status=422)
    dossiers = selectors.dossier_list_for_citizen(user).select_related("current_assignee")[:limit]
    return {"items": [_summary(d) for d in dossiers], "next_cursor": None}


intake_router.get(
    "/dossiers",
    auth=django_auth,
    response={200: DossierListOut, **ERRORS},
    summary="Danh sách hồ sơ: của công dân, hoặc hàng đợi của cán bộ",
    tags=["Hồ sơ – tra cứu"],
)(dossier_list)
