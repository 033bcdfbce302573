"""Admin: each service group's booking policy is edited here; bookings are read-only (every change
goes through the services: cancel, move, check-in)."""

from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin, ReadOnlyTabularInline

from .models import Booking, BookingEvent, BookingPolicy


@admin.register(BookingPolicy)
class BookingPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "group",
        "is_enabled",
        "slot_minutes",
        "per_counter",
        "capacity_override",
        "days_ahead",
        "max_per_person_per_day",
        "cutoff_minutes",
        "no_show_limit",
    )
    list_filter = ("is_enabled",)
    raw_id_fields = ("group",)
    fieldsets = (
        (None, {"fields": ("group", "is_enabled")}),
        ("Khung giờ và sức chứa", {"fields": ("slot_minutes", "per_counter", "capacity_override")}),
        ("Giới hạn đặt", {"fields": ("days_ahead", "max_per_person_per_day", "cutoff_minutes")}),
        ("Xác nhận đến", {"fields": ("checkin_early_minutes", "grace_minutes")}),
        ("Vắng mặt nhiều lần", {"fields": ("no_show_limit", "no_show_window_days", "no_show_block_days")}),
    )


class BookingEventInline(ReadOnlyTabularInline):
    model = BookingEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "slot_start", "group", "office", "name", "status", "channel")
    list_filter = ("status", "channel")
    search_fields = ("code", "name", "phone")
    date_hierarchy = "slot_start"
    inlines = [BookingEventInline]

from .switchboard import admin as _switchboard_admin  # noqa: E402, F401  (its own admin module)
