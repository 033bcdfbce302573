"""The assistant's records: conversations (per channel and sender), one exchange per question, and
the FAQ officers edit.

Nothing personal beyond what the channel already holds: the sender is the channel's own reference
(a Zalo user id, the verified phone of an SMS, nothing for the portal), and the stored question text
has phone and ID numbers masked before it is written (services.masking).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel, set_null_fk


class Channel(models.TextChoices):
    PORTAL = "portal", _("Cổng dịch vụ công")
    API = "api", _("API")
    ZALO = "zalo", _("Zalo OA")
    SMS = "sms", _("Tin nhắn SMS")


class AnswerSource(models.TextChoices):
    FAQ = "faq", _("Câu hỏi thường gặp")
    CATALOG = "catalog", _("Danh mục thủ tục")
    STATUS = "status", _("Tra cứu hồ sơ")
    OUT_OF_SCOPE = "oos", _("Ngoài phạm vi")
    BOOKING = "booking", _("Đặt lịch hẹn")


class Conversation(models.Model):
    """One thread of questions from one sender on one channel; its context lives for a few idle minutes."""

    public_id = models.UUIDField(_("mã công khai"), default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(_("kênh"), max_length=12, choices=Channel.choices, default=Channel.PORTAL)
    sender = models.CharField(_("người gửi (theo kênh)"), max_length=64, blank=True, db_index=True)
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)
    # {"procedure": id of the last procedure answered, "pending": "phone_last4" or "",
    #  "dossier_code": the code waiting for its digits, "turns": number of questions}
    context = models.JSONField(_("ngữ cảnh"), default=dict, blank=True)

    class Meta:
        verbose_name = _("cuộc hội thoại")
        verbose_name_plural = _("cuộc hội thoại")
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["channel", "sender", "updated_at"])]

    def __str__(self) -> str:
        return str(self.public_id)


class Exchange(models.Model):
    """One question and how it was answered (the text stored masked)."""

    conversation = models.ForeignKey(
        Conversation, verbose_name=_("cuộc hội thoại"), on_delete=models.CASCADE, related_name="exchanges"
    )
    text = models.TextField(_("câu hỏi"))
    folded = models.TextField(_("câu hỏi (không dấu)"), blank=True)
    intent = models.CharField(_("ý định"), max_length=16)
    confidence = models.FloatField(_("độ tin cậy"), default=0)
    procedure_ids = models.JSONField(_("thủ tục gợi ý"), default=list, blank=True)
    answered = models.BooleanField(_("đã trả lời"), default=False)
    source = models.CharField(_("nguồn trả lời"), max_length=8, choices=AnswerSource.choices, blank=True)
    answer = models.TextField(_("câu trả lời"), blank=True)
    created_at = models.DateTimeField(_("lúc hỏi"), auto_now_add=True, db_index=True)
    reviewed = models.BooleanField(_("đã xem xét"), default=False)

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reviewed", "answered", "created_at"])]

    def __str__(self) -> str:
        return self.text[:80]


class FaqEntry(TimeStampedModel):
    """A question officers answer once; used before the catalog text when it matches."""

    question = models.CharField(_("câu hỏi"), max_length=500)
    answer = models.TextField(_("câu trả lời"))
    procedure = set_null_fk("catalog.Procedure", _("thủ tục"), related_name="faq_entries")
    keywords = models.CharField(_("từ khóa"), max_length=500, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến hết"), null=True, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = set_null_fk(settings.AUTH_USER_MODEL, _("người tạo"), related_name="+")

    class Meta:
        verbose_name = _("câu hỏi thường gặp")
        verbose_name_plural = _("câu hỏi thường gặp")
        ordering = ["question"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="faq_validity_ordered",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu."),
            )
        ]

    def __str__(self) -> str:
        return self.question
