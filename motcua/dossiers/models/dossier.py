from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.core.models import EventLogEntry, TimeStampedModel, set_null_fk

from .status import Channel, DeadlineState, DossierStatus, ResultDelivery
from .workflow import StepKind

# Statuses shown by the office queues (keep in step with selectors.QUEUE_STATUSES).
_QUEUE_STATUSES = [
    DossierStatus.RECEIVED, DossierStatus.PROCESSING, DossierStatus.SUPPLEMENT_REQUESTED,
    DossierStatus.PAYMENT_REQUESTED, DossierStatus.RESOLVED,
]


class Dossier(TimeStampedModel):
    """One application (hồ sơ) for one procedure.

    The applicant's name, ID and phone are copied at submission: the dossier records who
    applied then, even if the person's record changes later. `procedure_snapshot` keeps the
    procedure's data (documents, time limit, fees, legal basis) as received.
    """

    # `<agency code>-YYMMDD-NNNN`, assigned when the dossier is submitted or received.
    code = models.CharField(_("mã hồ sơ"), max_length=48, unique=True, null=True, blank=True)
    procedure = models.ForeignKey("catalog.Procedure", verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers")
    procedure_snapshot = models.JSONField(_("dữ liệu thủ tục khi tiếp nhận"), default=dict, blank=True)
    status = models.CharField(_("trạng thái"), max_length=24, choices=DossierStatus.choices, default=DossierStatus.DRAFT, db_index=True)
    channel = models.CharField(_("hình thức nộp"), max_length=10, choices=Channel.choices)

    applicant_person = models.ForeignKey(
        "core.Person", verbose_name=_("người nộp"), null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers",
    )
    applicant_organisation = models.ForeignKey(
        "core.Organisation", verbose_name=_("tổ chức nộp"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    applicant_name = models.CharField(_("tên người nộp"), max_length=255)
    applicant_personal_id = models.CharField(_("số định danh người nộp"), max_length=14, blank=True, db_index=True)
    applicant_phone = models.CharField(_("điện thoại người nộp"), max_length=10, blank=True)
    applicant_address = models.CharField(_("địa chỉ người nộp"), max_length=255, blank=True)
    applicant_email = models.EmailField(_("thư điện tử người nộp"), blank=True)

    # Who pressed the button: the citizen online, a receptionist, a community-team member.
    submitted_by = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người thao tác nộp"), related_name="+")
    # Assisted intake: the citizen's recorded consent to someone acting for them.
    consent_text = models.TextField(_("nội dung đồng ý nộp thay"), blank=True)
    consent_at = models.DateTimeField(_("thời điểm đồng ý"), null=True, blank=True)

    receiving_agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan tiếp nhận"), on_delete=models.PROTECT, related_name="received_dossiers",
    )
    office = models.ForeignKey(
        "core.OneStopOffice", verbose_name=_("bộ phận một cửa"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Who is holding it now (the officer the current step is assigned to); null = the office's queue.
    current_assignee = set_null_fk(
        settings.AUTH_USER_MODEL, verbose_name=_("cán bộ đang xử lý"), related_name="assigned_dossiers"
    )
    current_agency = models.ForeignKey(
        "core.Agency", verbose_name=_("cơ quan đang xử lý"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="held_dossiers",
    )

    result_delivery = models.CharField(_("hình thức nhận kết quả"), max_length=10, choices=ResultDelivery.choices, default=ResultDelivery.DESK)
    delivery_address = models.CharField(_("địa chỉ nhận kết quả"), max_length=255, blank=True)
    post_tracking_number = models.CharField(_("số vận đơn bưu chính"), max_length=64, blank=True)

    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True)
    received_at = models.DateTimeField(_("tiếp nhận lúc"), null=True, blank=True, db_index=True)
    # The time limit runs from `clock_started_at`: receipt, or the moment a supplement made the
    # dossier complete (the limit restarts then, as the law says).
    clock_started_at = models.DateTimeField(_("bắt đầu tính hạn"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng tính hạn lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn trả kết quả"), null=True, blank=True, db_index=True)
    # A new date given with a written apology (only one per dossier).
    apology_due_at = models.DateTimeField(_("ngày hẹn mới"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    deadline_state = models.CharField(_("tình trạng hạn"), max_length=10, choices=DeadlineState.choices, default=DeadlineState.ON_TIME, db_index=True)
    # More than one supplement request counts the dossier as late in the national index.
    supplement_count = models.PositiveSmallIntegerField(_("số lần yêu cầu bổ sung"), default=0)
    finished_late = models.BooleanField(_("hoàn thành trễ hạn"), null=True, blank=True)

    # The answers to the procedure's application form (catalog `Procedure.form_schema`), by field key.
    form_data = models.JSONField(_("nội dung tờ khai"), default=dict, blank=True)

    # Repeated submissions with the same key (double click, retried request) make one dossier.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["submitted_by", "idempotency_key"], name="dossier_idempotency_unique"),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(code__isnull=False), name="dossier_code_when_submitted"
            ),
        ]
        indexes = [
            # Officer queues (office, due soon, overdue), keyset pages by (due_at, id), only over the
            # statuses those queues show (selectors.QUEUE_STATUSES): a few thousand open dossiers, not
            # the years of returned ones. Per holding agency (the current one, else the receiving one)
            # for an office's queue; by deadline alone for a province-wide one.
            models.Index(
                Coalesce("current_agency", "receiving_agency"), "due_at", "id",
                name="dossier_office_queue_idx", condition=models.Q(status__in=_QUEUE_STATUSES),
            ),
            models.Index(
                "due_at", "id", name="dossier_open_due_idx", condition=models.Q(status__in=_QUEUE_STATUSES)
            ),
            models.Index(fields=["current_assignee", "status", "due_at", "id"], name="dossier_mine_idx"),
            models.Index(fields=["applicant_person", "-created_at"], name="dossier_applicant_idx"),
        ]

    def __str__(self) -> str:
        return self.code or f"#{self.pk} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:detail", args=[self.code]) if self.code else ""


class DossierStep(models.Model):
    """A step of this dossier's processing, copied from the workflow when it was received."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chưa đến lượt")
        ACTIVE = "active", _("Đang thực hiện")
        DONE = "done", _("Đã xong")
        RETURNED = "returned", _("Bị trả lại")
        SKIPPED = "skipped", _("Bỏ qua")

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại bước"), max_length=10, choices=StepKind.choices)
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò"), max_length=20)
    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    assignee = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("cán bộ"), related_name="dossier_steps")
    duration_days = models.DecimalField(_("thời gian (ngày làm việc)"), max_digits=5, decimal_places=1)
    state = models.CharField(_("tình trạng"), max_length=10, choices=State.choices, default=State.PENDING)
    started_at = models.DateTimeField(_("bắt đầu"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn bước"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("bước xử lý hồ sơ")
        ordering = ["dossier_id", "order", "id"]
        indexes = [models.Index(fields=["assignee", "state"]), models.Index(fields=["agency", "state"])]

    def __str__(self) -> str:
        return f"{self.dossier} – {self.name}"


class DossierEvent(EventLogEntry):
    """The event log: every action on a dossier, who did it and when. Never edited."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = set_null_fk(settings.AUTH_USER_MODEL, verbose_name=_("người thực hiện"), related_name="+")
    from_status = models.CharField(_("trạng thái trước"), max_length=24, blank=True)
    to_status = models.CharField(_("trạng thái sau"), max_length=24, blank=True)
    step = set_null_fk(DossierStep, related_name="events")
    data = models.JSONField(_("chi tiết"), default=dict, blank=True)
    # Whether the applicant sees this event in their history (internal notes are not shown).
    public = models.BooleanField(_("công khai với người nộp"), default=True)

    class Meta:
        verbose_name = _("sự kiện hồ sơ")
        verbose_name_plural = _("sự kiện hồ sơ")
        ordering = ["dossier_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"


class DossierCodeSequence(models.Model):
    """Per receiving agency and day, the last number used in dossier codes.

    Incremented under a row lock so concurrent intakes never share a number.
    """

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossier_code_seq_unique")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.day}: {self.last}"
