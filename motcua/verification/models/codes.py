from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import set_null_fk


class OtpPurpose(models.TextChoices):
    CLAIM = "claim", _("Nhận hồ sơ công dân")
    DESK_CLAIM = "desk_claim", _("Xác minh tại quầy")
    PHONE_CHANGE = "phone_change", _("Đổi số điện thoại")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    BOOKING = "booking", _("Đặt lịch hẹn")


class OneTimeCode(models.Model):
    """A 6-digit code sent to one phone or e-mail address for one purpose.

    Only a keyed hash is kept (the text went out through the outbox, which blanks it once sent).
    A code is good until `expires_at`, for a limited number of attempts, and once: `used_at`.
    Issuing a new one for the same purpose and address ends the previous one.
    """

    purpose = models.CharField(_("mục đích"), max_length=16, choices=OtpPurpose.choices)
    code_hash = models.CharField(max_length=128)
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True, db_index=True)
    email = models.EmailField(_("thư điện tử"), blank=True, db_index=True)
    # Who the code is about: the person record being claimed, or the account being recovered.
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="one_time_codes"
    )
    # The officer who checked the chip card, for desk verification.
    issued_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    requested_from = models.GenericIPAddressField(_("yêu cầu từ địa chỉ"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn lúc"))
    attempts = models.PositiveSmallIntegerField(_("số lần nhập"), default=0)
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("mã xác thực một lần")
        verbose_name_plural = _("mã xác thực một lần")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phone", "created_at"], name="otp_phone_idx"),
            models.Index(fields=["email", "created_at"], name="otp_email_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(phone="") | ~models.Q(email=""), name="otp_has_address")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} → {self.phone or self.email}"
