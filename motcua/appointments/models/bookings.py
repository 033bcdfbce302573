from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import EventLogEntry, TimeStampedModel, set_null_fk


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã đặt")
    CANCELLED = "cancelled", _("Đã hủy")
    CHECKED_IN = "checked_in", _("Đã đến")
    NO_SHOW = "no_show", _("Vắng mặt")


# Bookings that hold a place in their slot (a no-show held it too: the counter waited).
ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.CHECKED_IN, BookingStatus.NO_SHOW)


class BookingChannel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công (đã đăng nhập)")
    PORTAL_OTP = "portal_otp", _("Cổng dịch vụ công (số điện thoại và mã xác thực)")
    DESK = "desk", _("Tại quầy")
    ASSISTED = "assisted", _("Tổ công nghệ số hỗ trợ")
    ASSISTANT = "assistant", _("Trợ lý ảo")
    PHONE = "phone", _("Tổng đài tự động")


class Booking(TimeStampedModel):
    """One appointment at a service group, whatever channel it came through.

    `code` is what the citizen keeps (SMS, QR, slip): six characters from an alphabet without
    look-alikes. Moving a booking keeps its code and changes `slot_start` (the event row keeps the
    old slot). `phone` is always filled when known, so limits count one person across channels.
    """

    code = models.CharField(_("mã lịch hẹn"), max_length=8, unique=True)
    office = models.ForeignKey(
        "core.OneStopOffice", verbose_name=_("bộ phận một cửa"), on_delete=models.PROTECT, related_name="bookings"
    )
    group = models.ForeignKey(
        "queue.ServiceGroup", verbose_name=_("nhóm dịch vụ"), on_delete=models.PROTECT, related_name="bookings"
    )
    day = models.DateField(_("ngày hẹn"))
    slot_start = models.DateTimeField(_("giờ hẹn"))
    slot_end = models.DateTimeField(_("hết khung giờ"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    channel = models.CharField(_("kênh đặt"), max_length=12, choices=BookingChannel.choices)
    person = set_null_fk("core.Person", _("công dân"), related_name="bookings")
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True, db_index=True)
    name = models.CharField(_("họ và tên"), max_length=120)
    procedure = set_null_fk("catalog.Procedure", _("thủ tục"), related_name="+")
    created_by = set_null_fk(settings.AUTH_USER_MODEL, _("người tạo"), related_name="+")
    ticket = set_null_fk("queue.Ticket", _("số thứ tự"), related_name="+")
    checked_in_at = models.DateTimeField(_("đến lúc"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    day_reminder_at = models.DateTimeField(_("nhắc trước một ngày lúc"), null=True, blank=True, editable=False)
    hour_reminder_at = models.DateTimeField(_("nhắc trước một giờ lúc"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("lịch hẹn")
        verbose_name_plural = _("lịch hẹn")
        ordering = ["slot_start", "id"]
        indexes = [
            models.Index(fields=["group", "slot_start"], name="booking_group_slot_idx"),
            models.Index(fields=["status", "slot_start"], name="booking_status_slot_idx"),
            models.Index(fields=["office", "day"], name="booking_office_day_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"


class BookingEvent(EventLogEntry):
    """The booking's history: booked, moved, cancelled, checked in, no-show, reminded."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="events")
    actor = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("diễn biến lịch hẹn")
        verbose_name_plural = _("diễn biến lịch hẹn")
        ordering = ["at", "id"]
