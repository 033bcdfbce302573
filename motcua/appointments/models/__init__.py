from .bookings import ACTIVE_STATUSES, Booking, BookingChannel, BookingEvent, BookingStatus
from .policy import BookingPolicy
from .switchboard import SwitchboardCall, SwitchboardState

__all__ = [
    "ACTIVE_STATUSES",
    "Booking",
    "BookingChannel",
    "BookingEvent",
    "BookingPolicy",
    "BookingStatus",
    "SwitchboardCall",
    "SwitchboardState",
]
