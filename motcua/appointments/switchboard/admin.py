"""Switchboard calls in the admin: read-only (only the webhook's service writes them)."""

from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin

from ..models import SwitchboardCall


@admin.register(SwitchboardCall)
class SwitchboardCallAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("call_id", "caller", "state", "booking_code", "started_at", "ended_at")
    list_filter = ("state",)
    search_fields = ("call_id", "caller", "booking_code")
    date_hierarchy = "started_at"
