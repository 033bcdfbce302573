"""Notification endpoints: send one notice, read statuses, previews, provider receipts, opt-out."""

from __future__ import annotations

import datetime
import uuid

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from motcua.core.errors import DomainError
from motcua.core.models import Person
from motcua.core.selectors import person_get_for
from motcua.schemas import ErrorOut, column_text

from . import callbacks, selectors
from .models import ChannelKind, Message
from .services.notify import message_send_direct, notify
from .services.preferences import broadcast_opt_out_set
from .templates import event_spec, preview

router = Router(tags=["Thông báo"], auth=django_auth)
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class MessageOut(Schema):
    id: int
    channel: str
    recipient: str
    event: str
    subject: str
    body: str
    status: str
    status_label: str
    attempts: int
    segments: int
    cost: int
    template_id: int | None
    template_version: int | None
    provider: str
    provider_message_id: str
    last_error: str
    not_before: datetime.datetime | None
    sent_at: datetime.datetime | None
    delivered_at: datetime.datetime | None
    fallback_of_id: int | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_body(obj) -> str:
        return obj.body_shown


class SendIn(Schema):
    person_id: int | None = Field(None, description="Công dân nhận (ưu tiên).")
    phone: str | None = Field(None, description="Hoặc số điện thoại, khi người nhận chưa có trong hệ thống.")
    event: column_text(Message, "event") = Field(..., description="Mã sự kiện, ví dụ `notice` hoặc `dossier.received`.")
    title: str = Field("", max_length=255)
    body: str = Field("", description="Nội dung; dùng làm ((noi_dung)) trong mẫu.")
    params: dict[str, str] = Field(default_factory=dict, description="Giá trị cho các ((tham_so)) của mẫu.")
    urgent: bool = Field(False, description="Khẩn: gửi cả trong giờ yên tĩnh (21:00–07:00).")
    dedupe_key: str | None = Field(None, max_length=100, description="Gửi lại cùng khóa thì không tạo tin mới.")
    reason: str | None = Field(
        None,
        max_length=1000,
        description="Lý do, khi công dân nằm ngoài công việc của cán bộ (tra cứu diện rộng, được ghi nhật ký).",
    )


class SendOut(Schema):
    inbox_id: int | None
    messages: list[MessageOut]


class PreviewIn(Schema):
    event: str
    channel: str = Field(..., description="sms, zalo, email hoặc inbox")
    subject: str = ""
    body: str
    params: dict[str, str] = Field(default_factory=dict)


class SmsFacts(Schema):
    text: str
    characters: int
    length: int
    encoding: str
    segments: int
    per_segment: int
    remaining: int
    cost: int


class SmsPreview(Schema):
    unaccented: SmsFacts
    accented: SmsFacts
    sent_form: str


class TemplatePreviewOut(Schema):
    event: str
    channel: str
    subject: str
    body: str
    problems: list[str]
    sms: SmsPreview | None


class CallbackOut(Schema):
    duplicate: bool
    message_id: int | None
    status: str


class OptOutIn(Schema):
    opt_out: bool


class OptOutOut(Schema):
    broadcast_opt_out: bool
    note: str


@router.post(
    "/notifications",
    response={201: SendOut, **ERRORS},
    summary="Gửi một thông báo cho một công dân (cán bộ quản lý, quản trị)",
)
def notification_send(request, payload: SendIn):
    selectors.require_sender(request.auth)
    if event_spec(payload.event) is None:
        raise DomainError(
            _("Sự kiện “%(e)s” không có trong danh mục.") % {"e": payload.event[:64]}, code="unknown_event", status=422
        )
    key = f"{selectors.sent_key_prefix(request.auth)}{payload.dedupe_key or uuid.uuid4().hex}"
    params = {"tieu_de": payload.title, "noi_dung": payload.body, **payload.params}
    if payload.person_id is not None:
        person = person_get_for(request.auth, payload.person_id, reason=payload.reason)
        inbox = notify(
            person=person,
            event=payload.event,
            title=payload.title or payload.event,
            body=payload.body,
            dedupe_key=key,
            params=params,
            urgent=payload.urgent,
        )
        messages = list(person.messages.filter(dedupe_key__startswith=f"{key[:150]}:").order_by("id"))
        return Status(201, {"inbox_id": inbox.pk, "messages": messages})
    if not payload.phone:
        raise DomainError(_("Cần chọn công dân hoặc nhập số điện thoại."), code="no_recipient", status=422)
    message = message_send_direct(
        phone=payload.phone,
        event=payload.event,
        params=params,
        dedupe_key=key,
        urgent=payload.urgent,
        actor=request.auth,
    )
    return Status(201, {"inbox_id": None, "messages": [message]})


@router.post(
    "/notifications/preview",
    response={200: TemplatePreviewOut, **ERRORS},
    summary="Xem trước mẫu với dữ liệu mẫu (SMS: không dấu, số ký tự, số tin, chi phí)",
)
def notification_preview(request, payload: PreviewIn):
    if not selectors.user_is_officer(request.auth):
        raise DomainError(_("Chỉ cán bộ được xem trước mẫu."), code="forbidden", status=403)
    if payload.channel not in ChannelKind.values:
        raise DomainError(_("Kênh không hợp lệ."), code="invalid_channel", status=422)
    return preview(
        event=payload.event, channel=payload.channel, subject=payload.subject, body=payload.body, params=payload.params
    )


@router.get(
    "/notifications/{message_id}",
    response={200: MessageOut, **ERRORS},
    summary="Trạng thái một tin đã gửi",
)
def notification_detail(request, message_id: int):
    return selectors.message_get_for(request.auth, message_id)


@router.post(
    "/notifications/callbacks/{provider}",
    auth=None,
    response={200: CallbackOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Báo cáo trạng thái gửi từ nhà cung cấp (ký HMAC-SHA256 trong X-Signature)",
)
def notification_callback(request, provider: str):
    return callbacks.callback_receive(
        provider=provider, raw_body=request.body, signature=request.headers.get(callbacks.SIGNATURE_HEADER, "")
    )


@router.get(
    "/me/messages",
    response={200: list[MessageOut], **ERRORS},
    summary="Các tin đã gửi cho tôi, mọi kênh",
)
def my_messages(request):
    return list(selectors.my_messages(request.auth)[:200])


def _my_person(user) -> Person:
    if not user.person_id:
        raise DomainError(_("Tài khoản chưa gắn với công dân nào."), code="no_person", status=404)
    return user.person


@router.get(
    "/me/broadcast-opt-out",
    response={200: OptOutOut, **ERRORS},
    summary="Tôi có đang từ chối thông báo diện rộng không",
)
def opt_out_get(request):
    person = _my_person(request.auth)
    return {"broadcast_opt_out": selectors.broadcast_opted_out(person), "note": _OPT_OUT_NOTE()}


@router.post(
    "/me/broadcast-opt-out",
    response={200: OptOutOut, **ERRORS},
    summary="Từ chối (hoặc nhận lại) thông báo diện rộng",
)
def opt_out_set(request, payload: OptOutIn):
    preference = broadcast_opt_out_set(person=_my_person(request.auth), opt_out=payload.opt_out, actor=request.auth)
    return {"broadcast_opt_out": preference.broadcast_opt_out, "note": _OPT_OUT_NOTE()}


def _OPT_OUT_NOTE() -> str:
    return _("Thông báo về hồ sơ và các thông báo pháp luật bắt buộc vẫn luôn được gửi.")
