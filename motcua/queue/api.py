"""Queue API under /api/v1/queue/.

Public (no login): the kiosk's groups and priority groups, issuing a kiosk ticket (rate-limited per
address), a ticket's standing by its follow token (no personal data), an office's waiting summary.
Officers: call next at a counter, act on the ticket at their counter; managers: figures.

Error codes (JSON {"code", "message"}): queue_office_not_found, queue_group_not_found,
queue_priority_not_found, queue_ticket_not_found, queue_counter_not_found, queue_figures_not_found
(404); queue_group_inactive, queue_counter_busy, action_not_allowed (409); queue_phone_invalid,
queue_transfer_target, queue_period_invalid (422); queue_kiosk_throttled (429); unauthenticated (401).
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.security import django_auth

from motcua.core.errors import DomainError
from motcua.core.models import Counter
from motcua.core.net import client_address
from motcua.schemas import ErrorOut

from . import selectors, services
from .models import ServiceGroup, Ticket
from .qr import follow_url
from .selectors import pages
from .selectors.figures import figures_for

router = Router(tags=["Xếp hàng"])


class QueueGroupOut(Schema):
    id: int
    code: str
    name: str
    prefix: str


class QueuePriorityOut(Schema):
    code: str
    name: str
    weight: int


class QueueKioskOut(Schema):
    office_id: int
    office_name: str
    groups: list[QueueGroupOut]
    priorities: list[QueuePriorityOut]


class QueueIssueIn(Schema):
    group: str = Field(..., max_length=40, description="Mã nhóm dịch vụ (xem GET …/kiosk).")
    priority: str = Field("", max_length=40, description="Mã đối tượng ưu tiên; để trống nếu không có.")
    phone: str = Field("", max_length=20, description="Số di động nhận tin nhắn khi sắp đến lượt (không bắt buộc).")


class QueueStandingOut(Schema):
    code: str
    group: str
    office: str
    status: str
    status_label: str
    people_ahead: int
    wait_minutes: int
    counter: str = Field("", description="Tên quầy khi đã được gọi.")
    follow_token: str | None = Field(None, description="Chỉ trả về khi vừa lấy số.")
    follow_url: str | None = None


class QueueGroupSummaryOut(Schema):
    group_id: int
    code: str
    name: str
    prefix: str
    waiting: int
    wait_minutes: int
    service_minutes: float
    last_called: str


class QueueTicketOut(Schema):
    id: int
    code: str
    group: str
    status: str
    priority: str | None
    channel: str
    arrival_at: datetime.datetime
    appointment_at: datetime.datetime | None
    counter_id: int | None


class QueueTransferIn(Schema):
    group_id: int | None = None
    counter_id: int | None = None


class QueueFiguresQuery(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    office_id: int | None = Field(None, ge=1, le=2**31 - 1)


class QueueFiguresRowOut(Schema):
    key: str
    label: str
    tickets: int
    done: int
    absent: int
    no_show_percent: float | None
    bookings: int
    wait_median_minutes: float | None
    wait_p90_minutes: float | None
    service_median_minutes: float | None


class QueueFiguresOut(Schema):
    date_from: datetime.date
    date_to: datetime.date
    total: QueueFiguresRowOut
    tables: dict[str, list[QueueFiguresRowOut]]


def _standing(ticket: Ticket, *, with_token: bool = False) -> dict:
    standing = selectors.standing(ticket)
    return {
        "code": ticket.code,
        "group": ticket.group.name,
        "office": ticket.office.name,
        "status": ticket.status,
        "status_label": ticket.get_status_display(),
        "people_ahead": standing.people_ahead,
        "wait_minutes": standing.wait_minutes,
        "counter": standing.called_counter,
        "follow_token": ticket.follow_token if with_token else None,
        "follow_url": follow_url(ticket.follow_token) if with_token else None,
    }


def _ticket(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "code": ticket.code,
        "group": ticket.group.name,
        "status": ticket.status,
        "priority": ticket.priority.name if ticket.priority_id else None,
        "channel": ticket.channel,
        "arrival_at": ticket.arrival_at,
        "appointment_at": ticket.appointment_at,
        "counter_id": ticket.counter_id,
    }


@router.get(
    "/queue/offices/{office_id}/kiosk", response={200: QueueKioskOut, 404: ErrorOut}, summary="Danh mục cho máy lấy số"
)
def kiosk(request, office_id: int):
    office = pages.kiosk_office(office_id)
    return {
        "office_id": office.pk,
        "office_name": office.name,
        "groups": list(pages.kiosk_groups(office)),
        "priorities": list(pages.priorities_active()),
    }


@router.post(
    "/queue/offices/{office_id}/tickets",
    response={201: QueueStandingOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Lấy số tại máy lấy số (không cần đăng nhập)",
)
def issue(request, office_id: int, payload: QueueIssueIn):
    office = pages.kiosk_office(office_id)
    group = pages.kiosk_group(office, payload.group)
    priority = pages.priority_by_code(payload.priority)
    ticket = services.kiosk_issue(group=group, priority=priority, phone=payload.phone, client=client_address(request))
    return Status(201, _standing(ticket, with_token=True))


@router.get("/queue/follow/{token}", response={200: QueueStandingOut, 404: ErrorOut}, summary="Theo dõi số thứ tự")
def follow(request, token: str):
    return _standing(pages.ticket_for_follow(token))


@router.get(
    "/queue/offices/{office_id}/summary",
    response={200: list[QueueGroupSummaryOut], 404: ErrorOut},
    summary="Số người chờ và thời gian chờ dự kiến theo nhóm",
)
def summary(request, office_id: int):
    return selectors.waiting_summary(pages.kiosk_office(office_id))


@router.post(
    "/queue/counters/{counter_id}/call-next",
    auth=django_auth,
    response={200: QueueTicketOut, 204: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Gọi số tiếp theo tại quầy",
)
def call_next(request, counter_id: int):
    counter = pages.counter_for_desk(request.user, counter_id)
    ticket = services.call_next(counter=counter, officer=request.user)
    if ticket is None:
        return Status(204, None)
    return _ticket(Ticket.objects.select_related("group", "priority").get(pk=ticket.pk))


ACTIONS = {
    "recall": services.recall,
    "start": services.start_serving,
    "finish": services.finish_serving,
    "absent": services.mark_absent,
}


@router.post(
    "/queue/tickets/{ticket_id}/transfer",
    auth=django_auth,
    response={200: QueueTicketOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Chuyển số đang ở quầy sang nhóm dịch vụ hoặc quầy khác (giữ thời điểm đến)",
)
def transfer(request, ticket_id: int, payload: QueueTransferIn):
    ticket = pages.ticket_for_desk(request.user, ticket_id)
    group = ServiceGroup.objects.filter(pk=payload.group_id).first() if payload.group_id else None
    counter = Counter.objects.filter(pk=payload.counter_id).first() if payload.counter_id else None
    if (payload.group_id and group is None) or (payload.counter_id and counter is None):
        raise DomainError(
            _("Không tìm thấy nhóm dịch vụ hoặc quầy để chuyển tới."), code="queue_transfer_target", status=422
        )
    ticket = services.transfer(ticket, request.user, group=group, counter=counter)
    return _ticket(Ticket.objects.select_related("group", "priority").get(pk=ticket.pk))


class QueuePriorityIn(Schema):
    priority: str = Field("", max_length=40, description="Mã đối tượng ưu tiên; để trống để bỏ ưu tiên.")


@router.post(
    "/queue/tickets/{ticket_id}/priority",
    auth=django_auth,
    response={200: QueueTicketOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    summary="Cán bộ đặt đối tượng ưu tiên cho số đang chờ",
)
def priority(request, ticket_id: int, payload: QueuePriorityIn):
    ticket = pages.office_ticket_for_desk(request.user, ticket_id)
    ticket = services.set_priority(ticket, request.user, pages.priority_by_code(payload.priority))
    return _ticket(Ticket.objects.select_related("group", "priority").get(pk=ticket.pk))


@router.post(
    "/queue/tickets/{ticket_id}/{action}",
    auth=django_auth,
    response={200: QueueTicketOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Thao tác với số đang ở quầy: recall | start | finish | absent",
)
def act(request, ticket_id: int, action: str):
    ticket = pages.ticket_for_desk(request.user, ticket_id)
    if action not in ACTIONS:
        raise services.MACHINE.refusal(action=action, reason="status", status_label=ticket.get_status_display())
    ticket = ACTIONS[action](ticket, request.user)
    return _ticket(Ticket.objects.select_related("group", "priority").get(pk=ticket.pk))


@router.get(
    "/queue/figures",
    auth=django_auth,
    response={200: QueueFiguresOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Thống kê xếp hàng (trong phạm vi quản lý)",
)
def figures(request, query: Query[QueueFiguresQuery]):
    today = timezone.localdate()
    date_to = query.date_to or today
    date_from = query.date_from or date_to - datetime.timedelta(days=6)
    data = figures_for(request.user, office_id=query.office_id, date_from=date_from, date_to=date_to)
    return {
        "date_from": data["date_from"],
        "date_to": data["date_to"],
        "total": data["total"],
        "tables": data["tables"],
    }
