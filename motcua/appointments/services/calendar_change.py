"""Cancel the bookings on days that the province's calendar turns into days off.

Subscribed to `calendar.changed` (`motcua.core.services.calendar`, from AppointmentsConfig.ready):
every save of a `CalendarOverride` (admin, command, service) publishes it inside its transaction.
Each booking hit is cancelled (as the system, with the change's actor on the event) and its
person or phone told why, through the outbox, in the same transaction.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from motcua.core import calendar

from ..models import Booking, BookingStatus
from .bookings import booking_cancel
from .machine import SYSTEM


def bookings_cancel_for_calendar(change) -> int:
    """Cancel BOOKED bookings on the dates of `change` that are now days off; returns how many."""
    days_off = [day for day in change.dates if not calendar.working_in(day, change.new)]
    if not days_off:
        return 0
    cancelled = 0
    for booking in Booking.objects.filter(status=BookingStatus.BOOKED, day__in=days_off).order_by("pk"):
        reason = _("ngày %(day)s được chuyển thành ngày nghỉ (%(why)s). Vui lòng đặt lịch ngày khác.") % {
            "day": f"{booking.day:%d/%m/%Y}",
            "why": change.reason,
        }
        booking_cancel(booking=booking, actor=change.actor, role=SYSTEM, reason=reason, notify=True)
        cancelled += 1
    return cancelled
