"""Certificates, trust roots and the documents signed with them (PAdES)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


def _verify_token() -> str:
    return secrets.token_urlsafe(16)


class TrustRoot(TimeStampedModel):
    """A CA certificate the administrator trusts (e.g. the national root CA, a provider's CA)."""

    name = models.CharField(_("tên"), max_length=200)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    subject = models.CharField(_("chủ thể"), max_length=500)
    fingerprint_sha256 = models.CharField(max_length=64, unique=True)
    not_after = models.DateTimeField(_("hết hạn"))
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    # A test/demo CA (the demo loader's): what chains to it is shown everywhere as having no legal value.
    is_demo = models.BooleanField(
        _("chứng thư gốc thử nghiệm"),
        default=False,
        help_text=_("Chữ ký bằng chứng thư do gốc này cấp được hiển thị là thử nghiệm, không có giá trị pháp lý"),
    )

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")

    def __str__(self) -> str:
        return self.name


class SigningCertificate(TimeStampedModel):
    """A signing key held for an officer or an agency.

    `backend` names the signer: "pkcs12" keeps the PKCS#12 bundle here, encrypted with a key derived
    from the server's signing secret; another value is a dotted path to a signer class (USB token,
    HSM, remote signing service) that gets `backend_config`.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="signing_certificates",
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("tên gợi nhớ"), max_length=120)
    backend = models.CharField(_("kiểu ký"), max_length=200, default="pkcs12")
    backend_config = models.JSONField(default=dict, blank=True)
    pkcs12_encrypted = models.BinaryField(null=True, blank=True, editable=False)
    certificate_pem = models.TextField(_("chứng thư (PEM)"))
    subject_cn = models.CharField(_("tên chủ thể"), max_length=255)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=64)
    fingerprint_sha256 = models.CharField(max_length=64, unique=True)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("chứng thư ký số")
        verbose_name_plural = _("chứng thư ký số")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False) | models.Q(agency__isnull=False), name="signing_cert_has_holder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.subject_cn})"


class SignedDocument(TimeStampedModel):
    """A PDF we signed: what it belongs to, who signed, and the token in its QR code."""

    class Kind(models.TextChoices):
        RESULT = "result", _("Kết quả giải quyết")
        RECEIPT = "receipt", _("Biên lai")
        FORM = "form", _("Biểu mẫu")
        OFFICIAL = "official", _("Văn bản hành chính")

    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="signed_documents"
    )
    document = set_null_fk("dossiers.DossierDocument", related_name="signatures")
    receipt = models.ForeignKey(
        "payments.Receipt", null=True, blank=True, on_delete=models.PROTECT, related_name="signatures"
    )
    file = models.FileField(upload_to="signed/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    certificate = models.ForeignKey(SigningCertificate, on_delete=models.PROTECT, related_name="signed_documents")
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("người ký"), max_length=255)
    signed_at = models.DateTimeField(_("ký lúc"))
    verify_token = models.CharField(max_length=32, unique=True, default=_verify_token, editable=False)

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        ordering = ["-signed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.signer_name}"
