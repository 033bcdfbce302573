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
        _register_message_events()


def _register_message_events() -> None:
    # Administrators can write SMS/Zalo templates for these events (notifications' event registry).
    from motcua.notifications.templates import EVENTS, EventSpec

    sample = {
        "ma_lich_hen": "K7M2QX",
        "gio_hen": "08:30 08/12/2026",
        "noi_dung": "Lịch hẹn K7M2QX lúc 08:30 08/12/2026.",
    }
    for key, label in (
        ("appointment.booked", "Xác nhận đặt lịch hẹn"),
        ("appointment.reminder", "Nhắc lịch hẹn"),
        ("appointment.cancelled", "Lịch hẹn bị hủy"),
    ):
        EVENTS.setdefault(key, EventSpec(key, label, dict(sample)))
