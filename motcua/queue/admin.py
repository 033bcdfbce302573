"""Admin: offices configure their service groups, priority groups and queue settings here; tickets
and calls are read-only (every change goes through the desk services)."""

from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin

from .models import PriorityGroup, QueueSettings, ServiceGroup, Ticket, TicketCall


@admin.register(ServiceGroup)
class ServiceGroupAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "code", "office", "sort_order", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code", "office__name")
    raw_id_fields = ("office",)
    filter_horizontal = ("fields", "procedures", "counters")


@admin.register(PriorityGroup)
class PriorityGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "weight", "is_active")


@admin.register(QueueSettings)
class QueueSettingsAdmin(admin.ModelAdmin):
    list_display = ("office", "priority_streak_max")
    raw_id_fields = ("office",)


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "day", "office", "group", "status", "channel", "priority", "counter", "issued_at")
    list_filter = ("status", "channel", "day")
    search_fields = ("code",)
    exclude = ("phone", "person", "follow_token")


@admin.register(TicketCall)
class TicketCallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "ticket", "counter", "kind")
    list_filter = ("kind",)
