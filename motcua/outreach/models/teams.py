from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, optional_fk, set_null_fk


class OutreachTeam(TimeStampedModel):
    """A community digital technology team (tổ công nghệ số cộng đồng).

    A team belongs to one commune. With `hamlet` set it is a hamlet team; `hamlets` lists the
    hamlets whose households it covers (empty means the whole commune, as for a commune team).
    """

    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="outreach_teams"
    )
    hamlet = optional_fk("core.Hamlet", _("ấp, khóm của tổ"), on_delete=models.PROTECT, related_name="outreach_teams")
    name = models.CharField(_("tên tổ"), max_length=160)
    leader = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("tổ trưởng"), related_name="led_outreach_teams")
    hamlets = models.ManyToManyField(
        "core.Hamlet", verbose_name=_("địa bàn phụ trách"), blank=True, related_name="covering_teams"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["unit_id", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="outreach_team_unit_name_unique")]

    def __str__(self) -> str:
        return self.name


class Affiliation(models.TextChoices):
    OFFICER = "officer", _("Cán bộ, công chức")
    YOUTH_UNION = "youth_union", _("Đoàn thanh niên")
    POLICE = "police", _("Công an")
    TELECOM = "telecom", _("Nhân viên viễn thông")
    VOLUNTEER = "volunteer", _("Tình nguyện viên")
    OTHER = "other", _("Khác")


class TeamMember(TimeStampedModel):
    """A person in a team. Members without an account are listed by name only."""

    team = models.ForeignKey(OutreachTeam, verbose_name=_("tổ"), on_delete=models.CASCADE, related_name="members")
    user = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("tài khoản"), related_name="outreach_memberships")
    full_name = models.CharField(_("họ và tên"), max_length=120)
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    affiliation = models.CharField(
        _("thành phần"), max_length=12, choices=Affiliation.choices, default=Affiliation.OTHER
    )
    is_leader = models.BooleanField(_("là tổ trưởng"), default=False)
    is_active = models.BooleanField(_("đang tham gia"), default=True)

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        ordering = ["team_id", "-is_leader", "full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=models.Q(user__isnull=False), name="team_member_user_unique"
            )
        ]

    def __str__(self) -> str:
        return self.full_name
