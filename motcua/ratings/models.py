"""Satisfaction ratings: one per returned dossier (or answered field report), by a single-use token."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 4, _("Rất hài lòng")
    SATISFIED = 3, _("Hài lòng")
    ACCEPTABLE = 2, _("Chấp nhận được")
    NOT_SATISFIED = 1, _("Không hài lòng")


class RatingChannel(models.TextChoices):
    SMS = "sms", _("Đường dẫn trong tin nhắn SMS")
    ZALO = "zalo", _("Zalo")
    PORTAL = "portal", _("Cổng dịch vụ công")
    DESK = "desk", _("Máy tính bảng tại quầy")


class RatingReason(models.Model):
    """A reason a citizen can tick (thủ tục rườm rà, cán bộ tận tình, ...)."""

    code = models.SlugField(max_length=40, unique=True)
    text = models.CharField(_("nội dung"), max_length=200)
    # Shown for ratings at or above (positive) or below (negative) "satisfied".
    positive = models.BooleanField(_("lý do tích cực"))
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("lý do đánh giá")
        verbose_name_plural = _("lý do đánh giá")
        ordering = ["-positive", "order", "id"]

    def __str__(self) -> str:
        return self.text


class RatingInvitation(TimeStampedModel):
    """The single-use token sent to the applicant after the result is returned.

    Only the token's sha256 is stored; the token itself travels in the SMS/Zalo link and the desk QR.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="rating_invitation"
    )
    field_report = models.OneToOneField(
        "fieldreports.FieldReport", null=True, blank=True, on_delete=models.CASCADE, related_name="rating_invitation"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("hết hạn"))
    used_at = models.DateTimeField(_("đã dùng lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lời mời đánh giá")
        verbose_name_plural = _("lời mời đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=False, field_report__isnull=True)
                | models.Q(dossier__isnull=True, field_report__isnull=False),
                name="rating_invitation_one_subject",
            ),
        ]


class Rating(TimeStampedModel):
    """What the citizen thought. Who and what it is about is copied at rating time for the rollups."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    field_report = models.OneToOneField(
        "fieldreports.FieldReport", null=True, blank=True, on_delete=models.CASCADE, related_name="rating"
    )
    level = models.PositiveSmallIntegerField(_("mức độ"), choices=RatingLevel.choices)
    reasons = models.ManyToManyField(RatingReason, verbose_name=_("lý do"), blank=True)
    comment = models.CharField(_("góp ý"), max_length=1000, blank=True)
    channel = models.CharField(_("kênh"), max_length=8, choices=RatingChannel.choices)
    rated_at = models.DateTimeField(_("đánh giá lúc"), db_index=True)
    officer = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ trả kết quả"), related_name="+")
    counter = set_null_fk("core.Counter", related_name="+")
    procedure = set_null_fk("catalog.Procedure", related_name="+")
    agency = set_null_fk("core.Agency", related_name="+")
    unit = set_null_fk("core.Unit", related_name="+")

    class Meta:
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        ordering = ["-rated_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dossier__isnull=False, field_report__isnull=True)
                | models.Q(dossier__isnull=True, field_report__isnull=False),
                name="rating_one_subject",
            ),
        ]
        indexes = [models.Index(fields=["agency", "rated_at"]), models.Index(fields=["officer", "rated_at"])]


class RatingRollup(models.Model):
    """Counts per level for one dimension value and month, kept in step with each new rating."""

    class Dimension(models.TextChoices):
        OFFICER = "officer", _("Cán bộ")
        COUNTER = "counter", _("Quầy")
        PROCEDURE = "procedure", _("Thủ tục")
        AGENCY = "agency", _("Cơ quan")
        UNIT = "unit", _("Địa bàn")

    dimension = models.CharField(max_length=10, choices=Dimension.choices)
    key = models.PositiveBigIntegerField()
    month = models.DateField()
    subject = models.CharField(max_length=12, default="dossier")  # "dossier" | "field_report"
    very_satisfied = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    acceptable = models.PositiveIntegerField(default=0)
    not_satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dimension", "key", "month", "subject"], name="rating_rollup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.key} {self.month:%m/%Y}"
