"""One phone call on the automated switchboard (tổng đài 1900): where the caller is in the menu
and what they chose so far. Written only by `motcua.appointments.switchboard.services`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SwitchboardState(models.TextChoices):
    MENU = "menu", _("Menu chính")
    OFFICE = "office", _("Chọn bộ phận một cửa")
    GROUP = "group", _("Chọn nhóm dịch vụ")
    DAY = "day", _("Chọn ngày")
    SLOT = "slot", _("Chọn giờ")
    CONFIRM = "confirm", _("Xác nhận đặt lịch")
    STATUS_CODE = "status_code", _("Nhập mã hồ sơ")
    STATUS_PHONE = "status_phone", _("Nhập 4 số cuối điện thoại")
    ENDED = "ended", _("Đã kết thúc")


class SwitchboardCall(models.Model):
    """The state of one call, keyed by the provider's call id; it expires after a quiet spell
    (`SWITCHBOARD_CALL_TTL_SECONDS`) so a call id reused later starts afresh."""

    call_id = models.CharField(_("mã cuộc gọi"), max_length=64, unique=True)
    caller = models.CharField(_("số gọi đến"), max_length=20)
    state = models.CharField(_("bước"), max_length=16, choices=SwitchboardState.choices, default=SwitchboardState.MENU)
    # What the caller chose so far and the numbered options last read out (ids, days, slot keys).
    choices = models.JSONField(_("lựa chọn"), default=dict, blank=True)
    # Invalid or missing answers at the current step; the third ends the call politely.
    tries = models.PositiveSmallIntegerField(_("số lần nhập sai"), default=0)
    # The provider numbers each request of a call (seq); a retry of the last one gets the same answer
    # back instead of being applied twice.
    last_seq = models.PositiveIntegerField(_("số thứ tự yêu cầu cuối"), default=0)
    last_answer = models.JSONField(_("câu trả lời cuối"), default=dict, blank=True)
    booking_code = models.CharField(_("mã đặt lịch"), max_length=32, blank=True)
    started_at = models.DateTimeField(_("bắt đầu"))
    updated_at = models.DateTimeField(_("cập nhật"))
    expires_at = models.DateTimeField(_("hết hạn"), db_index=True)
    ended_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("cuộc gọi tổng đài")
        verbose_name_plural = _("cuộc gọi tổng đài")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.call_id} ({self.get_state_display()})"
