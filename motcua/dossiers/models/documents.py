from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


def dossier_file_path(instance, filename: str) -> str:
    # Files are named by content hash, never by what the uploader called them.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"dossiers/{instance.sha256[:2]}/{instance.sha256}.{ext}"


class DocumentKind(models.TextChoices):
    INPUT = "input", _("Thành phần hồ sơ")
    SUPPLEMENT = "supplement", _("Hồ sơ bổ sung")
    RESULT = "result", _("Kết quả giải quyết")
    FORM = "form", _("Biểu mẫu do hệ thống lập")


class DossierDocument(TimeStampedModel):
    """A file belonging to a dossier: an input document, a supplement, or a result.

    Results and digitised inputs are reusable: the citizen can attach them to later dossiers
    (`reused_from` points at the original), which is what "digitised" buys them.
    """

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại"), max_length=12, choices=DocumentKind.choices, default=DocumentKind.INPUT)
    required_document = set_null_fk("catalog.RequiredDocument", verbose_name=_("thành phần hồ sơ"), related_name="+")
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    file = models.FileField(_("tệp"), upload_to=dossier_file_path, max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # At the desk: the officer ticks the paper originals/copies received.
    paper_received = models.BooleanField(_("đã nhận bản giấy"), default=False)
    is_digitised = models.BooleanField(_("đã số hóa"), default=False)
    reused_from = set_null_fk("self", verbose_name=_("dùng lại từ"), related_name="reuses")
    uploaded_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), related_name="+")

    class Meta:
        verbose_name = _("giấy tờ hồ sơ")
        verbose_name_plural = _("giấy tờ hồ sơ")
        ordering = ["dossier_id", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class SupplementRequest(TimeStampedModel):
    """One complete list of what is missing (phiếu yêu cầu bổ sung, hoàn thiện hồ sơ)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="supplement_requests")
    items = models.JSONField(_("nội dung cần bổ sung"), default=list)
    note = models.TextField(_("ghi chú"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(_("đã bổ sung lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu bổ sung")
        verbose_name_plural = _("yêu cầu bổ sung")
        ordering = ["dossier_id", "created_at"]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.created_at:%d/%m/%Y}"


class ApologyLetter(TimeStampedModel):
    """Written apology with one new date, drafted before the deadline, sent once."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="apology")
    reason = models.TextField(_("lý do chậm"))
    new_due_at = models.DateTimeField(_("ngày hẹn mới"))
    drafted_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    sent_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        verbose_name = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại ngày trả kết quả")

    def __str__(self) -> str:
        return f"{self.dossier} – {self.new_due_at:%d/%m/%Y}"
