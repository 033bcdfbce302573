"""Queue numbers at a one-stop office: service groups, priority groups, tickets and the call log."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


def _follow_token() -> str:
    return secrets.token_urlsafe(18)


class ServiceGroup(TimeStampedModel):
    """A line at one office (e.g. "A – Hộ tịch"): its own letter, the fields/procedures it takes and
    the counters that serve it."""

    office = models.ForeignKey(
        "core.OneStopOffice", verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="service_groups"
    )
    code = models.SlugField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=120)
    prefix = models.CharField(_("chữ đầu số"), max_length=2, help_text=_("Ví dụ: A, B, C"))
    fields = models.ManyToManyField("catalog.Field", verbose_name=_("lĩnh vực"), blank=True, related_name="+")
    procedures = models.ManyToManyField("catalog.Procedure", verbose_name=_("thủ tục"), blank=True, related_name="+")
    counters = models.ManyToManyField("core.Counter", verbose_name=_("quầy phục vụ"), related_name="service_groups")
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nhóm dịch vụ")
        verbose_name_plural = _("nhóm dịch vụ")
        ordering = ["office_id", "sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="queue_group_office_code_unique"),
            models.UniqueConstraint(fields=["office", "prefix"], name="queue_group_office_prefix_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.prefix} – {self.name}"


class PriorityGroup(models.Model):
    """Who is served before ordinary tickets (người cao tuổi, người khuyết tật, ...); a higher weight
    goes first."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=120)
    weight = models.PositiveSmallIntegerField(_("trọng số"), default=1)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("đối tượng ưu tiên")
        verbose_name_plural = _("đối tượng ưu tiên")
        ordering = ["-weight", "code"]

    def __str__(self) -> str:
        return self.name


class TicketStatus(models.TextChoices):
    WAITING = "waiting", _("Đang chờ")
    CALLED = "called", _("Đã gọi")
    SERVING = "serving", _("Đang phục vụ")
    DONE = "done", _("Đã xong")
    ABSENT = "absent", _("Vắng mặt")


class TicketChannel(models.TextChoices):
    KIOSK = "kiosk", _("Máy lấy số")
    DESK = "desk", _("Tại quầy")
    BOOKING = "booking", _("Đặt lịch hẹn")
    PHONE = "phone", _("Điện thoại")


class Ticket(TimeStampedModel):
    """One queue number. Numbers run per office per day across all groups (1, 2, 3, ...); the code
    is the group's prefix and the number with at least three digits, e.g. "A015"."""

    office = models.ForeignKey(
        "core.OneStopOffice", verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="tickets"
    )
    group = models.ForeignKey(
        ServiceGroup, verbose_name=_("nhóm dịch vụ"), on_delete=models.PROTECT, related_name="tickets"
    )
    day = models.DateField(_("ngày"))
    number = models.PositiveIntegerField(_("số thứ tự"))
    code = models.CharField(_("số"), max_length=12)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.WAITING
    )
    channel = models.CharField(_("kênh"), max_length=12, choices=TicketChannel.choices, default=TicketChannel.KIOSK)
    priority = set_null_fk(PriorityGroup, _("đối tượng ưu tiên"), related_name="tickets")
    issued_at = models.DateTimeField(_("cấp lúc"))
    arrival_at = models.DateTimeField(_("đến lúc"), help_text=_("Giữ nguyên khi chuyển nhóm hoặc chuyển quầy."))
    appointment_at = models.DateTimeField(_("giờ hẹn"), null=True, blank=True)
    counter = set_null_fk("core.Counter", _("quầy"), related_name="tickets")
    officer = set_null_fk(settings.AUTH_USER_MODEL, _("cán bộ"), related_name="+")
    called_at = models.DateTimeField(_("gọi lúc"), null=True, blank=True)
    started_at = models.DateTimeField(_("bắt đầu phục vụ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    person = set_null_fk("core.Person", _("công dân"), related_name="queue_tickets")
    follow_token = models.CharField(max_length=40, unique=True, default=_follow_token, editable=False)
    # When the "your turn is near" SMS was queued (or found not needed: issued already that close).
    near_notice_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("số thứ tự")
        verbose_name_plural = _("số thứ tự")
        ordering = ["office_id", "day", "number"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "number"], name="queue_ticket_office_day_number_unique"),
            models.UniqueConstraint(fields=["office", "day", "code"], name="queue_ticket_office_day_code_unique"),
        ]
        indexes = [models.Index(fields=["office", "day", "status"], name="queue_ticket_waiting_idx")]

    def __str__(self) -> str:
        return f"{self.code} ({self.day:%d/%m/%Y})"


class TicketCallKind(models.TextChoices):
    CALL = "call", _("Gọi số")
    RECALL = "recall", _("Gọi lại")


class TicketCall(models.Model):
    """Append-only: one row per call or recall. The display board reads rows with id > last seen."""

    office = models.ForeignKey("core.OneStopOffice", on_delete=models.CASCADE, related_name="ticket_calls")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    counter = models.ForeignKey("core.Counter", on_delete=models.CASCADE, related_name="ticket_calls")
    officer = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    at = models.DateTimeField(_("lúc"))
    kind = models.CharField(_("loại"), max_length=8, choices=TicketCallKind.choices, default=TicketCallKind.CALL)

    class Meta:
        verbose_name = _("lượt gọi số")
        verbose_name_plural = _("lượt gọi số")
        ordering = ["id"]
        indexes = [models.Index(fields=["office", "id"], name="queue_call_office_id_idx")]

    def __str__(self) -> str:
        return f"{self.at:%H:%M:%S} {self.ticket_id} → {self.counter_id}"


class TicketSequence(models.Model):
    """Per office and day, the last number issued; incremented under a row lock."""

    office = models.ForeignKey("core.OneStopOffice", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "day"], name="queue_sequence_office_day_unique")]

    def __str__(self) -> str:
        return f"{self.office_id} {self.day}: {self.last}"


class QueueSettings(models.Model):
    """An office's own queue rules; offices without a row use the QUEUE_* settings."""

    office = models.OneToOneField(
        "core.OneStopOffice", verbose_name=_("bộ phận một cửa"), on_delete=models.CASCADE, related_name="queue_settings"
    )
    priority_streak_max = models.PositiveSmallIntegerField(
        _("số lượt ưu tiên liên tiếp tối đa"),
        default=2,
        help_text=_("Sau chừng ấy lượt gọi người ưu tiên liền nhau, gọi một người thường đang chờ. 0: không giới hạn."),
    )

    class Meta:
        verbose_name = _("cấu hình xếp hàng")
        verbose_name_plural = _("cấu hình xếp hàng")

    def __str__(self) -> str:
        return str(self.office)
