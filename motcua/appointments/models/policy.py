from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class BookingPolicy(TimeStampedModel):
    """How one service group takes bookings: slot length, capacity, how far ahead, limits.

    One row per service group; a group without a row (or with `is_enabled` off) takes no bookings.
    The row is also the lock every booking of the group takes (`select_for_update`), so capacity
    and per-person limits are counted one booking at a time.
    """

    group = models.OneToOneField(
        "queue.ServiceGroup", verbose_name=_("nhóm dịch vụ"), on_delete=models.CASCADE, related_name="booking_policy"
    )
    is_enabled = models.BooleanField(_("nhận đặt lịch"), default=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("độ dài mỗi khung giờ (phút)"), default=30, validators=[MinValueValidator(5), MaxValueValidator(240)]
    )
    per_counter = models.PositiveSmallIntegerField(
        _("số lượt mỗi quầy trong một khung giờ"),
        default=2,
        help_text=_("Sức chứa của khung giờ = số quầy đang hoạt động phục vụ nhóm × con số này."),
    )
    capacity_override = models.PositiveSmallIntegerField(
        _("sức chứa cố định mỗi khung giờ"),
        null=True,
        blank=True,
        help_text=_("Để trống để tính theo số quầy."),
    )
    days_ahead = models.PositiveSmallIntegerField(
        _("đặt trước tối đa (ngày)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(90)]
    )
    max_per_person_per_day = models.PositiveSmallIntegerField(
        _("số lịch tối đa mỗi người mỗi ngày"), default=1, validators=[MinValueValidator(1)]
    )
    cutoff_minutes = models.PositiveSmallIntegerField(
        _("ngừng nhận trước giờ hẹn (phút)"), default=60, validators=[MaxValueValidator(24 * 60)]
    )
    checkin_early_minutes = models.PositiveSmallIntegerField(_("được xác nhận đến sớm nhất (phút)"), default=30)
    grace_minutes = models.PositiveSmallIntegerField(
        _("được đến muộn sau khung giờ (phút)"),
        default=15,
        help_text=_("Quá thời điểm hết khung giờ cộng số phút này mà chưa đến thì lịch hẹn bị ghi là vắng mặt."),
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("số lần vắng mặt bị hạn chế"), default=3, help_text=_("0: không hạn chế.")
    )
    no_show_window_days = models.PositiveSmallIntegerField(_("tính vắng mặt trong (ngày)"), default=60)
    no_show_block_days = models.PositiveSmallIntegerField(_("tạm ngừng đặt lịch trong (ngày)"), default=30)

    class Meta:
        verbose_name = _("quy định đặt lịch")
        verbose_name_plural = _("quy định đặt lịch")

    def __str__(self) -> str:
        return str(self.group)
