"""Admin pieces shared by every app's `admin.py`."""

from django.contrib import admin


class ReadOnlyAdminMixin:
    """Rows that only the domain's services write: the admin shows them and never adds, edits or
    deletes (saving here would bypass the service's checks and its audit row)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """A read-only list of a row's children (steps, events, media) under its admin page."""

    extra = 0
    can_delete = False
    show_change_link = False
