import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimeStampedModel


class OverrideKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày lễ, Tết")
    SUBSTITUTE = "substitute", _("Ngày nghỉ bù")
    DAY_OFF = "day_off", _("Ngày nghỉ thêm, nghỉ hoán đổi")
    WORKING_DAY = "working_day", _("Ngày làm việc bù (thứ Bảy, Chủ nhật đi làm)")


# Kinds that make a date a day off; only WORKING_DAY makes it a working day.
DAY_OFF_KINDS = (OverrideKind.HOLIDAY, OverrideKind.SUBSTITUTE, OverrideKind.DAY_OFF)


class CalendarOverride(TimeStampedModel):
    """One row of the province's calendar table, the authority on days off: a public holiday,
    a substitute day (nghỉ bù), an extra or swapped day off, or a weekend day made a working day.
    Each row carries its legal basis; `confirmed` says someone checked it against the text.
    (The class keeps its first name, from when rows only overrode `holidays.VN`.)"""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=OverrideKind.choices)
    reason = models.CharField(_("nội dung"), max_length=255)
    legal_basis = models.CharField(
        _("căn cứ pháp lý"), max_length=255, help_text=_("Số, ký hiệu văn bản và cơ quan ban hành.")
    )
    basis_date = models.DateField(_("ngày ban hành văn bản"), null=True, blank=True)
    confirmed = models.BooleanField(
        _("đã đối chiếu văn bản"),
        default=False,
        help_text=_("Chỉ đánh dấu khi đã đối chiếu nguyên văn văn bản làm căn cứ."),
    )
    note = models.TextField(_("ghi chú cần kiểm tra"), blank=True)

    class Meta:
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("lịch làm việc của tỉnh (ngày lễ, nghỉ bù, hoán đổi)")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"

    @property
    def is_day_off(self) -> bool:
        return self.kind in DAY_OFF_KINDS


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
