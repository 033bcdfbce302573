from .bookings import ACTIVE_STATUSES, Booking, BookingChannel, BookingEvent, BookingStatus
from .policy import BookingPolicy

__all__ = [
    "ACTIVE_STATUSES",
    "Booking",
    "BookingChannel",
    "BookingEvent",
    "BookingPolicy",
    "BookingStatus",
]
