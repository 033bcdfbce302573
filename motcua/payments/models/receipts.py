"""Electronic receipts (biên lai điện tử) for fees and charges.

Numbered in a series per agency and year: form (mẫu số), symbol (ký hiệu) and a number that
grows by one under a row lock. A receipt is never deleted: it is cancelled, or replaced by a new
one that points back to it, always with a reason.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


def _verify_token() -> str:
    return secrets.token_urlsafe(16)


class ReceiptSeries(TimeStampedModel):
    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan thu"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    form = models.CharField(_("mẫu số"), max_length=16)
    symbol = models.CharField(_("ký hiệu"), max_length=16)
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("quyển/dải biên lai")
        verbose_name_plural = _("quyển/dải biên lai")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "form", "symbol"], name="receipt_series_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.symbol} ({self.year})"


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Đã phát hành")
    CANCELLED = "cancelled", _("Đã hủy")
    REPLACED = "replaced", _("Đã bị thay thế")


class Receipt(TimeStampedModel):
    series = models.ForeignKey(ReceiptSeries, verbose_name=_("dải biên lai"), on_delete=models.PROTECT, related_name="receipts")
    number = models.PositiveIntegerField(_("số"))
    payment = models.ForeignKey(
        "payments.Payment", verbose_name=_("khoản nộp"), on_delete=models.PROTECT, related_name="receipts"
    )
    request = models.ForeignKey(
        "payments.PaymentRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    dossier = models.ForeignKey(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    # The collecting unit's tax code when the receipt was issued (from its collection account).
    collector_tax_code = models.CharField(_("mã số thuế đơn vị thu"), max_length=14, blank=True)
    payer_name = models.CharField(_("người nộp"), max_length=255)
    payer_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    payer_personal_id = models.CharField(_("số định danh"), max_length=14, blank=True)
    # [{"name", "amount"}] in đồng.
    items = models.JSONField(_("các khoản thu"), default=list)
    amount = models.PositiveBigIntegerField(_("tổng tiền (đồng)"))
    method = models.CharField(_("hình thức thanh toán"), max_length=16)
    issued_at = models.DateTimeField(_("ngày lập"))
    issued_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.ISSUED, db_index=True
    )
    cancel_reason = models.CharField(_("lý do hủy/thay thế"), max_length=500, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancelled_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    replaces = models.OneToOneField(
        "self", verbose_name=_("thay thế cho"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    # In the QR printed on the receipt: /bien-lai/<token>/ shows whether it is genuine and current.
    verify_token = models.CharField(max_length=32, unique=True, default=_verify_token, editable=False)
    pdf = models.FileField(_("tệp PDF"), upload_to="receipts/%Y/%m/", max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("biên lai điện tử")
        verbose_name_plural = _("biên lai điện tử")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["series", "number"], name="receipt_number_unique")]

    def __str__(self) -> str:
        return f"{self.series.form} {self.series.symbol} số {self.number:07d}"

    def delete(self, *args, **kwargs):
        raise models.ProtectedError("Biên lai không được xóa; hãy hủy hoặc thay thế.", {self})
