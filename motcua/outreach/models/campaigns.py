from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class Campaign(TimeStampedModel):
    """A drive with dates and participating teams: a weekend push, or an "electronic residential
    area" pilot on one street (`area_note`). Visits may be tagged to an active campaign."""

    name = models.CharField(_("tên đợt"), max_length=200)
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="outreach_campaigns"
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    description = models.TextField(_("mô tả"), blank=True)
    area_note = models.CharField(_("tuyến đường, khu vực"), max_length=255, blank=True)
    teams = models.ManyToManyField(
        "outreach.OutreachTeam", verbose_name=_("các tổ tham gia"), blank=True, related_name="campaigns"
    )
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("đợt ra quân")
        verbose_name_plural = _("đợt ra quân")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day) -> bool:
        return self.starts_on <= day <= self.ends_on
