"""Writes for notifications. Every message to a citizen goes through `notify`.

`notify` writes the portal inbox message (every citizen has one) and the outbox row of the
person's first reachable channel, in the caller's transaction: if the change that caused it rolls
back, so does the message; if it commits, a worker will send it (see worker.py). The broadcast
engine writes its outbox rows through `message_build` + `messages_enqueue_bulk`.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone
from motcua.core.models import AuditEvent, Person
from motcua.core.text import format_vnd

from . import sms
from .models import ChannelKind, ContactPreference, InboxMessage, Message, MessageStatus, MessageTemplate
from .templates import MissingParams, event_spec, render, sms_text, template_problems

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OUTBOX_CHANNELS = (ChannelKind.ZALO, ChannelKind.SMS, ChannelKind.EMAIL)
# Names the dossier events use in their context, mapped to the template placeholders.
_CONTEXT_NAMES = {
    "reason": "ly_do",
    "items": "danh_sach",
    "note": "ghi_chu",
    "due_at": "ngay_hen",
    "new_due_at": "ngay_hen_moi",
    "amount": "so_tien",
    "agency_name": "co_quan_moi",
    "place": "noi_nhan",
}


# --- Values ---------------------------------------------------------------------------------


def _text(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, TZ).strftime("%H:%M ngày %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(item) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", ".")
    return "" if value is None else str(value)


def _dossier_params(subject_id: str) -> dict:
    # Looked up by name so that notifications never imports the dossiers app (it imports us).
    Dossier = apps.get_model("dossiers", "Dossier")
    dossier = (
        Dossier.objects.select_related("procedure", "receiving_agency", "office").filter(pk=subject_id).first()
        if str(subject_id).isdigit()
        else None
    )
    if dossier is None:
        return {}
    values = {
        "ma_ho_so": dossier.code or "",
        "thu_tuc": dossier.procedure.name,
        "co_quan": dossier.receiving_agency.name,
        "ngay_hen": _text(dossier.due_at) if dossier.due_at else "",
        "ngay_hen_moi": _text(dossier.apology_due_at) if dossier.apology_due_at else "",
    }
    return {k: v for k, v in values.items() if v}


def resolve_params(
    *,
    person: Person | None,
    title: str = "",
    body: str = "",
    link: str = "",
    subject_type: str = "",
    subject_id: str = "",
    params: dict | None = None,
) -> dict:
    """Every value a template may use: the person, the caller's texts, the subject, then `params`."""
    values = {"tieu_de": title, "noi_dung": body}
    if person is not None:
        values["ho_ten"] = person.full_name
    if link:
        values["duong_dan"] = link if "://" in link else settings.PUBLIC_BASE_URL + link
    if subject_type == "dossier" and subject_id:
        values.update(_dossier_params(subject_id))
    for key, value in (params or {}).items():
        # Money is written one way everywhere ("8.000 đ"); templates carry no unit after it.
        money = key == "amount" and isinstance(value, int) and not isinstance(value, bool) and value >= 0
        values[_CONTEXT_NAMES.get(key, key)] = format_vnd(value) if money else _text(value)
    return {k: v for k, v in values.items() if v not in ("", None)}


def quiet_hours_release(now: datetime.datetime) -> datetime.datetime | None:
    """The next morning's release time if `now` falls in quiet hours (21:00–07:00 local), else None."""
    local = timezone.localtime(now, TZ)
    start, end = settings.NOTIFY_QUIET_START_HOUR, settings.NOTIFY_QUIET_END_HOUR
    if end <= local.hour < start:
        return None
    day = local.date() + datetime.timedelta(days=1) if local.hour >= start else local.date()
    return datetime.datetime.combine(day, datetime.time(end), TZ)


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


def messages_enqueue_bulk(messages: list[Message], *, batch_size: int = 2000) -> int:
    """Insert many outbox rows at once (broadcasts); rows whose dedupe_key exists are skipped."""
    created = 0
    for start in range(0, len(messages), batch_size):
        chunk = messages[start : start + batch_size]
        Message.objects.bulk_create(chunk, batch_size=batch_size, ignore_conflicts=True)
        created += len(chunk)
    return created


def _channel_message(
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


def _enqueue_chain(message: Message, *, order: list[str], start: int, **kwargs) -> Message | None:
    """Save `message`; if it is born failed (unreachable), go on down the person's channel order."""
    saved, created = Message.objects.get_or_create(dedupe_key=message.dedupe_key, defaults=_fields(message))
    if created and saved.status == MessageStatus.PERMANENT_FAILURE:
        next_channel = next((c for c in order[start + 1 :] if c in OUTBOX_CHANNELS), None)
        if next_channel:
            nxt = _channel_message(channel=next_channel, fallback_of=saved, **kwargs)
            return _enqueue_chain(nxt, order=order, start=order.index(next_channel), **kwargs)
    return saved


def _fields(message: Message) -> dict:
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
    nxt = _channel_message(channel=rest[0], fallback_of=message, **kwargs)
    return _enqueue_chain(nxt, order=order, start=order.index(rest[0]), **kwargs)


# --- notify -----------------------------------------------------------------------------------


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
                _enqueue_chain(
                    _channel_message(channel=first, **kwargs), order=order, start=order.index(first), **kwargs
                )
    return message


def message_send_direct(
    *, phone: str, event: str, params: dict, dedupe_key: str, urgent: bool = False, actor=None
) -> Message:
    """One SMS to a phone number that belongs to no known person (officer's manual send)."""
    values = {k: _text(v) for k, v in params.items()}
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
        message, _created = Message.objects.get_or_create(dedupe_key=built.dedupe_key, defaults=_fields(built))
        AuditEvent.objects.create(
            actor=actor,
            action="notification.send",
            object_type="message",
            object_id=str(message.pk),
            data={"event": event, "channel": "sms"},
        )
    return message


# --- Templates ---------------------------------------------------------------------------------


def template_save(
    *, event: str, channel: str, body: str, subject: str = "", provider_template_id: str = "", actor=None
) -> MessageTemplate:
    """Save a new version of the (event, channel) template; the previous versions stay for history."""
    problems = template_problems(
        event=event, channel=channel, subject=subject, body=body, provider_template_id=provider_template_id
    )
    if problems:
        raise DomainError(" ".join(problems), code="template_invalid", status=422, details={"problems": problems})
    for _attempt in range(3):
        try:
            with transaction.atomic():
                current = (
                    MessageTemplate.objects.select_for_update()
                    .filter(event=event, channel=channel)
                    .aggregate(top=Max("version"))["top"]
                    or 0
                )
                MessageTemplate.objects.filter(event=event, channel=channel, is_active=True).update(is_active=False)
                template = MessageTemplate.objects.create(
                    event=event,
                    channel=channel,
                    version=current + 1,
                    subject=subject,
                    body=body,
                    provider_template_id=provider_template_id,
                    is_active=True,
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
                AuditEvent.objects.create(
                    actor=template.created_by,
                    action="template.save",
                    object_type="message_template",
                    object_id=str(template.pk),
                    data={"event": event, "channel": channel, "version": template.version},
                )
                return template
        except IntegrityError:
            continue  # two editors saved at once: take the next number
    raise DomainError(_("Không lưu được mẫu, vui lòng thử lại."), code="template_conflict", status=409)


# --- Preferences ------------------------------------------------------------------------------


def contact_preference_set(
    *, person: Person, channel_order: list[str], zalo_user_id: str | None = None, actor=None
) -> ContactPreference:
    bad = [c for c in channel_order if c not in ChannelKind.values]
    if bad:
        raise DomainError(
            _("Kênh không hợp lệ: %(bad)s.") % {"bad": ", ".join(bad)}, code="invalid_channel", status=422
        )
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(person=person)
        preference.channel_order = list(dict.fromkeys(channel_order))
        fields = ["channel_order", "updated_at"]
        if zalo_user_id is not None:
            preference.zalo_user_id = zalo_user_id
            fields.append("zalo_user_id")
        preference.save(update_fields=fields)
        AuditEvent.objects.create(
            actor=actor,
            action="contact_preference.set",
            object_type="person",
            object_id=str(person.pk),
            data={"channel_order": preference.channel_order},
        )
    return preference


def broadcast_opt_out_set(*, person: Person, opt_out: bool, actor=None) -> ContactPreference:
    """Stop (or resume) area broadcasts for `person`; notices the law requires are never affected."""
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(person=person)
        preference.broadcast_opt_out = opt_out
        preference.broadcast_opt_out_at = timezone.now() if opt_out else None
        preference.save(update_fields=["broadcast_opt_out", "broadcast_opt_out_at", "updated_at"])
        AuditEvent.objects.create(
            actor=actor,
            action="broadcast.opt_out" if opt_out else "broadcast.opt_in",
            object_type="person",
            object_id=str(person.pk),
            data={},
        )
    return preference


def event_is_legally_required(event: str) -> bool:
    spec = event_spec(event)
    return spec.legally_required if spec else True
