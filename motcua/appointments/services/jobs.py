"""Scheduled work (`manage.py appointments_jobs`, every 5 minutes in ops/schedule.py).

Reminders, each sent at most once (a conditional update claims the row, and the outbox dedupe key
repeats the guarantee):
- the day before: when the slot starts within the next 24 hours but more than 2 hours from now,
  for bookings made more than 24 hours before their slot (a later booking just got its
  confirmation);
- an hour before: when the slot starts within the next 60 minutes, for bookings made more than an
  hour before their slot.
Quiet hours (21:00–07:00 local, the notifications settings): the job sends no reminder. A
day-before reminder due at night goes out at the first run after 07:00 if the slot is still more
than 2 hours away; an hour-before reminder due at night (slots before 08:00) is not sent.

No-shows: a booking still BOOKED after its slot end + the policy's `grace_minutes` becomes NO_SHOW.
Both functions take `now=` so tests and the demo run them at a chosen moment.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from motcua.notifications.services import quiet_hours_release

from ..models import Booking, BookingPolicy, BookingStatus
from . import notices
from .bookings import event_write
from .machine import MACHINE, SYSTEM

DAY_BEFORE = datetime.timedelta(hours=24)
DAY_BEFORE_LAST = datetime.timedelta(hours=2)
HOUR_BEFORE = datetime.timedelta(hours=1)
DEFAULT_GRACE = datetime.timedelta(minutes=15)


def _claim(booking: Booking, field: str, now) -> bool:
    return bool(
        Booking.objects.filter(pk=booking.pk, status=BookingStatus.BOOKED, **{f"{field}__isnull": True}).update(
            **{field: now}
        )
    )


def reminders_send(*, now: datetime.datetime | None = None) -> dict:
    """Send the reminders due at `now`; returns {"day": n, "hour": n, "quiet": bool}."""
    now = now or timezone.now()
    if quiet_hours_release(now) is not None:
        return {"day": 0, "hour": 0, "quiet": True}
    sent = {"day": 0, "hour": 0, "quiet": False}
    booked = Booking.objects.filter(status=BookingStatus.BOOKED).select_related("person", "group", "office")
    due_day = booked.filter(
        day_reminder_at__isnull=True, slot_start__gt=now + DAY_BEFORE_LAST, slot_start__lte=now + DAY_BEFORE
    )
    for booking in due_day:
        if booking.created_at > booking.slot_start - DAY_BEFORE:
            continue
        with transaction.atomic():
            if _claim(booking, "day_reminder_at", now):
                notices.reminder(booking, key="remind_day", now=now)
                event_write(booking, action="remind_day", from_status=booking.status)
                sent["day"] += 1
    due_hour = booked.filter(hour_reminder_at__isnull=True, slot_start__gt=now, slot_start__lte=now + HOUR_BEFORE)
    for booking in due_hour:
        if booking.created_at > booking.slot_start - HOUR_BEFORE:
            continue
        with transaction.atomic():
            if _claim(booking, "hour_reminder_at", now):
                notices.reminder(booking, key="remind_hour", now=now)
                event_write(booking, action="remind_hour", from_status=booking.status)
                sent["hour"] += 1
    return sent


def no_shows_mark(*, now: datetime.datetime | None = None) -> int:
    """Mark as NO_SHOW the bookings not checked in by slot end + grace; returns how many."""
    now = now or timezone.now()
    graces = {
        group_id: datetime.timedelta(minutes=minutes)
        for group_id, minutes in BookingPolicy.objects.values_list("group_id", "grace_minutes")
    }
    marked = 0
    candidates = Booking.objects.filter(status=BookingStatus.BOOKED, slot_end__lt=now).values_list(
        "pk", "group_id", "slot_end"
    )
    for pk, group_id, slot_end in candidates:
        if slot_end + graces.get(group_id, DEFAULT_GRACE) >= now:
            continue
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=pk).first()
            if booking is None or MACHINE.permits(booking.status, "no_show", {SYSTEM}):
                continue
            booking.status = BookingStatus.NO_SHOW
            booking.save(update_fields=["status", "updated_at"])
            event_write(booking, action="no_show", from_status=BookingStatus.BOOKED)
            marked += 1
    return marked
