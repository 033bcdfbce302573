"""The outbox of messages to the national public-service portal's synchronisation service.

One `SyncMessage` per status change of a dossier, written in the same transaction as the change.
Rows are only ever marked, never deleted (PROTECT from the dossier side too): the table is the
record of what the national portal was told, and when.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel


class SyncState(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    RETRY = "retry", _("Chờ gửi lại (lỗi tạm thời)")
    SENT = "sent", _("Đã đồng bộ")
    REJECTED = "rejected", _("Bị từ chối")


# Not yet accepted by the national portal: every state but SENT.
UNSENT_STATES = (SyncState.PENDING, SyncState.SENDING, SyncState.RETRY, SyncState.REJECTED)


def new_message_id() -> str:
    return uuid.uuid4().hex


class SyncMessage(TimeStampedModel):
    """One change of one dossier, as the national portal is to receive it (payload built at enqueue)."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", verbose_name=_("hồ sơ"), on_delete=models.PROTECT, related_name="sync_messages"
    )
    # 1, 2, 3 … per dossier, in the order of the changes; sent strictly in this order.
    seq = models.PositiveIntegerField(_("số thứ tự"))
    # Sent with the message; the national side (and our fake) uses it to ignore a resend.
    message_id = models.CharField(_("mã gói tin"), max_length=32, unique=True, default=new_message_id)
    status = models.CharField(_("trạng thái hồ sơ"), max_length=24)
    national_status = models.PositiveSmallIntegerField(_("mã trạng thái quốc gia"))
    changed_at = models.DateTimeField(_("thời điểm thay đổi"))
    payload = models.JSONField(_("dữ liệu gửi"), default=dict)

    state = models.CharField(
        _("tình trạng đồng bộ"), max_length=10, choices=SyncState.choices, default=SyncState.PENDING
    )
    attempts = models.PositiveIntegerField(_("số lần gửi"), default=0)
    not_before = models.DateTimeField(_("gửi lại sau"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    # The national portal's answer code when it refused the message (not a transient error).
    reject_code = models.CharField(_("mã lỗi từ chối"), max_length=32, blank=True)
    sent_at = models.DateTimeField(_("đồng bộ lúc"), null=True, blank=True)
    resent_count = models.PositiveSmallIntegerField(_("số lần gửi lại thủ công"), default=0)

    class Meta:
        verbose_name = _("gói tin đồng bộ")
        verbose_name_plural = _("gói tin đồng bộ")
        constraints = [models.UniqueConstraint(fields=["dossier", "seq"], name="syncmessage_dossier_seq_unique")]
        indexes = [
            # The sender's scan: what may be due, oldest first.
            models.Index(fields=["state", "not_before", "id"], name="syncmessage_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}#{self.seq} ({self.state})"
