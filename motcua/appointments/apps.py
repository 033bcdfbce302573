from django.apps import AppConfig


class AppointmentsConfig(AppConfig):
    name = "motcua.appointments"
    label = "appointments"
    verbose_name = "Đặt lịch hẹn"

    def ready(self) -> None:
        # A day that becomes a day off cancels the bookings on it: core publishes the change and
        # this app, above it, answers inside the same transaction.
        from motcua.core import events
        from motcua.core.services.calendar import CALENDAR_CHANGED

        from .services.calendar_change import bookings_cancel_for_calendar

        events.subscribe(CALENDAR_CHANGED, bookings_cancel_for_calendar)
