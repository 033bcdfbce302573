"""Demo bookings: a booking policy for every demo service group, and a few bookings over the next
working days at the first offices (portal, phone, desk), made through the real service so codes,
confirmations and limits are the real ones. Safe to run again: policies are kept, bookings are
made once (demo people's bookings exist → nothing more)."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from motcua.appointments.models import Booking, BookingChannel, BookingPolicy
from motcua.appointments.selectors import bookable_days, free_slots
from motcua.appointments.services import book
from motcua.core.errors import DomainError
from motcua.core.models import Person
from motcua.queue.models import ServiceGroup

BOOKING_OFFICES = 3
BOOKINGS_PER_OFFICE = 4
CHANNELS = (BookingChannel.PORTAL, BookingChannel.PORTAL_OTP, BookingChannel.PHONE, BookingChannel.DESK)


@dataclass
class DemoAppointmentsResult:
    policies_created: int = 0
    bookings_created: int = 0


def appointments_demo_build(*, seed: int, province: str) -> DemoAppointmentsResult:
    result = DemoAppointmentsResult()
    in_province = (
        Q(office__agency__unit__code=province)
        | Q(office__agency__unit__parent__code=province)
        | Q(office__agency__unit__parent__parent__code=province)
    )
    groups = list(ServiceGroup.objects.filter(in_province, is_active=True).order_by("office_id", "sort_order"))
    for group in groups:
        _policy, made = BookingPolicy.objects.get_or_create(group=group)
        result.policies_created += made
    people = list(Person.objects.filter(is_demo=True).exclude(phone="").order_by("pk")[:50])
    if not people or Booking.objects.filter(person__is_demo=True).exists():
        return result
    rng = random.Random(f"motcua-demo:{seed}:appointments")
    offices = sorted({g.office_id for g in groups})[:BOOKING_OFFICES]
    for office_id in offices:
        office_groups = [g for g in groups if g.office_id == office_id]
        for index in range(BOOKINGS_PER_OFFICE):
            group = rng.choice(office_groups)
            days = bookable_days(group)[1:4]
            if not days:
                continue
            slots = [s for s in free_slots(group, rng.choice(days)) if s.free]
            if not slots:
                continue
            person = people[(office_id * BOOKINGS_PER_OFFICE + index) % len(people)]
            channel = CHANNELS[index % len(CHANNELS)]
            try:
                book(
                    group=group,
                    slot_start=rng.choice(slots).start,
                    channel=channel,
                    name=person.full_name,
                    phone=person.phone,
                    person=person if channel != BookingChannel.PORTAL_OTP else None,
                    now=timezone.now() - datetime.timedelta(seconds=1),
                )
            except DomainError:
                continue  # a person already booked that day: fine for a demo
            result.bookings_created += 1
    return result
