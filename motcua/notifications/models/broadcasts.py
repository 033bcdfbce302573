from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Chờ lãnh đạo duyệt")
    REJECTED = "rejected", _("Không được duyệt")
    APPROVED = "approved", _("Đã duyệt, chờ đến giờ gửi")
    SENDING = "sending", _("Đang gửi")
    DONE = "done", _("Đã gửi xong")
    CANCELLED = "cancelled", _("Đã hủy")


class Audience(models.TextChoices):
    RESIDENTS = "residents", _("Người dân có số điện thoại trong địa bàn")
    HOUSEHOLD_HEADS = "household_heads", _("Chủ hộ trong địa bàn")
    CSV = "csv", _("Danh sách tải lên (CSV)")


class Broadcast(TimeStampedModel):
    """An announcement to everyone in an area (thông báo diện rộng).

    Written by one officer, approved by another (a leader; never the author), then sent, at once
    or at the scheduled time; cancellable while it goes out.
    """

    owner_unit = models.ForeignKey(
        "core.Unit", verbose_name=_("đơn vị gửi"), on_delete=models.PROTECT, related_name="broadcasts"
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    channel = models.CharField(_("kênh"), max_length=8, default="sms")
    unaccented = models.BooleanField(_("gửi không dấu"), default=True)
    units = models.ManyToManyField("core.Unit", verbose_name=_("xã, phường nhận"), blank=True, related_name="+")
    hamlets = models.ManyToManyField("core.Hamlet", verbose_name=_("ấp, khóm nhận"), blank=True, related_name="+")
    audience = models.CharField(_("đối tượng"), max_length=16, choices=Audience.choices, default=Audience.RESIDENTS)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=BroadcastStatus.choices, default=BroadcastStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(_("hẹn giờ gửi"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(_("số người nhận"), default=0)
    segments_per_message = models.PositiveSmallIntegerField(_("số tin SMS mỗi người"), default=0)
    estimated_cost = models.PositiveBigIntegerField(_("chi phí ước tính (đồng)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến duyệt"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo diện rộng")
        verbose_name_plural = _("thông báo diện rộng")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.title


class BroadcastRecipient(models.Model):
    """One line of a broadcast's audience, resolved when it is submitted (or from the CSV)."""

    class State(models.TextChoices):
        OK = "ok", _("Hợp lệ")
        INVALID = "invalid", _("Số không hợp lệ")
        DUPLICATE = "duplicate", _("Trùng")
        OPTED_OUT = "opted_out", _("Đã từ chối nhận")

    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="recipients")
    row_number = models.PositiveIntegerField(null=True, blank=True)
    person = set_null_fk("core.Person", related_name="+")
    name = models.CharField(max_length=255, blank=True)
    phone = models.CharField(max_length=32)
    unit = set_null_fk("core.Unit", related_name="+")
    hamlet = set_null_fk("core.Hamlet", related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.OK)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["broadcast", "phone"], condition=models.Q(state="ok"), name="broadcast_recipient_phone_once"
            )
        ]
        indexes = [models.Index(fields=["broadcast", "state", "id"])]

    def __str__(self) -> str:
        return f"{self.broadcast_id}: {self.phone}"
