"""Outbox rows: one message on one channel, built rendered and checked, and the fallback chain.

A person's first reachable channel gets the row (`notify.py`); after a permanent failure the next
channel of the person's order takes over (`message_fallback_create`, called by the worker and the
provider callbacks). The broadcast engine writes its outbox rows through `message_build` +
`messages_enqueue_bulk`.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.identity import normalize_phone
from motcua.core.models import Person

from .. import sms
from ..models import ChannelKind, ContactPreference, Message, MessageStatus, MessageTemplate
from ..providers.zalo import ZALO_CS, ZALO_KIND
from ..templates import MissingParams, render, sms_text
from .params import quiet_hours_release

OUTBOX_CHANNELS = (ChannelKind.ZALO, ChannelKind.SMS, ChannelKind.EMAIL)


def template_active(event: str, channel: str) -> MessageTemplate | None:
    return MessageTemplate.objects.filter(event=event, channel=channel, is_active=True).order_by("-version").first()


# --- Channels and preferences ----------------------------------------------------------------


def channel_order_for(person: Person) -> list[str]:
    """The person's channels, in order: their preference, else Zalo (if linked), SMS, e-mail."""
    preference = ContactPreference.objects.filter(person=person).first()
    if preference and preference.channel_order:
        return [c for c in preference.channel_order if c in ChannelKind.values]
    order = []
    if preference and preference.zalo_user_id and person.phone:
        order.append(ChannelKind.ZALO.value)
    if person.phone:
        order.append(ChannelKind.SMS.value)
    if person.email:
        order.append(ChannelKind.EMAIL.value)
    return order


def _recipient(person: Person, channel: str) -> str:
    return person.email if channel == ChannelKind.EMAIL else person.phone


# --- Building outbox rows --------------------------------------------------------------------


def message_build(
    *,
    channel: str,
    recipient: str,
    event: str,
    dedupe_key: str,
    params: dict | None = None,
    subject: str = "",
    body: str = "",
    template: MessageTemplate | None = None,
    person: Person | None = None,
    urgent: bool = False,
    broadcast=None,
    fallback_of=None,
    subject_type: str = "",
    subject_id: str = "",
    now: datetime.datetime | None = None,
    secret: bool = False,
) -> Message:
    """An unsaved outbox row: rendered (from `template` when given), phone normalised, quiet hours set.

    A recipient that can never be reached is not an error: the row is built already failed
    permanently, with the reason, so the next channel can take over and the history shows why.
    """
    now = now or timezone.now()
    params = dict(params or {})
    status, error = MessageStatus.CREATED, ""
    if template is not None:
        try:
            rendered = render(channel=channel, subject=template.subject, body=template.body, params=params)
            subject, body = rendered.subject or subject, rendered.body
        except MissingParams as exc:
            # The caller's own text still says it; keep the gap visible in the row.
            params["_missing"] = exc.names
            template = None
            body = sms_text(body) if channel == ChannelKind.SMS else body
    elif channel == ChannelKind.SMS:
        body = sms_text(body)
    if channel in (ChannelKind.SMS, ChannelKind.ZALO):
        try:
            recipient = normalize_phone(recipient)
        except ValidationError as exc:
            status = MessageStatus.PERMANENT_FAILURE
            error = _("Số điện thoại “%(phone)s” không hợp lệ: %(reason)s") % {
                "phone": recipient,
                "reason": " ".join(exc.messages),
            }
    elif channel == ChannelKind.EMAIL and "@" not in (recipient or ""):
        status, error = MessageStatus.PERMANENT_FAILURE, _("Địa chỉ thư điện tử không hợp lệ.")
    if channel == ChannelKind.ZALO and (template is None or not template.provider_template_id):
        status, error = MessageStatus.PERMANENT_FAILURE, _("Chưa có mẫu Zalo (ZNS) cho sự kiện này.")
    segments = sms.segments(body).segments if channel == ChannelKind.SMS else 0
    not_before = None
    if channel == ChannelKind.SMS and not urgent:
        not_before = quiet_hours_release(now)
    return Message(
        person=person,
        channel=channel,
        recipient=(recipient or "")[:255],
        event=event[:64],
        subject_type=subject_type[:32],
        subject_id=str(subject_id)[:64],
        template=template,
        template_version=template.version if template else None,
        subject=(subject or "")[:255],
        body=body,
        params=params,
        urgent=urgent,
        broadcast=broadcast,
        fallback_of=fallback_of,
        status=status,
        not_before=not_before,
        last_error=error,
        segments=segments,
        cost=sms.cost(segments) if segments else 0,
        dedupe_key=dedupe_key[:160],
        is_secret=secret,
    )


def message_reply_enqueue(*, channel: str, recipient: str, body: str, event: str, dedupe_key: str) -> Message:
    """The answer to someone who wrote to us on a channel, queued once per `dedupe_key`.

    Zalo: a consultation message to the user id the OA webhook named (no template, no phone);
    SMS: a text to the sender's phone. Urgent, because the person is waiting for it now; no person
    row, because a channel sender is not necessarily anyone we know.
    """
    if channel == ChannelKind.ZALO:
        built = Message(
            channel=channel,
            recipient=recipient[:255],
            event=event[:64],
            body=body,
            params={ZALO_KIND: ZALO_CS},
            urgent=True,
            dedupe_key=dedupe_key[:160],
        )
    elif channel == ChannelKind.SMS:
        built = message_build(
            channel=channel, recipient=recipient, event=event, dedupe_key=dedupe_key, body=body, urgent=True
        )
    else:
        raise ValueError(f"no channel replies on {channel!r}")
    message, _created = Message.objects.get_or_create(dedupe_key=built.dedupe_key, defaults=message_fields(built))
    return message


def messages_enqueue_bulk(messages: list[Message], *, batch_size: int = 2000) -> int:
    """Insert many outbox rows at once (broadcasts); rows whose dedupe_key exists are skipped."""
    created = 0
    for start in range(0, len(messages), batch_size):
        chunk = messages[start : start + batch_size]
        Message.objects.bulk_create(chunk, batch_size=batch_size, ignore_conflicts=True)
        created += len(chunk)
    return created


def channel_message_build(
    *,
    person: Person,
    channel: str,
    event: str,
    key: str,
    values: dict,
    title: str,
    body: str,
    urgent: bool,
    subject_type: str,
    subject_id: str,
    fallback_of: Message | None = None,
    broadcast=None,
) -> Message:
    fallback_body = f"{title}: {body}" if title and channel == ChannelKind.SMS else body
    return message_build(
        channel=channel,
        recipient=_recipient(person, channel),
        event=event,
        dedupe_key=f"{key[:150]}:{channel}",
        params=values,
        subject=title,
        body=fallback_body,
        template=template_active(event, channel),
        person=person,
        urgent=urgent,
        subject_type=subject_type,
        subject_id=subject_id,
        fallback_of=fallback_of,
        broadcast=broadcast,
    )


def message_chain_enqueue(message: Message, *, order: list[str], start: int, **kwargs) -> Message | None:
    """Save `message`; if it is born failed (unreachable), go on down the person's channel order."""
    saved, created = Message.objects.get_or_create(dedupe_key=message.dedupe_key, defaults=message_fields(message))
    if created and saved.status == MessageStatus.PERMANENT_FAILURE:
        next_channel = next((c for c in order[start + 1 :] if c in OUTBOX_CHANNELS), None)
        if next_channel:
            nxt = channel_message_build(channel=next_channel, fallback_of=saved, **kwargs)
            return message_chain_enqueue(nxt, order=order, start=order.index(next_channel), **kwargs)
    return saved


def message_fields(message: Message) -> dict:
    return {f.attname: getattr(message, f.attname) for f in Message._meta.concrete_fields if f.attname != "id"}


def message_fallback_create(*, message: Message) -> Message | None:
    """After a permanent failure, the person's next channel gets the same notice (once)."""
    if message.person_id is None:
        return None
    person = message.person
    order = channel_order_for(person)
    if message.channel not in order:
        return None
    rest = [c for c in order[order.index(message.channel) + 1 :] if c in OUTBOX_CHANNELS]
    if not rest:
        return None
    root_key = message.dedupe_key.rsplit(":", 1)[0]
    params = {k: v for k, v in (message.params or {}).items() if not k.startswith("_")}
    kwargs = {
        "person": person,
        "event": message.event,
        "key": root_key,
        "values": params,
        "title": params.get("tieu_de", message.subject),
        "body": params.get("noi_dung", message.body),
        "urgent": message.urgent,
        "subject_type": message.subject_type,
        "subject_id": message.subject_id,
        "broadcast": message.broadcast,
    }
    nxt = channel_message_build(channel=rest[0], fallback_of=message, **kwargs)
    return message_chain_enqueue(nxt, order=order, start=order.index(rest[0]), **kwargs)
