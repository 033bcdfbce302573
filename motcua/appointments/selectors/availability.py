"""What can be booked: offices, service groups, days and free slots. Public: no personal data."""

from __future__ import annotations

import datetime

from django.db.models import Count
from django.utils import timezone

from motcua.core import scope
from motcua.core.models import OneStopOffice
from motcua.queue.models import ServiceGroup

from .. import slots
from ..models import ACTIVE_STATUSES, Booking, BookingPolicy


def bookable_groups(office: OneStopOffice | None = None):
    """Active service groups with bookings switched on (of one office when given)."""
    rows = ServiceGroup.objects.filter(
        is_active=True, office__is_active=True, booking_policy__is_enabled=True
    ).select_related("office", "booking_policy")
    if office is not None:
        rows = rows.filter(office=office)
    return rows.order_by("office_id", "sort_order", "name")


def bookable_groups_for_officer(user):
    """The bookable groups at the offices of the agencies the officer covers (the desk's booking form)."""
    rows = bookable_groups()
    return rows if user.is_superuser else rows.filter(office__agency__in=scope.covered_agencies(user))


def bookable_offices():
    ids = bookable_groups().values("office_id")
    return OneStopOffice.objects.filter(pk__in=ids, is_active=True).select_related("agency").order_by("name")


def policy_for(group: ServiceGroup) -> BookingPolicy | None:
    """The group's policy when it takes bookings, else None."""
    if not group.is_active:
        return None
    policy = BookingPolicy.objects.filter(group=group, is_enabled=True).select_related("group").first()
    return policy


def _taken(group: ServiceGroup, first: datetime.date, last: datetime.date) -> dict[datetime.datetime, int]:
    rows = (
        Booking.objects.filter(group=group, day__gte=first, day__lte=last, status__in=ACTIVE_STATUSES)
        .values("slot_start")
        .annotate(n=Count("id"))
    )
    return {row["slot_start"]: row["n"] for row in rows}


def _day_slots(policy, day, capacity, taken, now) -> list[slots.Slot]:
    return [
        slots.Slot(start=start, end=end, capacity=capacity, taken=taken.get(start, 0))
        for start, end in slots.day_slot_times(day, policy.slot_minutes)
        if slots.is_open(start, policy, now)
    ]


def free_slots(group: ServiceGroup, day: datetime.date, *, now: datetime.datetime | None = None) -> list[slots.Slot]:
    """The slots of `day` that can still be booked (before their cut-off), with places left.

    Empty when the group takes no bookings, the day is out of range or not a working day. A full
    slot is listed with `free == 0`, so pages can show it greyed out.
    """
    now = now or timezone.now()
    policy = policy_for(group)
    if policy is None:
        return []
    first, last = slots.day_range(policy, now)
    if not first <= day <= last:
        return []
    capacity = slots.policy_capacity(policy)
    if capacity <= 0:
        return []
    return _day_slots(policy, day, capacity, _taken(group, day, day), now)


def bookable_days(group: ServiceGroup, *, now: datetime.datetime | None = None) -> list[datetime.date]:
    """Days from today to `days_ahead` with at least one open slot that has a place left."""
    now = now or timezone.now()
    policy = policy_for(group)
    if policy is None:
        return []
    capacity = slots.policy_capacity(policy)
    if capacity <= 0:
        return []
    first, last = slots.day_range(policy, now)
    taken = _taken(group, first, last)
    days = []
    day = first
    while day <= last:
        if any(slot.free for slot in _day_slots(policy, day, capacity, taken, now)):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days
