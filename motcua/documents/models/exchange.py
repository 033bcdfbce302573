"""Messages exchanged over the national document axis (EDXML packages and status messages).

One row per message we send (an outbox: written in the transaction that caused it, sent by
`exchange_flush`) and per message we received (kept so a message delivered twice is handled once,
and so the sender sees the statuses of what it sent).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


class ExchangeMessage(TimeStampedModel):
    class Direction(models.TextChoices):
        OUT = "out", _("Gửi đi")
        IN = "in", _("Nhận về")

    class Kind(models.TextChoices):
        PACKAGE = "package", _("Gói văn bản")
        STATUS = "status", _("Trạng thái")

    class State(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENT = "sent", _("Đã gửi lên trục")
        FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
        HANDLED = "handled", _("Đã xử lý")

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    agency = models.ForeignKey("core.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    package_id = models.CharField(_("mã gói tin"), max_length=100, db_index=True)
    organ_id = models.CharField(_("mã định danh cơ quan bên kia"), max_length=64)
    organ_name = models.CharField(_("tên cơ quan bên kia"), max_length=255, blank=True)
    status = models.CharField(_("trạng thái văn bản"), max_length=12, blank=True)
    description = models.TextField(_("mô tả, lý do"), blank=True)
    outgoing = set_null_fk("documents.OutgoingDocument", _("văn bản đi"), related_name="exchange_messages")
    incoming = set_null_fk("documents.IncomingDocument", _("văn bản đến"), related_name="exchange_messages")
    payload = models.TextField(_("nội dung EDXML"), blank=True)
    state = models.CharField(_("tình trạng gửi"), max_length=8, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    last_error = models.CharField(_("lỗi gần nhất"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("thông điệp liên thông")
        verbose_name_plural = _("thông điệp liên thông")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "kind", "agency", "package_id", "organ_id", "status"],
                name="exchange_message_once",
            ),
        ]
        indexes = [models.Index(fields=["direction", "state"], name="exchange_direction_state")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.get_kind_display()} {self.package_id} {self.status}"
