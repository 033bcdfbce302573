"""What a dossier owes, and the money that came in against it.

A `PaymentRequest` is the amount due for one dossier (fee items after exemptions), with a short
unique `reference` the citizen puts in the bank-transfer content (the VietQR code carries it).
Every sum received is a `Payment`, whatever the way (cash at the desk, bank transfer matched from a
statement or a bank notification, payment gateway); a payment that matches no request is kept with
`request` empty for the cashier to resolve. `(method, external_id)` is unique, so the same bank
transaction or gateway callback is never counted twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import validate_tax_code
from motcua.core.models import TimeStampedModel, optional_fk, set_null_fk, set_null_one_to_one
from motcua.core.text import format_vnd


class CollectionAccount(TimeStampedModel):
    """The bank account an agency collects fees into (shown in its VietQR codes)."""

    agency = models.OneToOneField(
        "core.Agency", verbose_name=_("cơ quan"), on_delete=models.CASCADE, related_name="collection_account"
    )
    # NAPAS bank identification number (6 digits, e.g. 970405 Agribank).
    bank_bin = models.CharField(_("mã BIN ngân hàng"), max_length=6)
    bank_name = models.CharField(_("tên ngân hàng"), max_length=120)
    account_number = models.CharField(_("số tài khoản"), max_length=19)
    account_name = models.CharField(_("tên tài khoản"), max_length=120)
    # The collecting unit's tax code (mã số thuế), printed on every e-receipt (Decree 123/2020, art. 32).
    tax_code = models.CharField(
        _("mã số thuế của đơn vị thu"),
        max_length=14,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("10 chữ số (hoặc 10 chữ số, dấu gạch ngang và 3 chữ số); in trên biên lai điện tử"),
    )
    # A demo/test account (the demo loader's): the payment page says so, nobody should transfer real money.
    is_demo = models.BooleanField(_("tài khoản thử nghiệm"), default=False)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("tài khoản thu")
        verbose_name_plural = _("tài khoản thu")

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"


class PaymentRequestStatus(models.TextChoices):
    OPEN = "open", _("Chờ nộp")
    PARTLY_PAID = "partly_paid", _("Đã nộp một phần")
    PAID = "paid", _("Đã nộp đủ")
    OVERPAID = "overpaid", _("Nộp thừa")
    CANCELLED = "cancelled", _("Đã hủy")


class PaymentRequest(TimeStampedModel):
    """The amount a dossier owes (thông báo nộp phí, lệ phí)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="payment_requests"
    )
    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan thu"), on_delete=models.PROTECT, related_name="+")
    # Put in the transfer content ("MC7K2Q9P"): short, upper-case, no look-alike characters.
    reference = models.CharField(_("mã thanh toán"), max_length=16, unique=True)
    # The assessment breakdown, one dict per line (see services/assessment.py `_price`): name, kind,
    # group, unit_amount, quantity, full_amount, amount, exempt, exemption and its ground, reduction.
    items = models.JSONField(_("các khoản thu"), default=list)
    amount_due = models.PositiveBigIntegerField(_("số tiền phải nộp (đồng)"))
    amount_paid = models.PositiveBigIntegerField(_("số tiền đã nộp (đồng)"), default=0)
    status = models.CharField(
        _("tình trạng"),
        max_length=12,
        choices=PaymentRequestStatus.choices,
        default=PaymentRequestStatus.OPEN,
        db_index=True,
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # What the officer changed from the default assessment, then why (empty: the default was kept).
    change_reason = models.TextField(_("thay đổi so với mức thu mặc định và lý do"), blank=True)
    requested_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"), related_name="+")
    paid_at = models.DateTimeField(_("nộp đủ lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    cancel_reason = models.CharField(_("lý do hủy"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("yêu cầu nộp phí, lệ phí")
        verbose_name_plural = _("yêu cầu nộp phí, lệ phí")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one live request per dossier: a new one cancels the old.
            models.UniqueConstraint(
                fields=["dossier"],
                name="payment_request_one_open_per_dossier",
                condition=models.Q(status__in=["open", "partly_paid"]),
            ),
        ]
        indexes = [models.Index(fields=["agency", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.reference} ({format_vnd(self.amount_due)})"

    @property
    def amount_outstanding(self) -> int:
        return max(self.amount_due - self.amount_paid, 0)


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại quầy")
    BANK_TRANSFER = "bank_transfer", _("Chuyển khoản (VietQR)")
    GATEWAY = "gateway", _("Cổng thanh toán")


class PaymentStatus(models.TextChoices):
    # Counted toward its request.
    SUCCEEDED = "succeeded", _("Đã nhận")
    # Money in that matches no request (or the request was already paid/cancelled): the cashier decides.
    UNMATCHED = "unmatched", _("Chưa xác định hồ sơ")
    # Handed back to the payer (over-payment, payment for a withdrawn dossier).
    REFUNDED = "refunded", _("Đã hoàn trả")


class Payment(TimeStampedModel):
    """A sum received, by any way."""

    request = optional_fk(PaymentRequest, _("yêu cầu nộp"), on_delete=models.PROTECT, related_name="payments")
    method = models.CharField(_("hình thức"), max_length=16, choices=PaymentMethod.choices)
    status = models.CharField(_("tình trạng"), max_length=12, choices=PaymentStatus.choices, db_index=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    # Bank transaction id, gateway transaction number, or the cash slip's id: unique per method.
    external_id = models.CharField(_("mã giao dịch"), max_length=64, null=True, blank=True)
    payer_name = models.CharField(_("người nộp"), max_length=255, blank=True)
    # The transfer content as the bank gave it, or the cashier's note.
    description = models.CharField(_("nội dung"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    recorded_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người ghi nhận"), related_name="+")
    statement_line = set_null_one_to_one("payments.BankStatementLine", related_name="payment")
    gateway_transaction = set_null_one_to_one("payments.GatewayTransaction", related_name="payment")
    resolution_note = models.CharField(_("xử lý của thu ngân"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("khoản đã nộp")
        verbose_name_plural = _("khoản đã nộp")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["method", "external_id"], name="payment_external_id_unique"),
        ]
        indexes = [models.Index(fields=["status", "-received_at"])]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {format_vnd(self.amount)}"


class BankStatementImport(TimeStampedModel):
    """One bank statement file (CSV or Excel) imported for reconciliation."""

    account = optional_fk(CollectionAccount, _("tài khoản thu"), on_delete=models.PROTECT, related_name="statements")
    file_name = models.CharField(_("tên tệp"), max_length=255)
    # The same file imported twice is refused.
    sha256 = models.CharField(max_length=64, unique=True)
    imported_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người nhập"), related_name="+")
    line_count = models.PositiveIntegerField(_("số dòng"), default=0)
    # {"matched": n, "partial": n, "overpaid": n, "unmatched": n, "duplicate": n, "invalid": n, "ignored": n}
    summary = models.JSONField(_("kết quả đối soát"), default=dict)

    class Meta:
        verbose_name = _("sao kê ngân hàng")
        verbose_name_plural = _("sao kê ngân hàng")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.file_name


class LineOutcome(models.TextChoices):
    MATCHED = "matched", _("Khớp, đủ tiền")
    PARTIAL = "partial", _("Khớp, nộp thiếu")
    OVERPAID = "overpaid", _("Khớp, nộp thừa")
    UNMATCHED = "unmatched", _("Không khớp hồ sơ nào")
    DUPLICATE = "duplicate", _("Giao dịch đã ghi nhận")
    INVALID = "invalid", _("Dòng không hợp lệ")
    # Debits and zero lines: not money in.
    IGNORED = "ignored", _("Không phải tiền vào")


class BankStatementLine(models.Model):
    statement = models.ForeignKey(BankStatementImport, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveIntegerField(_("dòng"))
    bank_txn_id = models.CharField(_("mã giao dịch ngân hàng"), max_length=64, blank=True)
    booked_at = models.DateTimeField(_("ngày giao dịch"), null=True, blank=True)
    amount = models.BigIntegerField(_("số tiền"), null=True, blank=True)
    description = models.CharField(_("nội dung"), max_length=500, blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=LineOutcome.choices, db_index=True)
    request = set_null_fk(PaymentRequest, related_name="+")
    error = models.CharField(_("lỗi"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("dòng sao kê")
        verbose_name_plural = _("dòng sao kê")
        ordering = ["statement_id", "line_no"]

    def __str__(self) -> str:
        return f"{self.statement_id}:{self.line_no}"


class GatewayTransaction(TimeStampedModel):
    """One attempt to pay a request through the payment gateway (redirect, then callback)."""

    class State(models.TextChoices):
        CREATED = "created", _("Đã tạo, chờ thanh toán")
        SUCCEEDED = "succeeded", _("Thành công")
        FAILED = "failed", _("Không thành công")

    request = models.ForeignKey(PaymentRequest, on_delete=models.PROTECT, related_name="gateway_transactions")
    provider = models.CharField(_("cổng thanh toán"), max_length=32)
    # Our reference sent to the gateway (unique per attempt).
    txn_ref = models.CharField(_("mã giao dịch gửi cổng"), max_length=40, unique=True)
    amount = models.PositiveBigIntegerField(_("số tiền (đồng)"))
    state = models.CharField(
        _("tình trạng"), max_length=10, choices=State.choices, default=State.CREATED, db_index=True
    )
    provider_txn_no = models.CharField(_("mã giao dịch của cổng"), max_length=64, blank=True)
    response_code = models.CharField(_("mã phản hồi"), max_length=8, blank=True)
    completed_at = models.DateTimeField(_("hoàn tất lúc"), null=True, blank=True)
    callback_count = models.PositiveIntegerField(_("số lần cổng báo về"), default=0)
    last_callback = models.JSONField(_("lần báo gần nhất"), default=dict, blank=True)
    created_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        verbose_name = _("giao dịch cổng thanh toán")
        verbose_name_plural = _("giao dịch cổng thanh toán")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.txn_ref
