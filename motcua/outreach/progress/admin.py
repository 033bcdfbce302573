"""Admin for outreach targets. Saving goes through `target_set` (audit trail, same rules as the page)."""

from django.contrib import admin

from ..models import Target
from .services import target_delete, target_set


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["unit", "indicator", "campaign", "kind", "value", "starts_on", "ends_on"]
    list_filter = ["kind", "indicator"]
    search_fields = ["unit__name", "unit__code", "note"]
    raw_id_fields = ["unit", "campaign"]
    exclude = ["created_by"]

    def save_model(self, request, obj, form, change):
        if change:
            # The service keys a target by (unit, indicator, campaign, due date): replace the old row.
            Target.objects.filter(pk=obj.pk).delete()
        saved = target_set(
            actor=request.user,
            unit=obj.unit,
            ends_on=obj.ends_on,
            value=obj.value,
            kind=obj.kind,
            indicator=obj.indicator,
            campaign=obj.campaign,
            starts_on=obj.starts_on,
            note=obj.note,
        )
        obj.pk = saved.pk

    def delete_model(self, request, obj):
        target_delete(actor=request.user, target=obj)
