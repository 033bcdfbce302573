"""Admin for Open311 clients; registered from fieldreports/admin.py (the app's admin module)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from motcua.fieldreports.models import Open311Client

from .clients import new_api_key


class Open311ClientAdmin(admin.ModelAdmin):
    list_display = ("name", "key_prefix", "is_active", "contact", "created_at")
    list_filter = ("is_active",)
    search_fields = ("name", "contact", "key_prefix")
    fields = ("name", "contact", "is_active", "key_prefix", "created_at")
    readonly_fields = ("key_prefix", "created_at")
    actions = ("deactivate",)

    def save_model(self, request, obj, form, change):
        api_key = None
        if not change:
            api_key, obj.key_hash, obj.key_prefix = new_api_key()
        super().save_model(request, obj, form, change)
        if api_key:
            # The only time the key exists in clear: the database keeps its hash.
            messages.warning(
                request,
                _("api_key của «%(name)s» (chỉ hiển thị một lần): %(key)s") % {"name": obj.name, "key": api_key},
            )

    @admin.action(description=_("Thu hồi khóa (ngừng hoạt động)"))
    def deactivate(self, request, queryset):
        count = queryset.update(is_active=False)
        messages.success(request, _("Đã thu hồi %(count)s khóa.") % {"count": count})


def register(site: admin.AdminSite = admin.site) -> None:
    if not site.is_registered(Open311Client):
        site.register(Open311Client, Open311ClientAdmin)
