"""Admin: the province configures categories, routing rules and its service area here; reports are
read-only, because every change to a report must go through the handling services and leave an
event (and keep the map counts right)."""

from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin, ReadOnlyTabularInline

from .models import FieldReport, ReportCategory, ReportEvent, ReportMedia, RoutingRule, ServiceArea
from .open311.admin import register as _register_open311_admin


@admin.register(ReportCategory)
class ReportCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "parent", "deadline_days", "allows_urgent", "urgent_hours", "order", "is_active")
    list_filter = ("is_active", "allows_urgent", "parent")
    search_fields = ("name", "code", "keywords")
    ordering = ("parent__order", "order", "name")


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "unit", "agency")
    list_filter = ("category",)
    search_fields = ("unit__name", "agency__name", "category__name")
    raw_id_fields = ("unit", "agency")


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ("unit", "center_lat", "center_lon", "zoom", "is_active")
    raw_id_fields = ("unit",)


class ReportEventInline(ReadOnlyTabularInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "note", "public")
    readonly_fields = fields


class ReportMediaInline(ReadOnlyTabularInline):
    model = ReportMedia
    fields = ("stage", "kind", "content_type", "size", "original", "public_file")
    readonly_fields = fields


@admin.register(FieldReport)
class FieldReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "category", "unit", "agency", "status", "overdue", "reviewed", "hidden", "submitted_at")
    list_filter = ("status", "overdue", "reviewed", "hidden", "urgent", "channel", "category__parent")
    search_fields = ("code", "title", "address")
    date_hierarchy = "submitted_at"
    inlines = [ReportMediaInline, ReportEventInline]


# --- Open311 clients ---------------------------------------------------------------------------
_register_open311_admin()
