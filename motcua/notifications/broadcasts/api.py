"""Area broadcasts over JSON: /api/v1/broadcasts/...

Thin: the selector finds the broadcast within the caller's scope (404 outside it), a service
decides; errors come back as {code, message, details}. `invalid_state` (409) lists in
details.allowed what the caller may do now.
"""

import datetime

from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import Field

from motcua.core.text import display_name
from motcua.notifications.broadcasts import selectors as sel
from motcua.notifications.broadcasts import services as svc
from motcua.notifications.models import Audience, Broadcast
from motcua.schemas import ErrorOut

router = Router(tags=["Thông báo diện rộng"], auth=django_auth)

_ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class BroadcastIn(Schema):
    title: str = Field(..., max_length=255, description="Tiêu đề (không gửi trong tin SMS).")
    body: str = Field(..., description="Nội dung tin nhắn.")
    audience: Audience = Field(Audience.RESIDENTS, description="residents, household_heads hoặc csv.")
    unit_ids: list[int] = Field(default_factory=list, description="Tỉnh (toàn tỉnh) hoặc các xã, phường nhận.")
    hamlet_ids: list[int] = Field(default_factory=list, description="Các ấp, khóm nhận.")
    unaccented: bool = Field(True, description="Gửi không dấu (nhiều tuyến brandname yêu cầu).")
    scheduled_at: datetime.datetime | None = Field(None, description="Hẹn giờ gửi; để trống là gửi ngay khi duyệt.")
    owner_unit_id: int | None = Field(None, description="Đơn vị gửi, khi cán bộ có vai trò ở nhiều đơn vị.")


class BroadcastPreviewIn(Schema):
    body: str = ""
    audience: Audience = Audience.RESIDENTS
    unit_ids: list[int] = Field(default_factory=list)
    hamlet_ids: list[int] = Field(default_factory=list)
    unaccented: bool = True
    broadcast_id: int | None = Field(None, description="Với đối tượng csv: thông báo đã tải danh sách lên.")


class BroadcastPreviewOut(Schema):
    recipients: int = Field(..., description="Số người nhận (số điện thoại khác nhau, đã trừ người từ chối).")
    text: str = Field(..., description="Nội dung sẽ gửi (đã bỏ dấu nếu chọn).")
    encoding: str
    length: int
    segments: int = Field(..., description="Số tin SMS mỗi người.")
    per_segment: int
    remaining: int
    cost: int = Field(..., description="Chi phí ước tính (đồng).")


class ProgressOut(Schema):
    total: int
    pending: int
    finished: int
    percent: int
    by_status: dict[str, int]


class BroadcastOut(Schema):
    id: int
    title: str
    body: str
    status: str
    status_label: str
    audience: str
    owner_unit: str
    unit_ids: list[int]
    hamlet_ids: list[int]
    unaccented: bool
    scheduled_at: datetime.datetime | None
    recipient_count: int
    segments_per_message: int
    estimated_cost: int
    created_by: str
    decided_by: str | None
    decision_note: str
    allowed_actions: list[str]
    progress: ProgressOut


class BroadcastNoteIn(Schema):
    note: str = ""


class SubmitIn(Schema):
    confirm_bad_rows: bool = Field(False, description="Xác nhận chỉ gửi cho các dòng hợp lệ của tệp CSV.")


class CsvOut(Schema):
    counts: dict[str, int]
    bad_rows: list[dict]


class ReportRowOut(Schema):
    unit: str
    hamlet: str
    total: int
    counts: dict[str, int]


def _out(broadcast: Broadcast, user) -> dict:
    return {
        "id": broadcast.pk,
        "title": broadcast.title,
        "body": broadcast.body,
        "status": broadcast.status,
        "status_label": str(broadcast.get_status_display()),
        "audience": broadcast.audience,
        "owner_unit": broadcast.owner_unit.name,
        "unit_ids": list(broadcast.units.values_list("pk", flat=True)),
        "hamlet_ids": list(broadcast.hamlets.values_list("pk", flat=True)),
        "unaccented": broadcast.unaccented,
        "scheduled_at": broadcast.scheduled_at,
        "recipient_count": broadcast.recipient_count,
        "segments_per_message": broadcast.segments_per_message,
        "estimated_cost": broadcast.estimated_cost,
        "created_by": display_name(broadcast.created_by),
        "decided_by": display_name(broadcast.decided_by) if broadcast.decided_by_id else None,
        "decision_note": broadcast.decision_note,
        "allowed_actions": sel.allowed_actions(broadcast=broadcast, user=user),
        "progress": sel.broadcast_progress(broadcast),
    }


def _get(request, broadcast_id: int) -> Broadcast:
    return sel.broadcast_get_for(request.auth, broadcast_id)


def _decide(request, broadcast_id: int, decision, note: str) -> dict:
    """Approve, reject or cancel (`decision`, a service taking actor, broadcast and note)."""
    return _out(decision(actor=request.auth, broadcast=_get(request, broadcast_id), note=note), request.auth)


@router.get("/broadcasts", response={200: list[BroadcastOut], 401: ErrorOut}, summary="Danh sách")
def broadcast_list(request):
    return [_out(b, request.auth) for b in sel.broadcast_list_for(request.auth)[:100]]


@router.post("/broadcasts", response={201: BroadcastOut, **_ERRORS}, summary="Soạn bản nháp")
def broadcast_create(request, payload: BroadcastIn):
    broadcast = svc.broadcast_create(actor=request.auth, **payload.dict())
    return Status(201, _out(broadcast, request.auth))


@router.post(
    "/broadcasts/preview",
    response={200: BroadcastPreviewOut, **_ERRORS},
    summary="Ước tính số người nhận, số tin, chi phí",
)
def broadcast_preview(request, payload: BroadcastPreviewIn):
    return sel.broadcast_preview_for_user(request.auth, **payload.dict()).__dict__


@router.get("/broadcasts/{broadcast_id}", response={200: BroadcastOut, **_ERRORS}, summary="Trạng thái")
def broadcast_detail(request, broadcast_id: int):
    return _out(_get(request, broadcast_id), request.auth)


@router.put("/broadcasts/{broadcast_id}", response={200: BroadcastOut, **_ERRORS}, summary="Sửa")
def broadcast_update(request, broadcast_id: int, payload: BroadcastIn):
    data = payload.dict()
    data.pop("owner_unit_id")
    broadcast = svc.broadcast_update(actor=request.auth, broadcast=_get(request, broadcast_id), **data)
    return _out(broadcast, request.auth)


@router.post(
    "/broadcasts/{broadcast_id}/csv",
    response={200: CsvOut, **_ERRORS},
    summary="Tải danh sách người nhận (CSV)",
    description="Cột: họ tên, số điện thoại, ấp/khóm (tùy chọn). Dòng lỗi được báo lại và không được gửi.",
)
def broadcast_csv(request, broadcast_id: int, file: File[UploadedFile]):
    broadcast = _get(request, broadcast_id)
    svc.broadcast_csv_upload(actor=request.auth, broadcast=broadcast, content=file.read())
    return sel.csv_summary(broadcast)


@router.post(
    "/broadcasts/{broadcast_id}/submit",
    response={200: BroadcastOut, **_ERRORS},
    summary="Trình duyệt",
)
def broadcast_submit(request, broadcast_id: int, payload: SubmitIn | None = None):
    confirm = bool(payload and payload.confirm_bad_rows)
    broadcast = svc.broadcast_submit(
        actor=request.auth, broadcast=_get(request, broadcast_id), confirm_bad_rows=confirm
    )
    return _out(broadcast, request.auth)


@router.post("/broadcasts/{broadcast_id}/approve", response={200: BroadcastOut, **_ERRORS}, summary="Duyệt")
def broadcast_approve(request, broadcast_id: int, payload: BroadcastNoteIn | None = None):
    return _decide(request, broadcast_id, svc.broadcast_approve, payload.note if payload else "")


@router.post(
    "/broadcasts/{broadcast_id}/reject",
    response={200: BroadcastOut, **_ERRORS},
    summary="Không duyệt",
)
def broadcast_reject(request, broadcast_id: int, payload: BroadcastNoteIn):
    return _decide(request, broadcast_id, svc.broadcast_reject, payload.note)


@router.post("/broadcasts/{broadcast_id}/cancel", response={200: BroadcastOut, **_ERRORS}, summary="Hủy")
def broadcast_cancel(request, broadcast_id: int, payload: BroadcastNoteIn | None = None):
    return _decide(request, broadcast_id, svc.broadcast_cancel, payload.note if payload else "")


@router.get(
    "/broadcasts/{broadcast_id}/report",
    response={200: list[ReportRowOut], **_ERRORS},
    summary="Báo cáo gửi theo địa bàn",
    description="Số tin theo xã, ấp và trạng thái. Thêm ?format=csv để tải tệp CSV.",
)
def broadcast_report(request, broadcast_id: int, format: str = "json"):
    broadcast = _get(request, broadcast_id)
    rows = sel.broadcast_report(broadcast)
    if format == "csv":
        response = HttpResponse(sel.report_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="bao-cao-thong-bao-{broadcast.pk}.csv"'
        return response
    return [
        {
            "unit": r["unit"],
            "hamlet": r["hamlet"],
            "total": r["total"],
            "counts": {k: v for k, v in r.items() if k not in ("unit", "hamlet", "total")},
        }
        for r in rows
    ]
