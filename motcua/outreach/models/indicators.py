from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, optional_fk, set_null_fk


class IndicatorScope(models.TextChoices):
    PERSON = "person", _("Từng người")
    HOUSEHOLD = "household", _("Cả hộ")


class Indicator(TimeStampedModel):
    """A digital indicator the province counts (tài khoản DVC, VNeID mức 2, ...).

    Configured by the province; `load_outreach_indicators` seeds the eight from the issue.
    """

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=160)
    short_name = models.CharField(_("tên ngắn"), max_length=40, blank=True)
    applies_to = models.CharField(
        _("áp dụng cho"), max_length=10, choices=IndicatorScope.choices, default=IndicatorScope.PERSON
    )
    # Only business households (hộ kinh doanh) count toward it, e.g. an e-commerce seller account.
    business_only = models.BooleanField(_("chỉ hộ kinh doanh"), default=False)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("chỉ tiêu số")
        verbose_name_plural = _("chỉ tiêu số")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class IndicatorAchievement(models.Model):
    """The fact that a person (member) or a household (member is null) has achieved an indicator.

    One row per (household, member, indicator): recording it again changes nothing, so counts of
    achievements are counts of rows.
    """

    household = models.ForeignKey(
        "outreach.Household", verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="achievements"
    )
    member = optional_fk(
        "outreach.HouseholdMember", _("thành viên"), on_delete=models.CASCADE, related_name="achievements"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="achievements"
    )
    achieved_at = models.DateTimeField(_("đạt lúc"), db_index=True)
    visit = set_null_fk("outreach.Visit", verbose_name=_("lượt hỗ trợ"), related_name="achievements")
    recorded_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người ghi nhận"), related_name="+")

    class Meta:
        verbose_name = _("kết quả đạt chỉ tiêu")
        verbose_name_plural = _("kết quả đạt chỉ tiêu")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "member", "indicator"],
                name="achievement_member_unique",
                condition=models.Q(member__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["household", "indicator"],
                name="achievement_household_unique",
                condition=models.Q(member__isnull=True),
            ),
        ]
        indexes = [models.Index(fields=["indicator", "achieved_at"])]

    def __str__(self) -> str:
        return f"{self.indicator} – {self.member or self.household}"
