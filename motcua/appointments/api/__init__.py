from .bookings import router

__all__ = ["router"]
