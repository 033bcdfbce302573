"""Every message to a citizen goes through `notify`.

`notify` writes the portal inbox message (every citizen has one) and the outbox row of the
person's first reachable channel, in the caller's transaction: if the change that caused it rolls
back, so does the message; if it commits, a worker will send it (see worker.py).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import Person
from motcua.core.transitions import audit_record

from ..models import ChannelKind, InboxMessage, Message
from .outbox import (
    OUTBOX_CHANNELS,
    channel_message_build,
    channel_order_for,
    message_build,
    message_chain_enqueue,
    message_fields,
    template_active,
)
from .params import param_text, resolve_params


def notify(
    *,
    person: Person,
    event: str,
    title: str,
    body: str,
    link: str = "",
    subject_type: str = "",
    subject_id: str = "",
    dedupe_key: str,
    params: dict | None = None,
    urgent: bool = False,
) -> InboxMessage:
    """Tell `person` about `event`; once per `dedupe_key`, so a retried action never repeats it.

    Call it inside the transaction of the change it reports: if that change rolls back, so does
    the message (no phantom notices), and if it commits, the inbox message and the first
    channel's outbox row are there together (no lost ones). `params` fill the channel templates
    (dossier context names such as `reason` or `due_at` are understood).
    """
    with transaction.atomic():
        message, created = InboxMessage.objects.get_or_create(
            dedupe_key=dedupe_key[:128],
            defaults={
                "person": person,
                "event": event[:64],
                "title": title[:255],
                "body": body,
                "link": link[:255],
                "subject_type": subject_type[:32],
                "subject_id": str(subject_id)[:64],
            },
        )
        if created:
            order = channel_order_for(person)
            first = next((c for c in order if c in OUTBOX_CHANNELS), None)
            if first:
                values = resolve_params(
                    person=person,
                    title=title,
                    body=body,
                    link=link,
                    subject_type=subject_type,
                    subject_id=str(subject_id),
                    params=params,
                )
                kwargs = {
                    "person": person,
                    "event": event,
                    "key": dedupe_key,
                    "values": values,
                    "title": title,
                    "body": body,
                    "urgent": urgent,
                    "subject_type": subject_type,
                    "subject_id": str(subject_id),
                    "broadcast": None,
                }
                message_chain_enqueue(
                    channel_message_build(channel=first, **kwargs), order=order, start=order.index(first), **kwargs
                )
    return message


def message_send_direct(
    *, phone: str, event: str, params: dict, dedupe_key: str, urgent: bool = False, actor=None
) -> Message:
    """One SMS to a phone number that belongs to no known person (officer's manual send)."""
    values = {k: param_text(v) for k, v in params.items()}
    with transaction.atomic():
        built = message_build(
            channel=ChannelKind.SMS,
            recipient=phone,
            event=event,
            dedupe_key=f"{dedupe_key}:sms",
            params=values,
            body=values.get("noi_dung", ""),
            template=template_active(event, ChannelKind.SMS),
            urgent=urgent,
        )
        if built.template is None and not built.body.strip():
            raise DomainError(_("Sự kiện này chưa có mẫu SMS và không có nội dung để gửi."), code="no_template")
        message, _created = Message.objects.get_or_create(dedupe_key=built.dedupe_key, defaults=message_fields(built))
        audit_record(actor=actor, action="notification.send", obj=message, data={"event": event, "channel": "sms"})
    return message
