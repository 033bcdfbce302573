from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk

SECRET_MASK = "••••••"


class ChannelKind(models.TextChoices):
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo OA")
    EMAIL = "email", _("Thư điện tử")
    INBOX = "inbox", _("Hộp thư trên cổng")


class MessageTemplate(TimeStampedModel):
    """The text of one event on one channel, with ((placeholders)).

    Templates are versioned: editing saves a new version and every message records the version
    it was rendered from, so what a citizen received can always be shown exactly.
    """

    event = models.CharField(_("sự kiện"), max_length=64)
    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelKind.choices)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    # Zalo OA template messages are approved by Zalo and referenced by id.
    provider_template_id = models.CharField(_("mã mẫu tại nhà cung cấp"), max_length=64, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = set_null_fk(settings.AUTH_USER_MODEL, related_name="+")

    class Meta:
        verbose_name = _("mẫu thông báo")
        verbose_name_plural = _("mẫu thông báo")
        constraints = [
            models.UniqueConstraint(fields=["event", "channel", "version"], name="template_event_channel_version")
        ]
        ordering = ["event", "channel", "-version"]

    def __str__(self) -> str:
        return f"{self.event} / {self.channel} v{self.version}"


class ContactPreference(TimeStampedModel):
    """How a person wants to be reached, in order; and whether they take area broadcasts."""

    person = models.OneToOneField("core.Person", on_delete=models.CASCADE, related_name="contact_preference")
    channel_order = models.JSONField(_("thứ tự kênh"), default=list, help_text=_('Ví dụ: ["zalo", "sms"]'))
    zalo_user_id = models.CharField(_("Zalo user id (theo OA)"), max_length=64, blank=True)
    # Opting out covers broadcasts only: notices the law requires are always sent.
    broadcast_opt_out = models.BooleanField(_("từ chối thông báo diện rộng"), default=False)
    broadcast_opt_out_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("cách liên lạc ưa thích")
        verbose_name_plural = _("cách liên lạc ưa thích")

    def __str__(self) -> str:
        return f"{self.person}: {', '.join(self.channel_order)}"


class MessageStatus(models.TextChoices):
    CREATED = "created", _("Mới tạo")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Nhà cung cấp đã nhận")
    DELIVERED = "delivered", _("Đã đến người nhận")
    TEMPORARY_FAILURE = "temporary_failure", _("Lỗi tạm thời, sẽ gửi lại")
    PERMANENT_FAILURE = "permanent_failure", _("Lỗi vĩnh viễn")
    TECHNICAL_FAILURE = "technical_failure", _("Lỗi kỹ thuật")
    CANCELLED = "cancelled", _("Đã hủy")


class Message(TimeStampedModel):
    """One message on one channel to one recipient: the outbox row.

    Written in the same transaction as the event that caused it; a worker claims it, sends it
    once (the provider gets our `dedupe_key` as its client reference, and a row already handed to
    the provider is never sent again), and records the outcome. A failure on one channel creates
    the next channel's message with `fallback_of` pointing back.
    """

    person = set_null_fk("core.Person", related_name="messages")
    channel = models.CharField(_("kênh"), max_length=8, choices=ChannelKind.choices)
    recipient = models.CharField(_("người nhận"), max_length=255, help_text=_("số điện thoại, Zalo id hoặc email"))
    event = models.CharField(_("sự kiện"), max_length=64)
    subject_type = models.CharField(max_length=32, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    template = models.ForeignKey(MessageTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    template_version = models.PositiveIntegerField(null=True, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"))
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    # Urgent messages ignore quiet hours (21:00–07:00); everything else waits for morning.
    urgent = models.BooleanField(_("khẩn"), default=False)
    broadcast = models.ForeignKey(
        "notifications.Broadcast", null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    fallback_of = set_null_fk("self", related_name="fallbacks")
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=MessageStatus.choices, default=MessageStatus.CREATED
    )
    not_before = models.DateTimeField(_("gửi không sớm hơn"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    provider = models.CharField(_("nhà cung cấp"), max_length=32, blank=True)
    provider_message_id = models.CharField(_("mã tin tại nhà cung cấp"), max_length=128, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    segments = models.PositiveSmallIntegerField(_("số tin (SMS)"), default=0)
    cost = models.PositiveIntegerField(_("chi phí ước tính (đồng)"), default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=160, unique=True)
    # One-time codes and the like: the text is for the recipient's own phone or mailbox only.
    # Pages, the API and the admin show SECRET_MASK instead, and the worker blanks it once sent.
    is_secret = models.BooleanField(_("nội dung bí mật"), default=False, db_default=False)

    class Meta:
        verbose_name = _("tin gửi đi")
        verbose_name_plural = _("tin gửi đi")
        indexes = [
            models.Index(fields=["status", "not_before", "id"], name="message_outbox_idx"),
            models.Index(fields=["person", "-created_at"], name="message_person_idx"),
            models.Index(fields=["broadcast", "status"], name="message_broadcast_idx"),
            models.Index(fields=["provider", "provider_message_id"], name="message_provider_id_idx"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.channel} → {self.recipient}: {self.get_status_display()}"

    @property
    def body_shown(self) -> str:
        return SECRET_MASK if self.is_secret else self.body


class DeliveryAttempt(models.Model):
    """One call to a provider for a message, with what it answered."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField(auto_now_add=True)
    provider = models.CharField(max_length=32)
    outcome = models.CharField(max_length=20, choices=MessageStatus.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["message_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.provider} {self.outcome} {self.at:%d/%m %H:%M}"


class ProviderCallback(models.Model):
    """A delivery receipt from a provider, kept once per (provider, callback id)."""

    provider = models.CharField(max_length=32)
    callback_id = models.CharField(max_length=160)
    provider_message_id = models.CharField(max_length=128, blank=True)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(auto_now_add=True)
    message = set_null_fk(Message, related_name="callbacks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "callback_id"], name="provider_callback_once")]

    def __str__(self) -> str:
        return f"{self.provider} {self.callback_id}"
