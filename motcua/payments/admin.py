"""Admin for payments: collection accounts are edited here; requests and payments are read-only,
because money moves only through the payment services (which count, receipt and audit it)."""

from django.contrib import admin

from .models import CollectionAccount, Payment, PaymentRequest


@admin.register(CollectionAccount)
class CollectionAccountAdmin(admin.ModelAdmin):
    list_display = ("agency", "bank_name", "bank_bin", "account_number", "account_name", "tax_code", "is_demo", "is_active")
    list_filter = ("is_active", "is_demo", "bank_name")
    search_fields = ("agency__name", "account_number", "account_name", "tax_code")
    raw_id_fields = ("agency",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentRequest)
class PaymentRequestAdmin(_ReadOnly):
    list_display = ("reference", "dossier", "agency", "amount_due", "amount_paid", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("reference", "dossier__code")


@admin.register(Payment)
class PaymentAdmin(_ReadOnly):
    list_display = ("received_at", "method", "amount", "status", "external_id", "request")
    list_filter = ("method", "status")
    search_fields = ("external_id", "description", "payer_name", "request__reference")


# --- e-receipts: series and receipts ---
from .models import Receipt, ReceiptSeries  # noqa: E402


@admin.register(ReceiptSeries)
class ReceiptSeriesAdmin(admin.ModelAdmin):
    """An administrator opens a series (form, symbol) for an agency and year, or closes one; the
    numbers themselves move only through the receipt service, under a row lock."""

    list_display = ("agency", "year", "form", "symbol", "last_number", "is_active")
    list_filter = ("year", "is_active")
    search_fields = ("agency__name", "symbol")
    raw_id_fields = ("agency",)
    readonly_fields = ("last_number",)

    def get_readonly_fields(self, request, obj=None):
        # Once a series has numbers, its identity is printed on receipts and must not change.
        if obj is not None and obj.last_number:
            return ("agency", "year", "form", "symbol", "last_number")
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Receipt)
class ReceiptAdmin(_ReadOnly):
    list_display = ("__str__", "issued_at", "payer_name", "amount", "status")
    list_filter = ("status", "series__year")
    search_fields = ("payer_name", "dossier__code", "verify_token")


# --- payment channels: statements and gateway transactions ---
from .models import BankStatementImport, BankStatementLine, GatewayTransaction  # noqa: E402


class _StatementLineInline(admin.TabularInline):
    model = BankStatementLine
    fields = ("line_no", "bank_txn_id", "booked_at", "amount", "description", "outcome", "request", "error")
    readonly_fields = fields
    can_delete = False
    extra = 0
    max_num = 0
    show_change_link = False


@admin.register(BankStatementImport)
class BankStatementImportAdmin(_ReadOnly):
    list_display = ("file_name", "account", "line_count", "imported_by", "created_at")
    search_fields = ("file_name", "sha256")
    inlines = [_StatementLineInline]


@admin.register(GatewayTransaction)
class GatewayTransactionAdmin(_ReadOnly):
    list_display = ("txn_ref", "provider", "amount", "state", "response_code", "callback_count", "created_at")
    list_filter = ("provider", "state")
    search_fields = ("txn_ref", "provider_txn_no", "request__reference")
