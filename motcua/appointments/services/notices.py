"""What the citizen is told about a booking, through the notifications outbox.

A booking made for a known person goes through `notify` (inbox + the person's first channel); a
booking made with a phone number only gets an SMS built directly. Every notice has a dedupe key
made of the booking and what happened, so a job run twice never sends it twice.
Quiet hours: the outbox holds non-urgent SMS until the morning (`quiet_hours_release`); the
reminder job itself also sends nothing in quiet hours (see `jobs.py`).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import calendar
from motcua.notifications.models import ChannelKind, Message
from motcua.notifications.services import message_build, notify, template_active
from motcua.notifications.services.outbox import message_fields

from ..models import Booking


def when_text(booking: Booking) -> str:
    start = calendar.as_local(booking.slot_start)
    return f"{start:%H:%M} {start:%d/%m/%Y}"


def booking_notice(*, booking: Booking, event: str, title: str, body: str, key: str, now=None) -> None:
    """Tell the booking's person (or phone) `body`; once per (booking, key)."""
    dedupe_key = f"appointment:{booking.pk}:{key}"
    params = {"ma_lich_hen": booking.code, "gio_hen": when_text(booking), "noi_dung": body}
    with transaction.atomic():
        if booking.person_id:
            notify(
                person=booking.person,
                event=event,
                title=title,
                body=body,
                subject_type="booking",
                subject_id=str(booking.pk),
                dedupe_key=dedupe_key,
                params=params,
            )
            return
        if not booking.phone:
            return
        built = message_build(
            channel=ChannelKind.SMS,
            recipient=booking.phone,
            event=event,
            dedupe_key=f"{dedupe_key}:sms",
            params=params,
            body=body,
            template=template_active(event, ChannelKind.SMS),
            subject_type="booking",
            subject_id=str(booking.pk),
            now=now,
        )
        Message.objects.get_or_create(dedupe_key=built.dedupe_key, defaults=message_fields(built))


def _place(booking: Booking) -> str:
    return f"{booking.group.name} – {booking.office.name}"


def confirmation(booking: Booking, *, key: str = "booked") -> None:
    booking_notice(
        booking=booking,
        event="appointment.booked",
        title=_("Đã đặt lịch hẹn %(code)s") % {"code": booking.code},
        body=_("Lịch hẹn %(code)s lúc %(when)s tại %(place)s. Mang mã này hoặc mã QR đến quầy để lấy số.")
        % {"code": booking.code, "when": when_text(booking), "place": _place(booking)},
        key=key,
    )


def reminder(booking: Booking, *, key: str, now=None) -> None:
    booking_notice(
        booking=booking,
        event="appointment.reminder",
        title=_("Nhắc lịch hẹn %(code)s") % {"code": booking.code},
        body=_("Nhắc lịch hẹn %(code)s lúc %(when)s tại %(place)s. Không đến được, vui lòng hủy để nhường chỗ.")
        % {"code": booking.code, "when": when_text(booking), "place": _place(booking)},
        key=key,
        now=now,
    )


def cancelled(booking: Booking, *, reason: str, key: str = "cancelled") -> None:
    booking_notice(
        booking=booking,
        event="appointment.cancelled",
        title=_("Lịch hẹn %(code)s đã bị hủy") % {"code": booking.code},
        body=_("Lịch hẹn %(code)s lúc %(when)s tại %(place)s đã bị hủy: %(reason)s")
        % {"code": booking.code, "when": when_text(booking), "place": _place(booking), "reason": reason},
        key=key,
    )
