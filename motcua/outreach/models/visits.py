from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk, set_null_one_to_one


def visit_photo_path(instance, filename: str) -> str:
    # Random file names: the household's name must not leak through a URL.
    import pathlib
    import uuid

    suffix = pathlib.Path(filename).suffix.lower()[:5] or ".jpg"
    return f"outreach/visits/{instance.visited_at:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Visit(TimeStampedModel):
    """One occasion of help given to a household (lượt hỗ trợ): a door-to-door visit, or a dossier
    submitted on the citizen's behalf (`dossier` set).

    `client_uuid` is generated on the phone (or derived from the dossier) and is the idempotency
    key: an entry resent after a dropped connection is recognised and counted once.
    """

    household = models.ForeignKey(
        "outreach.Household", verbose_name=_("hộ"), on_delete=models.CASCADE, related_name="visits"
    )
    team = set_null_fk("outreach.OutreachTeam", verbose_name=_("tổ"), related_name="visits")
    member = set_null_fk(
        settings.AUTH_USER_MODEL, verbose_name=_("thành viên ghi nhận"), related_name="outreach_visits"
    )
    visited_at = models.DateTimeField(_("thời điểm"), db_index=True)
    note = models.TextField(_("ghi chú"), blank=True)
    photo = models.FileField(_("ảnh"), upload_to=visit_photo_path, blank=True)
    client_uuid = models.UUIDField(_("mã phía thiết bị"), unique=True)
    campaign = set_null_fk("outreach.Campaign", verbose_name=_("đợt ra quân"), related_name="visits")
    dossier = set_null_one_to_one("dossiers.Dossier", _("hồ sơ nộp hộ"), related_name="outreach_visit")
    # Household members helped on this visit (who was helped).
    helped_members = models.ManyToManyField(
        "outreach.HouseholdMember", verbose_name=_("người được hỗ trợ"), blank=True, related_name="visits"
    )
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False)

    class Meta:
        verbose_name = _("lượt hỗ trợ")
        verbose_name_plural = _("lượt hỗ trợ")
        ordering = ["-visited_at", "-id"]
        indexes = [
            models.Index(fields=["household", "-visited_at"]),
            models.Index(fields=["team", "-visited_at"]),
            models.Index(fields=["member", "-visited_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.visited_at:%d/%m/%Y %H:%M}"
