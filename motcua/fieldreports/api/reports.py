"""Field reports API (`/api/v1/fieldreports/...`): thin, every rule lives in services/selectors.

- GET  categories                       the category tree (public)
- GET  nearby?category=&lat=&lon=       open public reports of that category within 50 m / 14 days
- POST (multipart)                      file a report (signed-in citizen; files `media`)
- GET  mine                             the caller's reports
- GET  officer?status=&category=&unit=&overdue=&q=   reports in the caller's scope
- GET  {code}                           one report: full for those in scope, public view otherwise
- POST {code}/actions/{action}          a handling action with JSON parameters
- POST {code}/answer (multipart)        the answer with "after" photos
Errors are `{code, message}`; outside scope is 404.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from ninja import Body, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth

from motcua.core.errors import NotFound
from motcua.core.text import display_name
from motcua.schemas import ErrorOut

from ..models import ReportCategory
from ..selectors import reports as selectors
from ..services.handling import allowed_actions, report_act, report_get_for_action
from ..services.submit import report_submit

# Operation ids name the module the API was first written in (`motcua.fieldreports.api`): clients keep them.
router = Router(tags=["Phản ánh hiện trường"])
ERRORS = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    415: ErrorOut,
    422: ErrorOut,
    503: ErrorOut,
}
RESERVED = {"report", "actor", "action", "media"}


class CategoryOut(Schema):
    code: str
    name: str
    description: str
    deadline_days: Decimal
    allows_urgent: bool
    urgent_hours: int
    attributes: list
    children: list[CategoryOut] = []


class ReportPublicOut(Schema):
    code: str
    title: str
    description: str
    category_code: str
    category_name: str
    lat: float
    lon: float
    unit_name: str
    address: str
    urgent: bool
    status: str
    is_open: bool
    agency_name: str
    submitted_at: datetime.datetime
    due_at: datetime.datetime | None
    overdue: bool
    answered_at: datetime.datetime | None
    answer: str
    outcome: str
    follower_count: int


class ReportEventOut(Schema):
    at: datetime.datetime
    action: str
    from_status: str
    to_status: str
    note: str


class ReportDetailOut(ReportPublicOut):
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    anonymous: bool
    flags: dict
    reviewed: bool
    hidden: bool
    hidden_reason: str
    assignee: str | None = None
    agency_code: str
    allowed_actions: list[str]
    events: list[ReportEventOut]
    media: list[dict]


class SubmittedOut(Schema):
    code: str
    status: str
    token: str
    agency_name: str
    due_at: datetime.datetime | None
    public: bool


def _category(category: ReportCategory, children=()) -> dict:
    return {
        "code": category.code,
        "name": category.name,
        "description": category.description,
        "deadline_days": category.deadline_days,
        "allows_urgent": category.allows_urgent,
        "urgent_hours": category.urgent_hours,
        "attributes": category.attributes,
        "children": [_category(c) for c in children],
    }


def _public(report) -> dict:
    return selectors.report_public_dict(report)


def _detail(report, user, *, scoped: bool = True) -> dict:
    """Full view for someone in scope; with scoped=False, the public view plus their actions."""
    data = _public(report)
    is_officer = bool(scoped and (user.is_officer or user.is_superuser))
    if scoped:
        data["description"] = report.description
    show_contact = scoped and (report.reporter_id == user.pk or (is_officer and not report.anonymous))
    for name in ("reporter_name", "reporter_phone", "reporter_email"):
        data[name] = getattr(report, name) if show_contact else ""
    data.update(
        anonymous=report.anonymous,
        flags=report.flags if is_officer else {},
        reviewed=report.reviewed,
        hidden=report.hidden,
        hidden_reason=report.hidden_reason,
        agency_code=report.agency.code,
        assignee=display_name(report.assignee) if report.assignee_id else None,
        allowed_actions=allowed_actions(report=report, actor=user),
    )
    events = report.events.all() if is_officer else report.events.filter(public=True)
    data["events"] = [
        {"at": e.at, "action": e.action, "from_status": e.from_status, "to_status": e.to_status, "note": e.note}
        for e in events
    ]
    data["media"] = [
        {
            "id": m.pk,
            "stage": m.stage,
            "kind": m.kind,
            "content_type": m.content_type,
            "size": m.size,
            "url": (m.original.url if is_officer else m.public_file.url if m.public_file else ""),
        }
        for m in report.media.all()
    ]
    return data


@router.get(
    "/fieldreports/categories",
    response=list[CategoryOut],
    summary="Cây lĩnh vực phản ánh",
)
def categories(request):
    return [_category(group, group.active_children) for group in selectors.category_tree()]


@router.get(
    "/fieldreports/nearby",
    response={200: list[ReportPublicOut], 404: ErrorOut, 422: ErrorOut},
    summary="Phản ánh đang mở cùng lĩnh vực ở gần (kiểm tra trùng trước khi gửi)",
)
def nearby(request, category: str, lat: float, lon: float, radius_m: int = 50, days: int = 14):
    found = ReportCategory.objects.filter(code=category, is_active=True).first()
    if found is None:
        raise NotFound(code="category_invalid")
    radius_m, days = max(1, min(radius_m, 500)), max(1, min(days, 60))
    return [
        _public(r) for r in selectors.reports_nearby(category=found, lat=lat, lon=lon, radius_m=radius_m, days=days)
    ]


@router.post(
    "/fieldreports",
    auth=django_auth,
    response={201: SubmittedOut, **ERRORS},
    summary="Gửi phản ánh (multipart; ảnh, video trong trường media)",
)
def submit(
    request,
    category: Form[str],
    description: Form[str],
    lat: Form[str],
    lon: Form[str],
    unit: Form[str] = "",
    address: Form[str] = "",
    title: Form[str] = "",
    urgent: Form[bool] = False,
    anonymous: Form[bool] = False,
    reporter_phone: Form[str] = "",
    reporter_email: Form[str] = "",
    idempotency_key: Form[str] = "",
    media: File[list[UploadedFile]] = None,
):
    report = report_submit(
        category=category,
        description=description,
        lat=lat,
        lon=lon,
        unit=unit or None,
        address=address,
        title=title,
        urgent=urgent,
        anonymous=anonymous,
        reporter=request.auth,
        reporter_phone=reporter_phone,
        reporter_email=reporter_email,
        media=media or [],
        channel="app",
        idempotency_key=idempotency_key or None,
    )
    return Status(
        201,
        {
            "code": report.code,
            "status": report.status,
            "token": str(report.token),
            "agency_name": report.agency.name,
            "due_at": report.due_at,
            "public": report.is_public,
        },
    )


@router.get(
    "/fieldreports/mine",
    auth=django_auth,
    response=list[ReportPublicOut],
    summary="Phản ánh của tôi",
)
def mine(request, status: str | None = None, limit: int = 50, offset: int = 0):
    qs = selectors.report_my_list(request.auth, status=status)
    return [_public(r) for r in qs[max(offset, 0) : max(offset, 0) + max(1, min(limit, 200))]]


@router.get(
    "/fieldreports/officer",
    auth=django_auth,
    response={200: list[ReportPublicOut], 401: ErrorOut},
    summary="Phản ánh trong phạm vi xử lý của cán bộ",
)
def officer_list(
    request,
    status: str | None = None,
    category: str | None = None,
    unit: str | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
):
    qs = selectors.report_list_for(request.auth, status=status, category=category, unit=unit, overdue=overdue, q=q)
    return [_public(r) for r in qs[max(offset, 0) : max(offset, 0) + max(1, min(limit, 200))]]


@router.get(
    "/fieldreports/{code}",
    response={200: ReportDetailOut | ReportPublicOut, 404: ErrorOut},
    summary="Một phản ánh (đầy đủ trong phạm vi, công khai ngoài phạm vi)",
)
def detail(request, code: str):
    user = request.user
    if getattr(user, "is_authenticated", False):
        try:
            return _detail(selectors.report_get_for(user, code), user)
        except NotFound:
            pass
    return _public(selectors.report_get_public(code))


@router.post(
    "/fieldreports/{code}/actions/{action}",
    auth=django_auth,
    response={200: ReportDetailOut, **ERRORS},
    summary="Thao tác xử lý (accept, refuse, transfer, assign, answer, merge, link, review, hide, unhide, "
    "confirm, reopen, follow, unfollow)",
)
def act(request, code: str, action: str, params: Body[dict[str, Any] | None] = None):
    report = report_get_for_action(request.auth, code)
    clean = {k: v for k, v in (params or {}).items() if k not in RESERVED}
    report = report_act(report=report, actor=request.auth, action=action, **clean)
    try:
        return _detail(selectors.report_get_for(request.auth, report.code), request.auth)
    except NotFound:
        # A citizen following someone else's report sees the public view with their actions.
        return _detail(report, request.auth, scoped=False)


@router.post(
    "/fieldreports/{code}/answer",
    auth=django_auth,
    response={200: ReportDetailOut, **ERRORS},
    summary="Trả lời phản ánh kèm ảnh sau xử lý (multipart)",
)
def answer(
    request,
    code: str,
    text: Form[str],
    outcome: Form[str],
    agency: Form[str] = "",
    media: File[list[UploadedFile]] = None,
):
    report = selectors.report_get_for(request.auth, code)
    report = report_act(
        report=report,
        actor=request.auth,
        action="answer",
        text=text,
        outcome=outcome,
        agency=agency or None,
        media=media or [],
    )
    return _detail(selectors.report_get_for(request.auth, report.code), request.auth)
