"""Reads for appointments: what can be booked (public) and bookings (who may see which)."""

from .availability import (
    bookable_days,
    bookable_groups,
    bookable_groups_for_officer,
    bookable_offices,
    free_slots,
    policy_for,
)
from .bookings import (
    booking_by_code,
    booking_for_citizen,
    booking_for_kiosk,
    booking_for_officer,
    booking_for_visitor,
    bookings_for_officer,
    bookings_of_citizen,
    clean_code,
)

__all__ = [
    "bookable_days",
    "bookable_groups",
    "bookable_groups_for_officer",
    "bookable_offices",
    "booking_by_code",
    "booking_for_citizen",
    "booking_for_kiosk",
    "booking_for_officer",
    "booking_for_visitor",
    "bookings_for_officer",
    "bookings_of_citizen",
    "clean_code",
    "free_slots",
    "policy_for",
]
