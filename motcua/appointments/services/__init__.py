"""Writes for appointments. The names other apps call are re-exported here."""

from .bookings import book, booking_cancel, booking_create, booking_move, no_show_block_until
from .checkin import booking_check_in, checkin_window
from .jobs import no_shows_mark, reminders_send

__all__ = [
    "book",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_move",
    "checkin_window",
    "no_show_block_until",
    "no_shows_mark",
    "reminders_send",
]
