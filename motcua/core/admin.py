"""Django admin for the core app. Each area keeps a self-contained section below."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import models as core_models
from motcua.core.admin_mixins import ReadOnlyAdminMixin
from motcua.core.calendar import national_day_name, package_mismatches
from motcua.core.errors import DomainError
from motcua.core.models import CalendarOverride, OfficeHours
from motcua.core.services import agencies as services_agencies
from motcua.core.services import calendar as calendar_services
from motcua.core.shortcuts import year_param

# --- Working-day calendar: overrides and office hours ----------------------------------------
# Saves and deletes go through motcua.core.services.calendar so that every process drops its
# cached calendar and an audit event is written.


_WEEKDAYS = (_("Thứ Hai"), _("Thứ Ba"), _("Thứ Tư"), _("Thứ Năm"), _("Thứ Sáu"), _("Thứ Bảy"), _("Chủ nhật"))


class CalendarOverrideForm(forms.ModelForm):
    class Meta:
        model = CalendarOverride
        fields = ["date", "kind", "reason", "legal_basis", "basis_date", "confirmed", "note"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                calendar_services.calendar_override_check(
                    date=data["date"],
                    kind=data["kind"],
                    reason=data["reason"],
                    legal_basis=data["legal_basis"],
                    basis_date=data.get("basis_date"),
                    confirmed=data.get("confirmed", False),
                )
            except DomainError as exc:
                raise ValidationError(exc.message, code=exc.code)
        return data


class CalendarYearFilter(admin.SimpleListFilter):
    title = _("năm")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        years = sorted({d.year for d in CalendarOverride.objects.dates("date", "year")}, reverse=True)
        return [(str(y), str(y)) for y in years]

    def queryset(self, request, queryset):
        year = year_param(self.value())
        return queryset.filter(date__year=year) if year is not None else queryset


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """The province's calendar table. The list page also warns about dates `holidays.VN` lists with
    no row here (and says whether they still apply) and about rows not checked against their text."""

    form = CalendarOverrideForm
    list_display = ("date", "weekday", "kind", "reason", "basis", "confirmed_state", "national_calendar")
    list_filter = ("confirmed", "kind", CalendarYearFilter)
    date_hierarchy = "date"
    search_fields = ("reason", "legal_basis", "note")
    ordering = ("-date",)

    @admin.display(description=_("thứ"))
    def weekday(self, obj: CalendarOverride) -> str:
        return str(_WEEKDAYS[obj.date.weekday()])

    @admin.display(description=_("căn cứ pháp lý"))
    def basis(self, obj: CalendarOverride) -> str:
        if obj.basis_date:
            return f"{obj.legal_basis} ({obj.basis_date:%d/%m/%Y})"
        return obj.legal_basis

    @admin.display(description=_("đối chiếu"), ordering="confirmed")
    def confirmed_state(self, obj: CalendarOverride) -> str:
        return str(_("Đã đối chiếu")) if obj.confirmed else str(_("CHƯA ĐỐI CHIẾU"))

    @admin.display(description=_("theo thư viện holidays"))
    def national_calendar(self, obj: CalendarOverride) -> str:
        name = national_day_name(obj.date)
        if name:
            return name
        return str(_("Nghỉ hằng tuần")) if obj.date.weekday() >= 5 else str(_("Ngày làm việc"))

    def changelist_view(self, request, extra_context=None):
        if request.method == "GET" and self.has_view_or_change_permission(request):
            self._warn_about_the_table(request)
        return super().changelist_view(request, extra_context)

    def _warn_about_the_table(self, request) -> None:
        this_year = timezone.localdate().year
        years = set(range(this_year - 1, this_year + 2)) | {
            d.year for d in CalendarOverride.objects.dates("date", "year")
        }
        for item in package_mismatches(years):
            if item.applied:
                text = _(
                    "Thư viện holidays ghi %(date)s (%(name)s) là ngày nghỉ; năm này chưa có trong bảng "
                    "của tỉnh nên ngày này VẪN được tính là ngày nghỉ."
                )
            else:
                text = _(
                    "Thư viện holidays ghi %(date)s (%(name)s) là ngày nghỉ nhưng bảng của tỉnh không có "
                    "dòng nào: ngày này KHÔNG được tính là ngày nghỉ."
                )
            messages.warning(request, text % {"date": f"{item.date:%d/%m/%Y}", "name": item.name})
        pending = CalendarOverride.objects.filter(confirmed=False).count()
        if pending:
            messages.warning(
                request,
                _("Có %(count)s dòng chưa đối chiếu văn bản làm căn cứ (lọc “đã đối chiếu văn bản: Không”).")
                % {"count": pending},
            )

    def save_model(self, request, obj, form, change):
        calendar_services.calendar_override_save(override=obj, actor=request.user)

    def delete_model(self, request, obj):
        calendar_services.calendar_override_delete(override=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for override in queryset:
            calendar_services.calendar_override_delete(override=override, actor=request.user)


class OfficeHoursForm(forms.ModelForm):
    class Meta:
        model = OfficeHours
        fields = ["morning_start", "morning_end", "afternoon_start", "afternoon_end", "paper_cutoff"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                calendar_services.office_hours_check(**{field: data[field] for field in self.Meta.fields})
            except DomainError as exc:
                raise ValidationError(exc.message, code=exc.code)
        return data


@admin.register(OfficeHours)
class OfficeHoursAdmin(admin.ModelAdmin):
    """One row: the list page opens it directly, and it can be neither added nor deleted."""

    form = OfficeHoursForm

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)
        hours = calendar_services.office_hours_get_or_create()
        return redirect(reverse("admin:core_officehours_change", args=[hours.pk]))

    def save_model(self, request, obj, form, change):
        calendar_services.office_hours_save(office_hours=obj, actor=request.user)


# --- end of working-day calendar -------------------------------------------------------------


# --- Administrative units, hamlets, agencies, offices and counters ---------------------------
# Units come from vietnam-provinces (`load_units`): read-only here, a re-load would undo edits.
# Agency saves go through motcua.core.services.agencies (code check, audit event).


@admin.register(core_models.Unit)
class UnitAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "era", "parent")
    list_filter = ("era", "kind")
    search_fields = ("code", "name", "name_folded")
    list_select_related = ("parent",)
    ordering = ("era", "code")


@admin.register(core_models.Hamlet)
class HamletAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "unit", "code", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("name", "code", "unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)


class AgencyForm(forms.ModelForm):
    class Meta:
        model = core_models.Agency
        fields = ["code", "name", "short_name", "kind", "unit", "parent", "address", "phone", "email", "is_active"]

    def clean_code(self):
        try:
            return services_agencies.agency_code_check(self.cleaned_data["code"])
        except DomainError as exc:
            raise ValidationError(exc.message, code=exc.code)

    def clean_unit(self):
        unit = self.cleaned_data["unit"]
        if unit is not None and unit.era != core_models.Era.CURRENT:
            raise ValidationError(_("Cơ quan phải gắn với đơn vị hành chính hiện hành."), code="legacy_unit")
        return unit


@admin.register(core_models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    form = AgencyForm
    list_display = ("code", "name", "kind", "unit", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name", "short_name", "unit__name")
    autocomplete_fields = ("unit", "parent")
    list_select_related = ("unit",)

    def save_model(self, request, obj, form, change):
        services_agencies.agency_save(agency=obj, actor=request.user)


class CounterInline(admin.TabularInline):
    model = core_models.Counter
    fields = ("number", "name", "fields", "is_active")
    extra = 0


@admin.register(core_models.OneStopOffice)
class OneStopOfficeAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "is_active")
    list_filter = ("is_active", "agency__kind")
    search_fields = ("name", "agency__name", "agency__code")
    autocomplete_fields = ("agency",)
    list_select_related = ("agency",)
    inlines = (CounterInline,)


# --- end of administrative units and agencies ------------------------------------------------


# --- Accounts and people: users with their roles, citizens, organisations ----------------------
# Forms reuse motcua.core.identity so that the admin accepts exactly what the services accept.

from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin  # noqa: E402

from motcua.core import identity  # noqa: E402
from motcua.core.models import Organisation, Person, RoleAssignment, User  # noqa: E402
from motcua.core.services import accounts as account_services  # noqa: E402


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    autocomplete_fields = ("agency",)
    raw_id_fields = ("unit",)


@admin.register(User)
class MotcuaUserAdmin(DjangoUserAdmin):
    inlines = (RoleAssignmentInline,)
    list_display = ("username", "first_name", "is_officer", "has_totp", "is_active", "last_login")
    list_filter = ("is_officer", "totp_required", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "person__personal_id", "person__phone")
    raw_id_fields = ("person",)
    readonly_fields = ("has_totp",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Công dân, cán bộ và xác thực hai bước"), {"fields": ("person", "is_officer", "totp_required", "has_totp")}),
    )
    actions = ("reset_totp",)

    @admin.display(boolean=True, description=_("đã cài TOTP"))
    def has_totp(self, obj: User) -> bool:
        return bool(obj.totp_secret)

    @admin.action(description=_("Gỡ xác thực hai bước (mất điện thoại)"))
    def reset_totp(self, request, queryset):
        for user in queryset:
            account_services.user_totp_reset(user=user, actor=request.user)


class PersonAdminForm(forms.ModelForm):
    # Longer than the stored columns so that "+84 912 345 678" or a spaced ID can be typed.
    personal_id = forms.CharField(label=_("số định danh cá nhân"), max_length=20, required=False)
    phone = forms.CharField(label=_("số điện thoại"), max_length=20, required=False)

    class Meta:
        model = Person
        fields = "personal_id old_id full_name date_of_birth sex phone email address unit hamlet id_issued_on is_demo"
        fields = fields.split()

    def clean(self):
        data = super().clean()
        if data.get("personal_id"):
            try:
                data["personal_id"] = identity.validate_personal_id(
                    data["personal_id"], date_of_birth=data.get("date_of_birth"), sex=data.get("sex") or None
                )
            except ValidationError as exc:
                self.add_error("personal_id", exc)
        else:
            data["personal_id"] = None  # blank IDs must be NULL, or the unique index collides
        if data.get("phone"):
            try:
                data["phone"] = identity.normalize_phone(data["phone"])
            except ValidationError as exc:
                self.add_error("phone", exc)
        return data


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    form = PersonAdminForm
    list_display = ("full_name", "personal_id", "date_of_birth", "sex", "phone", "unit")
    list_filter = ("sex", "is_demo")
    search_fields = ("personal_id", "full_name", "full_name_folded", "phone")
    raw_id_fields = ("unit", "hamlet")
    list_select_related = ("unit",)


class OrganisationAdminForm(forms.ModelForm):
    tax_code = forms.CharField(label=_("mã số thuế"), max_length=20)
    phone = forms.CharField(label=_("số điện thoại"), max_length=20, required=False)

    class Meta:
        model = Organisation
        fields = ["tax_code", "name", "address", "unit", "representative", "phone", "email", "is_demo"]

    def clean_tax_code(self):
        try:
            return identity.validate_tax_code(self.cleaned_data["tax_code"])
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid_tax_code")

    def clean_phone(self):
        phone = self.cleaned_data.get("phone")
        return identity.normalize_phone(phone) if phone else ""


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ("name", "tax_code", "unit", "representative")
    search_fields = ("name", "tax_code")
    raw_id_fields = ("unit", "representative")
    list_select_related = ("unit", "representative")


# --- end of accounts and people ----------------------------------------------------------------
