"""Django admin for the procedure catalog, with import from and export to CSV/JSON files.

Imports and exports go through motcua.catalog.services so that the admin, the management
commands and any future API share one all-or-nothing importer.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .fees import LINE_KEYS, lines_of, schedule_problems
from .models import FeeItem, Field, Procedure, RequiredDocument
from .services import procedure_admin_saved, procedure_export, procedure_import

_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 0
    fields = ("order", "name", "originals", "copies", "form_name", "is_required", "condition", "reusable_digitised")


class FeeItemFormSet(BaseInlineFormSet):
    """The lines saved together must make a schedule that can be applied (`catalog.fees`)."""

    def clean(self):
        super().clean()
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data or data.get("DELETE"):
                continue
            lines.append({key: data.get(key) for key in LINE_KEYS})
        problems = schedule_problems(lines_of(lines))
        if problems:
            raise forms.ValidationError(problems)


class FeeItemInline(admin.StackedInline):
    model = FeeItem
    formset = FeeItemFormSet
    extra = 0
    fields = (
        ("order", "name", "amount", "per_unit"),
        ("kind", "group", "when", "is_default", "condition"),
        ("local", "legal_basis"),
        ("exemption", "exemption_basis"),
        ("reduced_amount", "reduced_from", "reduced_until", "reduction_basis"),
    )


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "order")
    list_editable = ("order",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp CSV hoặc JSON"))
    format = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[("", gettext_lazy("Theo phần mở rộng của tệp")), ("csv", "CSV"), ("json", "JSON")],
        required=False,
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Chỉ kiểm tra, chưa ghi dữ liệu"), required=False)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        if upload.size > _MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Tệp quá lớn (tối đa 20 MB)."))
        fmt = data.get("format") or upload.name.rsplit(".", 1)[-1].lower()
        if fmt not in ("csv", "json"):
            raise forms.ValidationError(_("Không xác định được định dạng tệp; hãy chọn CSV hoặc JSON."))
        data["format"] = fmt
        return data


def _download(data: str | bytes, fmt: str) -> HttpResponse:
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json; charset=utf-8"
    response = HttpResponse(data, content_type=content_type)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="thu-tuc-{stamp}.{fmt}"'
    return response


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "field", "level", "online_level", "time_limit_days", "is_active", "needs_check")
    list_filter = ("field", "level", "online_level", "agency_kind", "is_active")
    search_fields = ("code", "key", "name", "keywords")
    list_select_related = ("field",)
    prepopulated_fields = {"key": ("name",)}
    inlines = (RequiredDocumentInline, FeeItemInline)
    actions = ("export_csv", "export_json")
    change_list_template = "admin/catalog/procedure/change_list.html"
    fieldsets = (
        (None, {"fields": ("code", "key", "name", "field", "level", "agency_kind", "agency_note", "is_active")}),
        (gettext_lazy("Thời hạn, phí"), {"fields": ("time_limit_days", "time_limit_text", "on_the_spot", "fee_text")}),
        (
            gettext_lazy("Nội dung"),
            {
                "fields": (
                    "online_level",
                    "result_type",
                    "result_signature",
                    "applicants",
                    "requirements",
                    "steps",
                    "legal_basis",
                    "keywords",
                )
            },
        ),
        (gettext_lazy("Hiệu lực, kiểm tra"), {"fields": ("valid_from", "check_notes")}),
        (gettext_lazy("Tờ khai điện tử"), {"fields": ("form_schema",)}),
    )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "form_schema":
            field.widget.attrs.update({"rows": 24, "cols": 100, "style": "font-family: monospace"})
        return field

    @admin.display(boolean=True, description=gettext_lazy("cần kiểm tra"))
    def needs_check(self, obj: Procedure) -> bool:
        return bool(obj.check_notes)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        procedure_admin_saved(procedure=form.instance, actor=request.user, created=not change)

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn ra CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return _download(procedure_export(format="csv", queryset=queryset), "csv")

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn ra JSON"), permissions=["view"])
    def export_json(self, request, queryset):
        return _download(procedure_export(format="json", queryset=queryset), "json")

    def get_urls(self):
        return [
            path("nhap-tu-tep/", self.admin_site.admin_view(self.import_view), name="catalog_procedure_import"),
            path("xuat/<str:fmt>/", self.admin_site.admin_view(self.export_view), name="catalog_procedure_export"),
            *super().get_urls(),
        ]

    def export_view(self, request, fmt: str):
        if not self.has_view_permission(request) or fmt not in ("csv", "json"):
            raise PermissionDenied
        return _download(procedure_export(format=fmt), fmt)

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            report = procedure_import(
                file=upload.read(),
                format=form.cleaned_data["format"],
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
            if report.ok and not report.dry_run:
                messages.success(request, report.summary())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Nhập thủ tục hành chính từ tệp"),
            "opts": self.opts,
            "form": form,
            "report": report,
            "changed": [c for c in report.changes if c.action != "unchanged"] if report else [],
            "changelist_url": reverse("admin:catalog_procedure_changelist"),
        }
        return TemplateResponse(request, "admin/catalog/procedure/import.html", context)
