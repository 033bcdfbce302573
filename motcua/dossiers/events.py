"""The one interface through which citizens hear about their dossiers.

`emit(dossier, event, **context)` turns a dossier event into a Vietnamese message and hands it
to `motcua.notifications.services.notify`, inside the caller's transaction. Each occurrence is
written once: the dedupe key is the event name, the dossier and `event_id` (the DossierEvent row
that recorded it) when given, or an explicit `dedupe` in the context; otherwise one message per
event name per dossier.

Events and the context they use (all optional unless said):
- registered: - (submitted online, waiting for the desk)
- received: due_at (appointment date)
- not_received: reason
- supplement_requested: items (list of str), note
- supplement_received: -
- payment_requested: amount (int, đồng), items
- payment_received: -
- result_ready: delivery (desk/post/electronic), refused (bool), reason
- returned: mode, duong_dan_danh_gia (the satisfaction rating link, see motcua.ratings)
- apology: new_due_at, reason
- refused: reason
- stopped: reason
- withdrawn: -
- transferred: agency_name
Unknown events get a generic "your dossier was updated" message with `note`.
"""

from __future__ import annotations

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.text import format_vnd
from motcua.notifications.services import notify

from .models import Dossier, ResultDelivery


def _date(value) -> str:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M ngày %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value or "")


def _collect_place(dossier: Dossier, delivery: str) -> str:
    if delivery == ResultDelivery.POST:
        address = dossier.delivery_address or dossier.applicant_address
        return _("Kết quả sẽ được gửi qua bưu chính đến địa chỉ: %(address)s.") % {"address": address or "—"}
    if delivery == ResultDelivery.ELECTRONIC:
        return _("Bản điện tử của kết quả đã có trong mục hồ sơ của ông/bà trên Cổng dịch vụ công.")
    office = dossier.office
    place = office.name if office else dossier.receiving_agency.name
    address = (office.address if office else "") or dossier.receiving_agency.address
    text = _("Mời ông/bà đến nhận kết quả tại %(place)s") % {"place": place}
    if address:
        text += _(", địa chỉ %(address)s") % {"address": address}
    return text + _(", mang theo giấy tờ tùy thân (căn cước) để đối chiếu.")


def _message(dossier: Dossier, event: str, ctx: dict) -> tuple[str, str]:
    code = dossier.code or ""
    reason = ctx.get("reason") or ""
    if event == "received":
        return (
            _("Hồ sơ %(code)s đã được tiếp nhận") % {"code": code},
            _("Hồ sơ “%(procedure)s” của ông/bà đã được tiếp nhận với mã %(code)s. Ngày hẹn trả kết quả: %(date)s.")
            % {"procedure": dossier.procedure.name, "code": code, "date": _date(ctx.get("due_at") or dossier.due_at)},
        )
    if event == "registered":
        return (
            _("Hồ sơ %(code)s đã được gửi") % {"code": code},
            _("Hồ sơ “%(procedure)s” đã được gửi với mã %(code)s và đang chờ bộ phận một cửa kiểm tra, tiếp nhận.")
            % {"procedure": dossier.procedure.name, "code": code},
        )
    if event == "not_received":
        return (
            _("Hồ sơ %(code)s không được tiếp nhận") % {"code": code},
            _("Hồ sơ của ông/bà không được tiếp nhận. Lý do: %(reason)s") % {"reason": reason},
        )
    if event == "supplement_requested":
        items = ctx.get("items") or []
        lines = "\n".join(f"- {item}" for item in items)
        body = _("Hồ sơ %(code)s cần bổ sung, hoàn thiện các nội dung sau:\n%(items)s") % {"code": code, "items": lines}
        if ctx.get("note"):
            body += "\n" + ctx["note"]
        body += "\n" + _("Thời hạn giải quyết tạm dừng và được tính lại từ đầu khi ông/bà bổ sung đầy đủ.")
        return _("Hồ sơ %(code)s cần bổ sung giấy tờ") % {"code": code}, body
    if event == "supplement_received":
        return (
            _("Hồ sơ %(code)s đã nhận đủ phần bổ sung") % {"code": code},
            _("Hồ sơ đã được bổ sung đầy đủ và tiếp tục được giải quyết. Ngày hẹn trả kết quả mới: %(date)s.")
            % {"date": _date(dossier.due_at)},
        )
    if event == "payment_requested":
        amount = ctx.get("amount")
        body = _("Hồ sơ %(code)s cần nộp phí, lệ phí") % {"code": code}
        if amount:
            body += ": " + format_vnd(int(amount))
        body += ". " + _("Thời hạn giải quyết tạm dừng cho đến khi ông/bà hoàn thành nghĩa vụ tài chính.")
        return _("Hồ sơ %(code)s: yêu cầu thực hiện nghĩa vụ tài chính") % {"code": code}, body
    if event == "payment_received":
        return (
            _("Hồ sơ %(code)s: đã nhận phí, lệ phí") % {"code": code},
            _("Đã ghi nhận nghĩa vụ tài chính. Ngày hẹn trả kết quả: %(date)s.") % {"date": _date(dossier.due_at)},
        )
    if event == "result_ready":
        delivery = ctx.get("delivery") or dossier.result_delivery
        intro = (
            _("Hồ sơ %(code)s đã có văn bản trả lời (từ chối giải quyết). Lý do: %(reason)s.")
            % {"code": code, "reason": reason}
            if ctx.get("refused")
            else _("Hồ sơ %(code)s đã có kết quả.") % {"code": code}
        )
        return _("Hồ sơ %(code)s đã có kết quả") % {"code": code}, intro + " " + _collect_place(dossier, delivery)
    if event == "returned":
        return (
            _("Hồ sơ %(code)s đã trả kết quả") % {"code": code},
            _(
                "Kết quả của hồ sơ %(code)s đã được trả. Cảm ơn ông/bà đã sử dụng dịch vụ; mời ông/bà đánh giá mức độ hài lòng."
            )
            % {"code": code}
            + (
                " " + _("Đánh giá tại: %(link)s") % {"link": ctx["duong_dan_danh_gia"]}
                if ctx.get("duong_dan_danh_gia")
                else ""
            ),
        )
    if event == "apology":
        return (
            _("Xin lỗi về việc chậm trả kết quả hồ sơ %(code)s") % {"code": code},
            _(
                "Cơ quan giải quyết xin lỗi ông/bà vì hồ sơ %(code)s chậm so với ngày hẹn. Lý do: %(reason)s. "
                "Ngày hẹn trả kết quả mới: %(date)s."
            )
            % {"code": code, "reason": reason, "date": _date(ctx.get("new_due_at"))},
        )
    if event == "refused":
        return (
            _("Hồ sơ %(code)s bị từ chối giải quyết") % {"code": code},
            _("Hồ sơ của ông/bà không đủ điều kiện giải quyết. Lý do: %(reason)s") % {"reason": reason},
        )
    if event == "stopped":
        return (
            _("Hồ sơ %(code)s bị dừng xử lý") % {"code": code},
            _("Hồ sơ của ông/bà đã bị dừng xử lý. Lý do: %(reason)s") % {"reason": reason},
        )
    if event == "withdrawn":
        return (
            _("Hồ sơ %(code)s đã được rút") % {"code": code},
            _("Yêu cầu rút hồ sơ %(code)s đã được ghi nhận; hồ sơ không tiếp tục giải quyết.") % {"code": code},
        )
    if event == "transferred":
        return (
            _("Hồ sơ %(code)s được chuyển xử lý") % {"code": code},
            _("Hồ sơ đã được chuyển đến %(agency)s để giải quyết theo quy định.")
            % {"agency": ctx.get("agency_name", "")},
        )
    return (
        _("Hồ sơ %(code)s có cập nhật") % {"code": code},
        ctx.get("note") or _("Tình trạng hồ sơ của ông/bà đã được cập nhật."),
    )


def _link(dossier: Dossier) -> str:
    try:
        return dossier.get_absolute_url()
    except NoReverseMatch:
        try:
            return reverse("dossiers:portal_detail", args=[dossier.code])
        except NoReverseMatch:
            return ""


def emit(dossier: Dossier, event: str, **context):
    """Tell the applicant about `event` on `dossier` (see module doc); returns the message or None."""
    if not dossier.applicant_person_id:
        return None
    title, body = _message(dossier, event, context)
    if context.get("dedupe"):
        key = f"dossier.{event}:{dossier.pk}:{context['dedupe']}"
    elif context.get("event_id"):
        key = f"dossier.{event}:{dossier.pk}:e{context['event_id']}"
    else:
        key = f"dossier.{event}:{dossier.pk}"
    return notify(
        person=dossier.applicant_person,
        event=f"dossier.{event}",
        title=title,
        body=body,
        link=_link(dossier),
        subject_type="dossier",
        subject_id=str(dossier.pk),
        dedupe_key=key,
        params=context,
    )
