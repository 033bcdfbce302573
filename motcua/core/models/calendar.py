import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class OverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)")


class CalendarOverride(TimeStampedModel):
    """A province-decided change to the national calendar: an extra day off, or a weekend
    day made a working day (the government swaps days around Tết and 30/4 every year)."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=OverrideKind.choices)
    reason = models.CharField(_("lý do, căn cứ"), max_length=255)

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"


class OfficeHours(models.Model):
    """Office hours used to count deadlines; one row, edited by an administrator."""

    morning_start = models.TimeField(_("sáng bắt đầu"), default=datetime.time(7, 0))
    morning_end = models.TimeField(_("sáng kết thúc"), default=datetime.time(11, 30))
    afternoon_start = models.TimeField(_("chiều bắt đầu"), default=datetime.time(13, 30))
    afternoon_end = models.TimeField(_("chiều kết thúc"), default=datetime.time(17, 0))
    # Paper dossiers received after this time count from the next working day.
    paper_cutoff = models.TimeField(_("giờ chốt hồ sơ giấy"), default=datetime.time(15, 0))

    class Meta:
        verbose_name = _("giờ làm việc")
        verbose_name_plural = _("giờ làm việc")

    def __str__(self) -> str:
        return str(_("Giờ làm việc"))
