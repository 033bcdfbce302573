"""Receive one Zalo event or one inbound SMS, answer it, queue the reply through the outbox.

Each entry point: authenticate the sender (signature), refuse a replay (the same event or text
seen again) and, for Zalo, a stale event; throttle per sender; compute the answer (the assistant
answers in milliseconds); write the reply as one outbox row. The notifications
worker sends it, so the webhook answers well within Zalo's 2 seconds whatever the network does.

Counters (replays, throttles) are core.throttle's atomic database counters, shared by every
process: no table of our own, and `counters_purge` forgets them when their window ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.assistant.services import ask
from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone_or_none
from motcua.core.throttle import counter_clear, counter_hit, now_ms
from motcua.dossiers.selectors import CODE_PATTERN
from motcua.notifications.models import ChannelKind
from motcua.notifications.services import message_reply_enqueue

from . import replies, selectors, sms, zalo

log = logging.getLogger(__name__)

# A Zalo event older than this (by its own timestamp) is refused: a captured request cannot be
# replayed later, once the replay counter below has forgotten it.
ZALO_MAX_AGE_SECONDS = 300
ZALO_CLOCK_SKEW_SECONDS = 60  # how far in the future an event's timestamp may be (clocks differ)
# How long an event or text id is remembered: well past the age limit and past Zalo's retries.
REPLAY_WINDOW_SECONDS = 24 * 3600
# Questions one sender may ask per window; the first refusal is answered, later ones are not.
SENDER_LIMITS = {"zalo": (20, 600), "sms": (10, 3600)}
QUESTION_MAX_CHARS = 1000
_CODE = re.compile(rf"^{CODE_PATTERN}$")


class BadSignature(DomainError):
    status = 401
    code = "bad_signature"


@dataclass(frozen=True)
class Received:
    status: str  # "queued" | "duplicate" | "ignored" | "throttled"
    message_id: int | None = None


def _json_object(raw: bytes) -> dict:
    try:
        payload = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise DomainError(_("Nội dung gửi đến không phải JSON hợp lệ."), code="invalid_payload", status=422)
    return payload


def _first_time(key: str) -> bool:
    """True the first time `key` is seen within the replay window (atomic across processes)."""
    return counter_hit(key, limit=1, window_seconds=REPLAY_WINDOW_SECONDS).allowed


def sender_allowed(channel: str, sender: str) -> tuple[bool, int | None]:
    """(may this sender be answered now, minutes to tell them when this is their first refused message)."""
    limit, window = SENDER_LIMITS[channel]
    hit = counter_hit(f"assistant-{channel}:{sender}", limit=limit, window_seconds=window)
    if hit.allowed:
        return True, None
    return False, (hit.retry_minutes if hit.count == limit + 1 else None)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


# --- Zalo -------------------------------------------------------------------------------------


def zalo_event_receive(*, raw_body: bytes, signature: str, now: int | None = None) -> Received:
    """One webhook event from Zalo (see `zalo` for the signature). Raises DomainError when refused."""
    payload = _json_object(raw_body)
    stamp = zalo.timestamp_of(payload)
    if not zalo.signature_valid(
        raw_body, signature, stamp, app_id=settings.ZALO_APP_ID, oa_secret_key=settings.ZALO_OA_SECRET_KEY
    ):
        raise BadSignature(_("Chữ ký sự kiện Zalo không hợp lệ."))
    event = zalo.event_parse(payload)
    now = now_ms() if now is None else now
    if (
        event.timestamp_ms is None
        or now - event.timestamp_ms > ZALO_MAX_AGE_SECONDS * 1000
        or event.timestamp_ms - now > ZALO_CLOCK_SKEW_SECONDS * 1000
    ):
        raise DomainError(_("Sự kiện Zalo đã quá hạn hoặc sai thời điểm."), code="stale_event", status=401)
    key = f"zalo-event:{event.msg_id or _digest(raw_body)}"
    if not _first_time(key):
        log.info("zalo event %s: duplicate", event.name)
        return Received("duplicate")
    try:
        received = _zalo_dispatch(event, key)
    except Exception:
        counter_clear(key)  # not handled: let Zalo's retry through
        raise
    log.info("zalo event %s: %s", event.name, received.status)
    return received


def _zalo_dispatch(event: zalo.ZaloEvent, key: str) -> Received:
    if not event.user_id:
        return Received("ignored")
    dedupe = f"assistant:{key}"
    if event.name == zalo.FOLLOW:
        message = message_reply_enqueue(
            channel=ChannelKind.ZALO,
            recipient=event.user_id,
            body=replies.zalo_welcome(),
            event="assistant.welcome",
            dedupe_key=dedupe,
        )
        return Received("queued", message.pk)
    if event.name != zalo.USER_SEND_TEXT or not event.text.strip():
        return Received("ignored")  # unfollow, images, stickers, seen receipts, ...
    allowed, tell_minutes = sender_allowed("zalo", event.user_id)
    if not allowed:
        if tell_minutes is None:
            return Received("throttled")
        message = message_reply_enqueue(
            channel=ChannelKind.ZALO,
            recipient=event.user_id,
            body=replies.zalo_throttled(tell_minutes),
            event="assistant.throttled",
            dedupe_key=dedupe,
        )
        return Received("throttled", message.pk)
    # The assistant calls the public lookup outside any transaction (its counts must stand), and
    # writes its exchange itself; the reply row is one more insert.
    try:
        reply = ask(event.text[:QUESTION_MAX_CHARS], channel="zalo", sender=event.user_id)
        text = replies.zalo_reply(reply.answer, list(reply.procedures or []))
    except DomainError as exc:  # the assistant's own refusal (too many questions, too long): said as is
        text = exc.message
    message = message_reply_enqueue(
        channel=ChannelKind.ZALO, recipient=event.user_id, body=text, event="assistant.reply", dedupe_key=dedupe
    )
    return Received("queued", message.pk)


# --- SMS --------------------------------------------------------------------------------------


def sms_mo_receive(*, raw_body: bytes, signature: str) -> Received:
    """One text a citizen sent to the province's number, posted by the SMS gateway."""
    if not sms.signature_valid(raw_body, signature, secret=settings.SMS_CALLBACK_SECRET):
        raise BadSignature(_("Chữ ký tin nhắn đến không hợp lệ."))
    payload = _json_object(raw_body)
    mo_id = str(payload.get("MoId") or "").strip()[:100]
    phone = normalize_phone_or_none(str(payload.get("Phone") or ""))
    content = payload.get("Content")
    if not mo_id or not isinstance(content, str):
        raise DomainError(_("Tin nhắn đến thiếu mã tin hoặc nội dung."), code="invalid_payload", status=422)
    if phone is None:
        return Received("ignored")  # not a Vietnamese mobile: nothing we could text back
    key = f"sms-mo:{mo_id}"
    if not _first_time(key):
        log.info("sms mo: duplicate")
        return Received("duplicate")
    try:
        received = _sms_answer(phone, content[:QUESTION_MAX_CHARS], key)
    except Exception:
        counter_clear(key)
        raise
    log.info("sms mo: %s", received.status)
    return received


def _sms_answer(phone: str, content: str, key: str) -> Received:
    allowed, tell_minutes = sender_allowed("sms", phone)
    if not allowed and tell_minutes is None:
        return Received("throttled")
    text = replies.sms_throttled(tell_minutes) if not allowed else sms_reply_text(phone, content)
    message = message_reply_enqueue(
        channel=ChannelKind.SMS, recipient=phone, body=text, event="assistant.sms", dedupe_key=f"assistant:{key}"
    )
    return Received("queued" if allowed else "throttled", message.pk)


def sms_reply_text(phone: str, content: str) -> str:
    """The one-part, unaccented answer to a text from `phone` (verified by the network)."""
    command = sms.command_parse(content)
    if command.keyword == sms.HS:
        code = (command.argument.split() or [""])[0].upper()
        if not _CODE.match(code):
            return replies.sms_hs_usage()
        try:
            found = selectors.dossier_status_for_phone(code, phone)
        except DomainError as exc:  # this phone failed the lookup too often
            if exc.status != 429:
                raise
            return sms.first_fitting(exc.message)
        return replies.sms_status(found) if found else replies.sms_status_elsewhere(code)
    if command.keyword == sms.TT:
        if not command.argument:
            return replies.sms_tt_usage()
        try:
            reply = ask(command.argument, channel="sms", sender=phone)
        except DomainError as exc:  # too many questions, too long
            return sms.first_fitting(exc.message)
        if reply.understood == "booking":
            return _sms_booking_text(reply.answer)
        codes = [str(p.get("code")) for p in (reply.procedures or []) if p.get("code")]
        procedures = selectors.procedures_by_code(codes[:1])
        if reply.intent == "out_of_scope" or not procedures:
            return replies.sms_no_procedure(command.argument)
        return replies.sms_procedure(procedures[0])
    if _sms_booking_open(phone):
        # Inside the booking flow (started by "TT dat lich"), a bare number or "huy" is the next turn.
        try:
            return _sms_booking_text(ask(content, channel="sms", sender=phone).answer)
        except DomainError as exc:
            return sms.first_fitting(exc.message)
    return replies.sms_help()


# The booking flow's numbered choices do not fit one part: up to three (a long office list is cut).
SMS_BOOKING_CHARS = 3 * 153


def _sms_booking_text(answer: str) -> str:
    return sms.shorten(sms.plain(answer), SMS_BOOKING_CHARS)


def _sms_booking_open(phone: str) -> bool:
    return selectors.booking_flow_open("sms", phone, idle_minutes=settings.ASSISTANT_IDLE_MINUTES)
