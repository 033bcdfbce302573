from django.contrib import admin

from .models import ScheduledJob


@admin.register(ScheduledJob)
class ScheduledJobAdmin(admin.ModelAdmin):
    """Read-only: the scheduler writes these rows; an administrator only looks."""

    list_display = ("name", "slot", "started_at", "finished_at", "succeeded", "claimed_by")
    readonly_fields = list_display + ("output",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
