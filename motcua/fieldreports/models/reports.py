import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import EventLogEntry, TimeStampedModel, set_null_fk


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Mới gửi")
    ACCEPTED = "accepted", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã hoàn thành")
    REFUSED = "refused", _("Không tiếp nhận")
    MERGED = "merged", _("Đã gộp vào phản ánh khác")


# Open311 `open`; the rest are `closed`.
OPEN_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.ACCEPTED)


class ReportOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Đã giải quyết")
    PARTLY = "partly", _("Giải quyết một phần")
    NOT_OURS = "not_ours", _("Không thuộc thẩm quyền")


class ReportChannel(models.TextChoices):
    WEB = "web", _("Cổng thông tin")
    APP = "app", _("Ứng dụng di động")
    OPEN311 = "open311", _("Hệ thống khác (Open311)")
    OFFICER = "officer", _("Cán bộ ghi nhận")


class FieldReport(TimeStampedModel):
    """A citizen's report of a problem at a place (phản ánh hiện trường)."""

    # `PA-YYMMDD-NNNN`, one sequence per day for the province.
    code = models.CharField(_("mã phản ánh"), max_length=24, unique=True)
    # Open311 `token`: returned at submission, lets a client look the request up before it has an id.
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    category = models.ForeignKey(
        "fieldreports.ReportCategory", verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="reports"
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    description = models.TextField(_("nội dung"))
    # Attribute answers for the category ({code: value}).
    attributes = models.JSONField(_("thông tin bổ sung"), default=dict, blank=True)
    lat = models.FloatField(_("vĩ độ"))
    lon = models.FloatField(_("kinh độ"))
    unit = models.ForeignKey("core.Unit", verbose_name=_("xã, phường"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    urgent = models.BooleanField(_("khẩn"), default=False)
    channel = models.CharField(_("kênh"), max_length=8, choices=ReportChannel.choices, default=ReportChannel.WEB)
    open311_client = set_null_fk("fieldreports.Open311Client", related_name="reports")

    # The reporter: never public. Anonymous reports keep no contact at all.
    reporter = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người phản ánh"), related_name="field_reports")
    anonymous = models.BooleanField(_("ẩn danh"), default=False)
    reporter_name = models.CharField(_("họ tên"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("điện thoại"), max_length=10, blank=True)
    reporter_email = models.EmailField(_("thư điện tử"), blank=True)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED, db_index=True
    )
    agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan xử lý"), on_delete=models.PROTECT, related_name="field_reports"
    )
    assignee = set_null_fk(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ xử lý"), related_name="assigned_field_reports"
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), db_index=True)
    accepted_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True)
    # Before acceptance: the 5 working days to accept or forward; after: the category's deadline.
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True, db_index=True)
    overdue = models.BooleanField(_("quá hạn"), default=False, db_index=True)
    escalated_at = models.DateTimeField(_("đã báo cấp trên lúc"), null=True, blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=ReportOutcome.choices, blank=True)
    refusal_reason = models.CharField(_("lý do không tiếp nhận"), max_length=20, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)
    citizen_confirmed_at = models.DateTimeField(_("người dân xác nhận lúc"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("gộp vào"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_reports",
    )
    follower_count = models.PositiveIntegerField(_("số người theo dõi"), default=0)

    # Moderation: what the automatic check flagged ({"personal_data": [...], "abusive": [...]}),
    # whether an officer has reviewed it, and hiding with a reason.
    flags = models.JSONField(_("cảnh báo nội dung"), default=dict, blank=True)
    reviewed = models.BooleanField(_("đã kiểm duyệt"), default=False)
    # The text shown publicly (personal data masked by the officer); empty = `description`.
    public_description = models.TextField(_("nội dung công khai"), blank=True)
    hidden = models.BooleanField(_("ẩn khỏi công khai"), default=False, db_index=True)
    hidden_reason = models.CharField(_("lý do ẩn"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("phản ánh hiện trường")
        verbose_name_plural = _("phản ánh hiện trường")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "idempotency_key"], name="field_report_idempotency_unique"),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="fr_agency_queue_idx"),
            models.Index(fields=["category", "status", "lat", "lon"], name="fr_nearby_idx"),
            models.Index(fields=["lat", "lon"], name="fr_point_idx"),
            models.Index(fields=["unit", "-submitted_at"], name="fr_unit_idx"),
            models.Index(fields=["reporter", "-submitted_at"], name="fr_reporter_idx"),
            # The newest change, for the stamps public answers are kept under (selectors.stamp, map).
            models.Index(fields=["updated_at"], name="fr_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_public(self) -> bool:
        return self.reviewed and not self.hidden


class ReportMedia(TimeStampedModel):
    class Stage(models.TextChoices):
        REPORT = "report", _("Ảnh hiện trường")
        AFTER = "after", _("Ảnh sau xử lý")

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="media")
    stage = models.CharField(_("giai đoạn"), max_length=8, choices=Stage.choices, default=Stage.REPORT)
    kind = models.CharField(_("loại"), max_length=8)  # "photo" | "video"
    # As uploaded: seen by officers only.
    original = models.FileField(upload_to="fieldreports/original/%Y/%m/", max_length=255)
    # Re-encoded without EXIF/GPS or other metadata: what the public sees (photos; videos after review).
    public_file = models.FileField(upload_to="fieldreports/public/%Y/%m/", max_length=255, blank=True)
    content_type = models.CharField(max_length=32)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        verbose_name = _("ảnh, video phản ánh")
        verbose_name_plural = _("ảnh, video phản ánh")
        ordering = ["report_id", "stage", "id"]


class ReportEvent(EventLogEntry):
    """Every step of a report, who did it and when. Never edited."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="events")
    actor = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Shown in the public history (internal notes and moderation are not).
    public = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("sự kiện phản ánh")
        verbose_name_plural = _("sự kiện phản ánh")
        ordering = ["report_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"


class ReportFollower(TimeStampedModel):
    """Someone told about every step: the reporter, and citizens who followed instead of filing again."""

    report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_field_reports")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "user"], name="report_follower_unique")]


class ReportLink(TimeStampedModel):
    """Two reports about the same thing; stored once per pair, read both ways."""

    from_report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="links_out")
    to_report = models.ForeignKey(FieldReport, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=12, default="duplicate")  # "duplicate" | "related"
    created_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["from_report", "to_report"], name="report_link_unique")]


class ReportCodeSequence(models.Model):
    day = models.DateField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
