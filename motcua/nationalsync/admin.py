from django.contrib import admin

from motcua.core.admin_mixins import ReadOnlyAdminMixin

from .models import SyncMessage


@admin.register(SyncMessage)
class SyncMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was sent to the national portal, read only: resending goes through the reconciliation page."""

    list_display = ("dossier", "seq", "national_status", "state", "attempts", "reject_code", "changed_at", "sent_at")
    list_filter = ("state", "national_status")
    search_fields = ("dossier__code", "message_id")
    raw_id_fields = ("dossier",)
