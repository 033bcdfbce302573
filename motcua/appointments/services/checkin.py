"""Check-in: a booked citizen arrives (kiosk or desk) and gets a queue ticket at their slot time.

Time rules (the policy's figures; defaults in brackets):
- too early: before slot start − `checkin_early_minutes` [30] → `booking_too_early`, come back later
  (or take an ordinary number at the kiosk);
- too late: after slot end + `grace_minutes` [15] → `booking_too_late`; from that moment the
  no-show job may mark it NO_SHOW, so the two rules meet exactly;
- both limits are inclusive: at exactly start − 30 min or end + 15 min the check-in is accepted;
- only at the booking's own office (`booking_wrong_office`).
The ticket comes from the queue's `issue_ticket` (channel BOOKING, `appointment_at` = slot start),
in the same transaction as the status change, so a refused ticket leaves the booking as it was.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.transitions import audit_record
from motcua.queue.models import ServiceGroup, TicketChannel
from motcua.queue.services.issuing import issue_ticket

from ..models import Booking, BookingPolicy, BookingStatus
from .bookings import _act, event_write
from .machine import OWNER

DEFAULT_EARLY = 30
DEFAULT_GRACE = 15


def _policy_of(booking) -> BookingPolicy | None:
    """The booking's group policy: read from the rows a list already loaded (the selectors'
    `group__booking_policy`), so a list of bookings costs no query per row; else one query."""
    if Booking.group.is_cached(booking) and ServiceGroup.booking_policy.is_cached(booking.group):
        return getattr(booking.group, "booking_policy", None)  # loaded as missing: None without a query
    return BookingPolicy.objects.filter(group_id=booking.group_id).first()


def checkin_window(booking, policy: BookingPolicy | None = None) -> tuple[datetime.datetime, datetime.datetime]:
    policy = policy or _policy_of(booking)
    early = policy.checkin_early_minutes if policy else DEFAULT_EARLY
    grace = policy.grace_minutes if policy else DEFAULT_GRACE
    return booking.slot_start - datetime.timedelta(minutes=early), booking.slot_end + datetime.timedelta(minutes=grace)


def booking_check_in(*, booking, office=None, actor=None, role: str = OWNER, now=None):
    """Check `booking` in and issue its queue ticket; returns the booking (with `.ticket`)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = _act(booking.pk, "check_in", role)
        if office is not None and booking.office_id != office.pk:
            raise DomainError(
                _("Lịch hẹn này đặt tại %(office)s, không phải tại đây.") % {"office": booking.office.name},
                code="booking_wrong_office",
                status=409,
            )
        earliest, latest = checkin_window(booking)
        if now < earliest:
            raise DomainError(
                _("Chưa đến giờ: lịch hẹn lúc %(start)s, xác nhận đến được từ %(from)s.")
                % {
                    "start": f"{calendar.as_local(booking.slot_start):%H:%M %d/%m/%Y}",
                    "from": f"{calendar.as_local(earliest):%H:%M}",
                },
                code="booking_too_early",
                status=409,
            )
        if now > latest:
            raise DomainError(
                _("Đã quá giờ hẹn (chỉ nhận đến %(until)s). Vui lòng lấy số thứ tự thông thường.")
                % {"until": f"{calendar.as_local(latest):%H:%M %d/%m/%Y}"},
                code="booking_too_late",
                status=409,
            )
        ticket = issue_ticket(
            group=booking.group,
            channel=TicketChannel.BOOKING,
            appointment_at=booking.slot_start,
            phone=booking.phone,
            person=booking.person,
            actor=actor,
        )
        old = booking.status
        booking.status = BookingStatus.CHECKED_IN
        booking.checked_in_at = now
        booking.ticket = ticket
        booking.save(update_fields=["status", "checked_in_at", "ticket", "updated_at"])
        event_write(
            booking, action="check_in", actor=actor, from_status=old, data={"ticket": ticket.code, "role": role}
        )
        audit_record(
            actor=actor, action="appointment.check_in", obj=booking, data={"code": booking.code, "ticket": ticket.code}
        )
    return booking
