from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import AgencyKind, Role, TimeStampedModel


class Workflow(TimeStampedModel):
    """How a procedure's dossiers are processed, as data an administrator edits.

    A procedure without its own workflow uses the default one (procedure is null).
    Dossiers copy the steps they need when received, so editing a workflow never changes a
    dossier already in progress.
    """

    procedure = models.OneToOneField(
        "catalog.Procedure", verbose_name=_("thủ tục"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="workflow",
    )
    name = models.CharField(_("tên quy trình"), max_length=255)
    # One-step path: received and resolved on the spot by the receptionist.
    on_the_spot = models.BooleanField(_("giải quyết ngay tại chỗ"), default=False)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("quy trình xử lý")
        verbose_name_plural = _("quy trình xử lý")

    def __str__(self) -> str:
        return self.name


class StepKind(models.TextChoices):
    RECEIVE = "receive", _("Tiếp nhận")
    APPRAISE = "appraise", _("Thẩm định")
    APPROVE = "approve", _("Phê duyệt, ký")
    RETURN = "return", _("Trả kết quả")
    OTHER = "other", _("Bước khác")


class WorkflowStep(models.Model):
    """One step. Steps with the same `order` run in parallel (liên thông); lower orders first."""

    workflow = models.ForeignKey(Workflow, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại bước"), max_length=10, choices=StepKind.choices)
    name = models.CharField(_("tên bước"), max_length=255)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=Role.choices)
    # Null: the dossier's receiving agency does it; otherwise the agency of this kind in the
    # receiving agency's area (or the province's) does — e.g. commune police for residence.
    agency_kind = models.CharField(_("cơ quan thực hiện"), max_length=24, choices=AgencyKind.choices, blank=True)
    duration_days = models.DecimalField(_("thời gian (ngày làm việc)"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["workflow_id", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"
