"""Delivery receipts from providers: authenticated, recorded once, applied to the message.

Each provider signs the raw request body with HMAC-SHA256 and a secret shared with us, sent in
the `X-Signature` header as hex (optionally prefixed "sha256="). A receipt is kept once per
(provider, callback id); a replay answers "duplicate" and changes nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, NotFound

from .models import Message, MessageStatus, ProviderCallback
from .services.outbox import message_fallback_create

SIGNATURE_HEADER = "X-Signature"
# URL name -> (provider name on Message rows, settings name of the shared secret)
PROVIDERS = {"sms": ("sms_http", "SMS_CALLBACK_SECRET"), "zalo": ("zalo_zns", "ZALO_CALLBACK_SECRET")}


def sign(secret: str, raw: bytes) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"


def _verify(provider: str, raw: bytes, signature: str) -> None:
    secret = getattr(settings, PROVIDERS[provider][1], "")
    given = (signature or "").strip().removeprefix("sha256=")
    if not secret or not given or not hmac.compare_digest(sign(secret, raw), given):
        raise BadSignature(_("Chữ ký của thông báo trạng thái không hợp lệ."))


def _parse(provider: str, payload: dict) -> tuple[str, str, str, str, str]:
    """(callback id, provider message id, our dedupe key, outcome delivered|failed|other, reason)."""
    if provider == "sms":
        status = str(payload.get("Status", "")).upper()
        outcome = (
            "delivered" if status == "DELIVERED" else "failed" if status in {"FAILED", "EXPIRED", "REJECTED"} else ""
        )
        sms_id = str(payload.get("SMSID", ""))
        callback_id = str(payload.get("CallbackId") or f"{sms_id}:{status}")
        reason = f"{status} {payload.get('ErrorCode', '')}".strip()
        return callback_id, sms_id, str(payload.get("RequestId", "")), outcome, reason
    event = str(payload.get("event_name", ""))
    inner = payload.get("message")
    if not isinstance(inner, dict):  # a signed but malformed receipt must give 422, not a 500
        inner = {}
    msg_id = str(inner.get("msg_id", ""))
    outcome = "delivered" if event == "user_received_message" else ""
    return f"{event}:{msg_id}", msg_id, str(inner.get("tracking_id", "")), outcome, event


def callback_receive(*, provider: str, raw_body: bytes, signature: str) -> dict:
    """Apply one signed receipt; returns {"duplicate": bool, "message_id": int | None, "status": str}."""
    if provider not in PROVIDERS:
        raise NotFound(_("Không có nhà cung cấp “%(p)s”.") % {"p": provider[:32]}, code="unknown_provider")
    _verify(provider, raw_body, signature)
    try:
        payload = json.loads(raw_body.decode("utf-8"))
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        raise DomainError(
            _("Nội dung thông báo trạng thái không phải JSON hợp lệ."), code="invalid_payload", status=422
        )
    callback_id, provider_message_id, request_id, outcome, reason = _parse(provider, payload)
    if not callback_id.strip(":"):
        raise DomainError(_("Thông báo trạng thái thiếu mã tin."), code="invalid_payload", status=422)
    provider_name = PROVIDERS[provider][0]
    try:
        with transaction.atomic():
            message = _find(provider_name, provider_message_id, request_id)
            ProviderCallback.objects.create(
                provider=provider,
                callback_id=callback_id[:160],
                provider_message_id=provider_message_id[:128],
                payload=payload,
                message=message,
            )
            status = _apply(message, outcome, reason, provider_name, provider_message_id) if message else ""
    except IntegrityError:
        return {"duplicate": True, "message_id": None, "status": ""}
    return {"duplicate": False, "message_id": message.pk if message else None, "status": status}


def _find(provider_name: str, provider_message_id: str, request_id: str) -> Message | None:
    rows = Message.objects.select_for_update()
    message = None
    if provider_message_id:
        message = rows.filter(provider=provider_name, provider_message_id=provider_message_id).first()
    # A worker killed after the provider accepted never wrote the provider's id: our key finds it.
    if message is None and request_id:
        message = rows.filter(dedupe_key=request_id).first()
    return message


def _apply(message: Message, outcome: str, reason: str, provider_name: str, provider_message_id: str) -> str:
    now = timezone.now()
    if message.status not in (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.TEMPORARY_FAILURE):
        return message.status
    update = {"provider": provider_name, "claimed_by": "", "claimed_at": None, "updated_at": now}
    if provider_message_id and not message.provider_message_id:
        update["provider_message_id"] = provider_message_id[:128]
    if outcome == "delivered":
        update.update(status=MessageStatus.DELIVERED, delivered_at=now, sent_at=message.sent_at or now)
    elif outcome == "failed":
        update.update(
            status=MessageStatus.PERMANENT_FAILURE, last_error=_("Nhà mạng báo không đến được: %(r)s") % {"r": reason}
        )
    else:
        return message.status
    Message.objects.filter(pk=message.pk).update(**update)
    if update["status"] == MessageStatus.PERMANENT_FAILURE:
        message.status = MessageStatus.PERMANENT_FAILURE
        message_fallback_create(message=message)
    return update["status"]
