"""Django admin for trust roots and signing certificates: additions go through the services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.errors import DomainError
from motcua.signing.models import SignedDocument, SigningCertificate, TrustRoot
from motcua.signing.services import certificates as svc


class TrustRootAddForm(forms.ModelForm):
    upload = forms.FileField(label=gettext_lazy("Tệp chứng thư gốc (PEM hoặc DER)"))

    class Meta:
        model = TrustRoot
        fields = ["name", "is_demo"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            data = upload.read(64 * 1024)
            try:
                self.instance = svc.trust_root_add(
                    actor=self.actor,
                    pem_or_der=data,
                    name=cleaned.get("name", ""),
                    is_demo=bool(cleaned.get("is_demo")),
                )
            except DomainError as exc:
                raise ValidationError(exc.message)
        return cleaned


@admin.register(TrustRoot)
class TrustRootAdmin(admin.ModelAdmin):
    list_display = ["name", "subject", "not_after", "is_active", "is_demo"]
    list_filter = ["is_active", "is_demo"]
    readonly_fields = ["certificate_pem", "subject", "fingerprint_sha256", "not_after", "is_active", "is_demo"]
    actions = ["deactivate"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            form = TrustRootAddForm
            form.actor = request.user
            return form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["name", "upload", "is_demo"] if obj is None else ["name", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        # A new root was already created by trust_root_add in the form's clean().

    @admin.action(description=gettext_lazy("Ngừng tin cậy"))
    def deactivate(self, request, queryset):
        for root in queryset:
            svc.trust_root_deactivate(actor=request.user, root=root)
        messages.success(request, _("Đã ngừng tin cậy các chứng thư gốc đã chọn."))


class CertificateAddForm(forms.ModelForm):
    upload = forms.FileField(label=gettext_lazy("Tệp PKCS#12 (.p12, .pfx)"))
    passphrase = forms.CharField(label=gettext_lazy("Mật khẩu"), required=False, widget=forms.PasswordInput)

    class Meta:
        model = SigningCertificate
        fields = ["label", "owner", "agency"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None:
            try:
                self.instance = svc.certificate_import_pkcs12(
                    actor=self.actor,
                    data=upload.read(svc.MAX_PKCS12_BYTES + 1),
                    passphrase=cleaned.get("passphrase") or None,
                    label=cleaned.get("label", ""),
                    owner=cleaned.get("owner"),
                    agency=cleaned.get("agency"),
                )
            except DomainError as exc:
                raise ValidationError(exc.message)
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(admin.ModelAdmin):
    list_display = ["label", "subject_cn", "owner", "agency", "backend", "not_after", "is_active", "revoked_at"]
    list_filter = ["is_active", "backend"]
    search_fields = ["label", "subject_cn", "serial", "fingerprint_sha256"]
    readonly_fields = [
        "owner",
        "agency",
        "backend",
        "certificate_pem",
        "subject_cn",
        "issuer",
        "serial",
        "fingerprint_sha256",
        "not_before",
        "not_after",
        "is_active",
        "revoked_at",
    ]
    actions = ["deactivate", "revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            form = CertificateAddForm
            form.actor = request.user
            return form
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["label", "owner", "agency", "upload", "passphrase"] if obj is None else ["label", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def _apply(self, request, queryset, func):
        for certificate in queryset:
            try:
                func(actor=request.user, certificate=certificate)
            except DomainError as exc:
                messages.error(request, f"{certificate}: {exc.message}")

    @admin.action(description=gettext_lazy("Ngừng dùng"))
    def deactivate(self, request, queryset):
        self._apply(request, queryset, svc.certificate_deactivate)

    @admin.action(description=gettext_lazy("Thu hồi"))
    def revoke(self, request, queryset):
        self._apply(request, queryset, svc.certificate_revoke)


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ["kind", "signer_name", "signed_at", "dossier", "sha256"]
    list_filter = ["kind"]
    search_fields = ["sha256", "verify_token", "dossier__code"]
    readonly_fields = [f.name for f in SignedDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
