"""Slots: the times a service group can be booked, built from office hours and the calendar.

A day has slots only when the working-day calendar (`motcua.core.calendar`) says it is a working
day: never on a public holiday, a substitute day off or a weekend that is not a swapped working
Saturday. Each office-hours window (morning, afternoon) is cut into slots of the policy's length
from its opening; a slot that would run past the window's end is not offered.

Rules at the edges (tests pin each one):
- the first slot starts exactly at opening, the last one ends at or before closing;
- a slot can be booked until `cutoff_minutes` before its start, that moment included;
- days from today up to `days_ahead` days after it, both included.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from motcua.core import calendar


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime
    capacity: int
    taken: int = 0

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)


def policy_capacity(policy) -> int:
    """Places in one slot: the fixed figure, or active counters serving the group × per counter."""
    if policy.capacity_override is not None:
        return policy.capacity_override
    counters = policy.group.counters.filter(is_active=True).count()
    return counters * policy.per_counter


def day_slot_times(day: datetime.date, slot_minutes: int) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """(start, end) of every slot of `day`; none on a day off."""
    if slot_minutes <= 0 or not calendar.is_working_day(day):
        return []
    tz = calendar.local_tz()
    step = datetime.timedelta(minutes=slot_minutes)
    times = []
    for open_at, close_at in calendar.office_hours_snapshot()["windows"]:
        cursor = datetime.datetime.combine(day, open_at, tz)
        end = datetime.datetime.combine(day, close_at, tz)
        while cursor + step <= end:
            times.append((cursor, cursor + step))
            cursor += step
    return times


def booking_deadline(slot_start: datetime.datetime, policy) -> datetime.datetime:
    """The last moment the slot can be booked (or a booking moved into it)."""
    return slot_start - datetime.timedelta(minutes=policy.cutoff_minutes)


def is_open(slot_start: datetime.datetime, policy, now: datetime.datetime) -> bool:
    return now <= booking_deadline(slot_start, policy)


def today(now: datetime.datetime | None = None) -> datetime.date:
    return calendar.as_local(now or timezone.now()).date()


def day_range(policy, now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    """The first and last day that can be booked (both included)."""
    first = today(now)
    return first, first + datetime.timedelta(days=policy.days_ahead)
