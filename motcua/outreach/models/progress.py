"""Targets, and the rollup tables that keep progress figures up to date as visits arrive.

Rollup rows are derived data: `progress_record` adds to them in the visit's transaction and
`progress_rebuild` recomputes them from visits and achievements. Every counter is additive
(a household is credited once, to its earliest visit), so any slice sums to the right total.

Keys use 0 instead of NULL for "no team" and "no indicator": NULLs never collide in a unique
index, so an upsert (INSERT ... ON CONFLICT) on a nullable key would insert duplicates.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, optional_fk, set_null_fk

# indicator_key of the rows that hold visit-level figures (visits, households reached, people helped).
VISIT_ROW = 0
NO_TEAM = 0


class TargetKind(models.TextChoices):
    COUNT = "count", _("Số hộ")
    SHARE = "share", _("Tỷ lệ % số hộ")


class Target(TimeStampedModel):
    """A goal for a commune or the province: households reached (no indicator) or households that
    achieved an indicator, as a count or as a share of all households, due by `ends_on`.

    Without `starts_on` the target is cumulative (everything achieved by the due date counts).
    With a campaign, only the campaign's visits count.
    """

    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="outreach_targets"
    )
    indicator = optional_fk(
        "outreach.Indicator",
        _("chỉ tiêu số"),
        on_delete=models.PROTECT,
        related_name="targets",
        help_text=_("Để trống: số hộ được tiếp cận."),
    )
    campaign = optional_fk("outreach.Campaign", _("đợt ra quân"), on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(_("loại mục tiêu"), max_length=8, choices=TargetKind.choices, default=TargetKind.SHARE)
    value = models.DecimalField(_("mức mục tiêu"), max_digits=12, decimal_places=2)
    starts_on = models.DateField(_("tính từ ngày"), null=True, blank=True)
    ends_on = models.DateField(_("hạn hoàn thành"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người đặt"), related_name="+")

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["unit_id", "ends_on", "indicator_id", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gt=0), name="target_value_positive"),
            models.CheckConstraint(
                condition=models.Q(kind="count") | models.Q(value__lte=100), name="target_share_at_most_100"
            ),
            models.CheckConstraint(
                condition=models.Q(starts_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="target_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        what = self.indicator or _("Hộ được tiếp cận")
        suffix = "%" if self.kind == TargetKind.SHARE else ""
        return f"{self.unit}: {what} {self.value:g}{suffix} – {self.ends_on:%d/%m/%Y}"


class _Counters(models.Model):
    # On visit rows (indicator_key = 0): visits, households_reached, people_helped.
    # On indicator rows: achievements (rows) and households_achieved (households, counted once).
    visits = models.IntegerField(default=0)
    households_reached = models.IntegerField(default=0)
    people_helped = models.IntegerField(default=0)
    achievements = models.IntegerField(default=0)
    households_achieved = models.IntegerField(default=0)

    class Meta:
        abstract = True


class ProgressMonthly(_Counters):
    """Figures per commune, hamlet, team, indicator and month: hamlet and team rankings."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    hamlet = models.ForeignKey("core.Hamlet", on_delete=models.CASCADE, related_name="+")
    team_key = models.BigIntegerField(default=NO_TEAM)
    indicator_key = models.BigIntegerField(default=VISIT_ROW)
    month = models.DateField()

    class Meta:
        verbose_name = _("tiến độ theo tháng")
        verbose_name_plural = _("tiến độ theo tháng")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "hamlet", "team_key", "indicator_key", "month"], name="progress_monthly_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.hamlet_id}/{self.team_key}/{self.indicator_key} {self.month:%m/%Y}"


class ProgressDaily(_Counters):
    """Figures per commune, indicator and day: trends, and targets with a start date."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    indicator_key = models.BigIntegerField(default=VISIT_ROW)
    day = models.DateField()

    class Meta:
        verbose_name = _("tiến độ theo ngày")
        verbose_name_plural = _("tiến độ theo ngày")
        constraints = [models.UniqueConstraint(fields=["unit", "indicator_key", "day"], name="progress_daily_key")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_key} {self.day:%d/%m/%Y}"


class ProgressTotal(_Counters):
    """Figures per commune and indicator since the beginning; `households` (all households of the
    commune, kept on the visit row) is what shares are computed from."""

    unit = models.ForeignKey("core.Unit", on_delete=models.CASCADE, related_name="+")
    indicator_key = models.BigIntegerField(default=VISIT_ROW)
    households = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("tiến độ lũy kế")
        verbose_name_plural = _("tiến độ lũy kế")
        constraints = [models.UniqueConstraint(fields=["unit", "indicator_key"], name="progress_total_key")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.indicator_key}"
