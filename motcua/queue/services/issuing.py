"""Issuing queue numbers: one per office per day, under a row lock on the day's counter."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone_or_none
from motcua.core.transitions import audit_record

from ..models import PriorityGroup, ServiceGroup, Ticket, TicketChannel, TicketSequence
from ..selectors.estimates import standing
from .notices import near_turn_mark_on_issue

PHONE_MAX_LENGTH = 20


def ticket_code(prefix: str, number: int) -> str:
    """ "A" and 15 -> "A015"; numbers beyond 999 keep all their digits ("A1000")."""
    return f"{prefix}{number:03d}"


def _next_number(*, office_id: int, day: datetime.date) -> int:
    """The next number of the office's day. Runs inside the caller's atomic block: the sequence row
    stays locked until it commits, so concurrent kiosks are served one after the other."""
    sequence, _created = TicketSequence.objects.get_or_create(office_id=office_id, day=day)
    sequence = TicketSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def issue_ticket(
    *,
    group: ServiceGroup,
    channel: str,
    priority: PriorityGroup | None = None,
    appointment_at: datetime.datetime | None = None,
    phone: str = "",
    person=None,
    actor=None,
) -> Ticket:
    """A new waiting ticket in `group` (one transaction). `appointment_at` (check-in of a booking)
    puts the ticket ahead of walk-ins once that time has come; see `selectors.ordering`."""
    if not group.is_active or not group.office.is_active:
        raise DomainError(_("Nhóm dịch vụ này hiện không cấp số."), code="queue_group_inactive", status=409)
    if channel not in TicketChannel.values:
        raise DomainError(_("Kênh cấp số không hợp lệ."), code="queue_channel_invalid", status=422)
    if priority is not None and not priority.is_active:
        raise DomainError(_("Đối tượng ưu tiên này không còn áp dụng."), code="queue_priority_invalid", status=422)
    phone = (phone or "").strip()
    if phone:
        normalized = normalize_phone_or_none(phone)
        if normalized is None or len(normalized) > PHONE_MAX_LENGTH:
            raise DomainError(
                _("Số điện thoại không hợp lệ. Vui lòng nhập số di động Việt Nam, ví dụ 0912345678."),
                code="queue_phone_invalid",
                status=422,
            )
        phone = normalized
    now = timezone.now()
    day = timezone.localdate(now)
    with transaction.atomic():
        number = _next_number(office_id=group.office_id, day=day)
        ticket = Ticket.objects.create(
            office_id=group.office_id,
            group=group,
            day=day,
            number=number,
            code=ticket_code(group.prefix, number),
            channel=channel,
            priority=priority,
            issued_at=now,
            arrival_at=now,
            appointment_at=appointment_at,
            phone=phone,
            person=person,
        )
        audit_record(actor=actor, action="queue.issue", obj=ticket, data={"code": ticket.code, "channel": channel})
        if ticket.phone:
            near_turn_mark_on_issue(ticket, people_ahead=standing(ticket, now=now).people_ahead, now=now)
    return ticket
