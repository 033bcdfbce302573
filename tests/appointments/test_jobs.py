"""Reminders (once each, quiet hours), confirmation notices, calendar changes, check-in windows."""

import datetime

import pytest
from django.utils import timezone

from motcua.appointments import services
from motcua.appointments.models import Booking, BookingChannel, BookingStatus
from motcua.core.errors import DomainError
from motcua.core.models import OverrideKind
from motcua.core.services.calendar import calendar_override_set
from motcua.notifications.models import Message
from motcua.queue.models import Ticket, TicketChannel

from .conftest import MONDAY, TUESDAY, at

pytestmark = pytest.mark.django_db


def _book(group, start, *, now, phone="0912345678"):
    booking = services.book(
        group=group, slot_start=start, channel=BookingChannel.PORTAL_OTP, name="Lê Văn Tư", phone=phone, now=now
    )
    # Made well before its slot (the day-before reminder skips bookings made within 24 hours).
    Booking.objects.filter(pk=booking.pk).update(created_at=now)
    booking.refresh_from_db()
    return booking


def _messages(booking, event):
    return Message.objects.filter(subject_type="booking", subject_id=str(booking.pk), event=event)


def test_confirmation_goes_to_the_outbox(policy_a, monday, person):
    booking = services.book(
        group=policy_a.group,
        slot_start=at(TUESDAY, 8),
        channel=BookingChannel.PORTAL,
        name="",
        person=person,
        now=monday,
    )
    assert _messages(booking, "appointment.booked").count() == 1
    phone_only = _book(policy_a.group, at(TUESDAY, 9), now=monday, phone="0987654321")
    sms = _messages(phone_only, "appointment.booked").get()
    assert sms.recipient == "0987654321" and phone_only.code in sms.body


def test_reminders_once_each(policy_a, monday):
    booking = _book(policy_a.group, at(TUESDAY, 10), now=monday)
    # 24 h before the slot, exactly: the day-before reminder is due; one second earlier it is not.
    day_before = at(MONDAY, 10)
    assert services.reminders_send(now=day_before - datetime.timedelta(seconds=1))["day"] == 0
    assert services.reminders_send(now=day_before)["day"] == 1
    assert services.reminders_send(now=day_before + datetime.timedelta(minutes=5))["day"] == 0
    assert _messages(booking, "appointment.reminder").count() == 1
    hour_before = at(TUESDAY, 9)
    assert services.reminders_send(now=hour_before - datetime.timedelta(seconds=1))["hour"] == 0
    assert services.reminders_send(now=hour_before)["hour"] == 1
    assert services.reminders_send(now=at(TUESDAY, 9, 30))["hour"] == 0
    assert _messages(booking, "appointment.reminder").count() == 2
    booking.refresh_from_db()
    assert booking.day_reminder_at == day_before and booking.hour_reminder_at == hour_before


def test_reminders_skip_cancelled_and_late_bookings(policy_a, monday):
    cancelled = _book(policy_a.group, at(TUESDAY, 10), now=monday)
    services.booking_cancel(booking=cancelled, now=monday)
    fresh = services.book(
        group=policy_a.group,
        slot_start=at(TUESDAY, 11),
        channel=BookingChannel.PORTAL_OTP,
        name="Mới",
        phone="0977000111",
        now=at(MONDAY, 14),
    )
    Booking.objects.filter(pk=fresh.pk).update(created_at=at(MONDAY, 14))
    sent = services.reminders_send(now=at(MONDAY, 15))
    assert sent["day"] == 0  # made less than 24 hours before its slot: its confirmation is enough
    assert not Message.objects.filter(event="appointment.reminder").exists()


def test_quiet_hours(policy_a, monday):
    early = _book(policy_a.group, at(TUESDAY, 7, 30), now=monday, phone="0912000001")
    Booking.objects.filter(pk=early.pk).update(created_at=monday - datetime.timedelta(days=2))
    # 21:00 is quiet (nothing goes); 20:59 is not (the day-before reminder goes).
    assert services.reminders_send(now=at(MONDAY, 21)) == {"day": 0, "hour": 0, "quiet": True}
    assert services.reminders_send(now=at(MONDAY, 20, 59)) == {"day": 1, "hour": 0, "quiet": False}
    # The hour-before reminder of a 07:30 slot falls at 06:30, in quiet hours: not sent then…
    assert services.reminders_send(now=at(TUESDAY, 6, 30))["quiet"] is True
    # …and at 07:00, when quiet hours end, the slot is 30 minutes away: it goes out then.
    assert services.reminders_send(now=at(TUESDAY, 7)) == {"day": 0, "hour": 1, "quiet": False}
    early.refresh_from_db()
    assert early.day_reminder_at == at(MONDAY, 20, 59) and early.hour_reminder_at == at(TUESDAY, 7)
    assert _messages(early, "appointment.reminder").count() == 2


def test_calendar_change_cancels_and_notifies(policy_a, monday, person):
    hit = _book(policy_a.group, at(TUESDAY, 8), now=monday, phone="0912000002")
    other_day = _book(policy_a.group, at(TUESDAY + datetime.timedelta(days=1), 8), now=monday, phone="0912000003")
    calendar_override_set(date=TUESDAY, kind=OverrideKind.DAY_OFF, reason="Nghỉ đột xuất", legal_basis="Công văn thử")
    hit.refresh_from_db()
    other_day.refresh_from_db()
    assert hit.status == BookingStatus.CANCELLED
    assert other_day.status == BookingStatus.BOOKED
    notice = _messages(hit, "appointment.cancelled").get()
    assert "08/12/2026" in notice.body and "ngay nghi" in notice.body  # SMS text is folded
    assert hit.events.filter(action="cancel").exists()


def test_check_in_window_and_ticket(policy_a, monday, office_b):
    booking = _book(policy_a.group, at(TUESDAY, 10), now=monday)
    # Slot 10:00–10:30; early 30 min, grace 15 min: accepted from 09:30 to 10:45 inclusive.
    with pytest.raises(DomainError) as refused:
        services.booking_check_in(booking=booking, now=at(TUESDAY, 9, 30) - datetime.timedelta(seconds=1))
    assert refused.value.code == "booking_too_early"
    with pytest.raises(DomainError) as refused:
        services.booking_check_in(booking=booking, office=office_b, now=at(TUESDAY, 10))
    assert refused.value.code == "booking_wrong_office"
    assert not Ticket.objects.exists()
    done = services.booking_check_in(booking=booking, office=policy_a.group.office, now=at(TUESDAY, 9, 30))
    assert done.status == BookingStatus.CHECKED_IN
    ticket = done.ticket
    assert ticket.channel == TicketChannel.BOOKING and ticket.appointment_at == at(TUESDAY, 10)
    assert ticket.phone == booking.phone and ticket.group == policy_a.group
    with pytest.raises(DomainError) as refused:
        services.booking_check_in(booking=booking, now=at(TUESDAY, 10))
    assert refused.value.code == "action_not_allowed"


def test_check_in_too_late(policy_a, monday):
    booking = _book(policy_a.group, at(TUESDAY, 10), now=monday)
    limit = at(TUESDAY, 10, 45)
    with pytest.raises(DomainError) as refused:
        services.booking_check_in(booking=booking, now=limit + datetime.timedelta(seconds=1))
    assert refused.value.code == "booking_too_late"
    assert services.booking_check_in(booking=booking, now=limit).status == BookingStatus.CHECKED_IN


def test_jobs_command_runs(policy_a, monday):
    from django.core.management import call_command

    call_command("appointments_jobs")
    assert timezone.now()
