"""Admin: workflows are edited here (with their steps inline); dossiers are read-only, because
every change to a dossier must go through the workflow services and leave an event."""

from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin, ReadOnlyTabularInline

from .models import Dossier, DossierEvent, DossierStep, Workflow, WorkflowStep


class WorkflowStepInline(admin.TabularInline):
    model = WorkflowStep
    extra = 0
    fields = ("order", "kind", "name", "role", "agency_kind", "duration_days")
    ordering = ("order", "id")


@admin.register(Workflow)
class WorkflowAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure", "on_the_spot", "is_active")
    list_filter = ("on_the_spot", "is_active")
    search_fields = ("name", "procedure__name", "procedure__code")
    raw_id_fields = ("procedure",)
    inlines = [WorkflowStepInline]


class DossierStepInline(ReadOnlyTabularInline):
    model = DossierStep
    fields = ("order", "kind", "name", "role", "agency", "assignee", "state", "due_at", "finished_at")
    readonly_fields = fields


class DossierEventInline(ReadOnlyTabularInline):
    model = DossierEvent
    fields = ("at", "actor", "action", "from_status", "to_status", "step", "note", "data", "public")
    readonly_fields = fields
    ordering = ("at", "id")


@admin.register(Dossier)
class DossierAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Viewing is allowed (view permission); saving would bypass the workflow recipe.
    list_display = ("code", "procedure", "applicant_name", "status", "deadline_state", "due_at", "receiving_agency")
    list_filter = ("status", "deadline_state", "channel")
    search_fields = ("code", "applicant_name", "applicant_personal_id", "applicant_phone")
    date_hierarchy = "received_at"
    list_select_related = ("procedure", "receiving_agency")
    inlines = [DossierStepInline, DossierEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
