"""Message templates: the event registry, ((placeholder)) rendering and previews.

Every event a template may be written for is registered here with the placeholders it supplies
and sample values for previews. A template that names a placeholder its event does not supply is
refused when saved, so a message can never go out with a hole in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import sms
from .models import ChannelKind

PLACEHOLDER = re.compile(r"\(\(\s*([a-z_][a-z0-9_]*)\s*\)\)")


@dataclass(frozen=True)
class EventSpec:
    key: str
    label: str
    placeholders: dict[str, str] = field(default_factory=dict)  # name -> sample value
    # Notices the law requires (a dossier decision) are never subject to broadcast opt-out.
    legally_required: bool = True


# Every dossier event knows who it is for and which dossier; these come from the dossier itself.
_DOSSIER_COMMON = {
    "ho_ten": "Trần Thị Mai",
    "ma_ho_so": "000.00.20.H12-260316-0007",
    "thu_tuc": "Đăng ký khai sinh",
    "co_quan": "UBND xã Tân Thành",
    "duong_dan": "https://dichvucong.camau.gov.vn/ho-so/000.00.20.H12-260316-0007/",
    "tieu_de": "Hồ sơ 000.00.20.H12-260316-0007 có cập nhật",
    "noi_dung": "Tình trạng hồ sơ của ông/bà đã được cập nhật.",
}

_DOSSIER_EXTRA: dict[str, tuple[str, dict[str, str]]] = {
    "registered": (gettext_lazy("Hồ sơ đã được gửi trực tuyến"), {}),
    "received": (gettext_lazy("Hồ sơ được tiếp nhận"), {"ngay_hen": "16:00 ngày 19/03/2026"}),
    "not_received": (gettext_lazy("Hồ sơ không được tiếp nhận"), {"ly_do": "Hồ sơ không thuộc thẩm quyền"}),
    "supplement_requested": (
        gettext_lazy("Yêu cầu bổ sung hồ sơ"),
        {"danh_sach": "Giấy chứng sinh (bản chính)", "ghi_chu": "Nộp tại bộ phận một cửa"},
    ),
    "supplement_received": (gettext_lazy("Đã nhận đủ phần bổ sung"), {"ngay_hen": "16:00 ngày 24/03/2026"}),
    "payment_requested": (gettext_lazy("Yêu cầu nộp phí, lệ phí"), {"so_tien": "8.000 đ"}),
    "payment_received": (gettext_lazy("Đã nhận phí, lệ phí"), {"ngay_hen": "16:00 ngày 19/03/2026"}),
    "result_ready": (
        gettext_lazy("Hồ sơ đã có kết quả"),
        {"noi_nhan": "Bộ phận một cửa xã Tân Thành, Ấp 1, xã Tân Thành"},
    ),
    "returned": (
        gettext_lazy("Đã trả kết quả"),
        {"duong_dan_danh_gia": "https://dichvucong.camau.gov.vn/danh-gia/q3Xn0bVfK2LmT8wYp4RzHa/"},
    ),
    "apology": (
        gettext_lazy("Thư xin lỗi, hẹn lại ngày trả kết quả"),
        {"ngay_hen_moi": "16:00 ngày 26/03/2026", "ly_do": "Cần xác minh thêm thông tin"},
    ),
    "refused": (gettext_lazy("Hồ sơ bị từ chối giải quyết"), {"ly_do": "Không đủ điều kiện theo quy định"}),
    "stopped": (gettext_lazy("Hồ sơ bị dừng xử lý"), {"ly_do": "Theo đề nghị của cơ quan có thẩm quyền"}),
    "withdrawn": (gettext_lazy("Hồ sơ đã được rút"), {}),
    "transferred": (gettext_lazy("Hồ sơ được chuyển xử lý"), {"co_quan_moi": "Sở Tư pháp tỉnh Cà Mau"}),
}

DOSSIER_EVENTS = tuple(f"dossier.{name}" for name in _DOSSIER_EXTRA)

EVENTS: dict[str, EventSpec] = {
    f"dossier.{name}": EventSpec(f"dossier.{name}", str(label), {**_DOSSIER_COMMON, **extra})
    for name, (label, extra) in _DOSSIER_EXTRA.items()
}
EVENTS["broadcast"] = EventSpec(
    "broadcast",
    "Thông báo diện rộng",
    {
        "tieu_de": "Lịch tiêm chủng tháng 4",
        "noi_dung": "Trạm y tế xã tổ chức tiêm chủng mở rộng ngày 05/04/2026, từ 7 giờ đến 11 giờ.",
        "don_vi": "UBND xã Tân Thành",
        "ho_ten": "Trần Thị Mai",
    },
    legally_required=False,
)
# Anything an officer sends by hand through the API without a dedicated event.
EVENTS["notice"] = EventSpec(
    "notice",
    "Thông báo chung",
    {"tieu_de": "Thông báo", "noi_dung": "Mời ông/bà liên hệ bộ phận một cửa.", "ho_ten": "Trần Thị Mai"},
)


# --- Field reports (phản ánh hiện trường). ---
_FIELDREPORT_COMMON = {
    "ho_ten": "Trần Thị Mai",
    "ma_phan_anh": "PA-260316-0007",
    "linh_vuc": "Cây xanh gãy đổ",
    "co_quan": "UBND xã Tân Thành",
    "duong_dan": "https://dichvucong.camau.gov.vn/phan-anh/PA-260316-0007/",
    "tieu_de": "Phản ánh PA-260316-0007 có cập nhật",
    "noi_dung": "Phản ánh của ông/bà đã được cập nhật.",
}
_FIELDREPORT_EXTRA: dict[str, tuple[str, dict[str, str]]] = {
    "submitted": (gettext_lazy("Đã nhận phản ánh"), {"han_xu_ly": "17:00 ngày 23/03/2026"}),
    "accepted": (gettext_lazy("Phản ánh được tiếp nhận xử lý"), {"han_xu_ly": "17:00 ngày 30/03/2026"}),
    "refused": (gettext_lazy("Phản ánh không được tiếp nhận"), {"ly_do": "Không thuộc phạm vi tiếp nhận"}),
    "transferred": (gettext_lazy("Phản ánh được chuyển cơ quan khác"), {"co_quan_moi": "Công an xã Tân Thành"}),
    "answered": (gettext_lazy("Phản ánh đã có trả lời"), {"ket_qua": "Đã giải quyết"}),
    "closed": (gettext_lazy("Phản ánh đã hoàn thành"), {}),
    "reopened": (gettext_lazy("Phản ánh được mở lại"), {"ly_do": "Cây vẫn chưa được dọn"}),
    "merged": (gettext_lazy("Phản ánh được gộp"), {"ma_gop_vao": "PA-260316-0003"}),
    "escalated": (gettext_lazy("Phản ánh quá hạn cần chỉ đạo"), {"han_xu_ly": "17:00 ngày 23/03/2026"}),
}
FIELDREPORT_EVENTS = tuple(f"fieldreport.{name}" for name in _FIELDREPORT_EXTRA)
EVENTS.update(
    {
        f"fieldreport.{name}": EventSpec(
            f"fieldreport.{name}", str(label), {**_FIELDREPORT_COMMON, **extra}, legally_required=False
        )
        for name, (label, extra) in _FIELDREPORT_EXTRA.items()
    }
)


# --- Accounts: one-time codes and security notices (the verification app sends them). ---
# A code message says what it is for and never to share it; it is secret (see Message.is_secret).
OTP_PURPOSES: dict[str, str] = {
    "claim": gettext_lazy("nhận hồ sơ công dân"),
    "desk_claim": gettext_lazy("xác minh tại quầy"),
    "phone_change": gettext_lazy("đổi số điện thoại"),
    "password_reset": gettext_lazy("đặt lại mật khẩu"),
    "booking": gettext_lazy("đặt lịch hẹn"),
}
OTP_EVENTS = tuple(f"otp.{purpose}" for purpose in OTP_PURPOSES)
EVENTS.update(
    {
        f"otp.{purpose}": EventSpec(
            f"otp.{purpose}",
            str(gettext_lazy("Mã xác thực để %(purpose)s") % {"purpose": label}),
            {"ma_xac_thuc": "123456", "so_phut": "5", "muc_dich": str(label)},
        )
        for purpose, label in OTP_PURPOSES.items()
    }
)
_ACCOUNT_NOTICES = {
    "password_changed": gettext_lazy("Mật khẩu đã được thay đổi"),
    "phone_changed": gettext_lazy("Số điện thoại của tài khoản đã được thay đổi"),
    "person_linked": gettext_lazy("Hồ sơ công dân đã được liên kết với một tài khoản"),
}
EVENTS.update(
    {
        f"account.{name}": EventSpec(
            f"account.{name}",
            str(label),
            {
                "ho_ten": "Trần Thị Mai",
                "tieu_de": str(label),
                "noi_dung": "Nếu không phải ông/bà thực hiện, hãy liên hệ ngay bộ phận một cửa.",
            },
        )
        for name, label in _ACCOUNT_NOTICES.items()
    }
)


def event_spec(event: str) -> EventSpec | None:
    return EVENTS.get(event)


def placeholders_in(text: str) -> list[str]:
    seen: list[str] = []
    for name in PLACEHOLDER.findall(text or ""):
        if name not in seen:
            seen.append(name)
    return seen


def unknown_placeholders(event: str, *texts: str) -> list[str]:
    """Placeholders used in `texts` that `event` does not supply (all of them if the event is unknown)."""
    spec = event_spec(event)
    allowed = set(spec.placeholders) if spec else set()
    return [name for text in texts for name in placeholders_in(text) if name not in allowed]


def template_problems(
    *, event: str, channel: str, subject: str, body: str, provider_template_id: str = ""
) -> list[str]:
    """Vietnamese reasons why this template may not be saved (empty when it is fine)."""
    problems = []
    if event_spec(event) is None:
        problems.append(_("Sự kiện “%(event)s” không có trong danh mục sự kiện.") % {"event": event})
        return problems
    if channel not in ChannelKind.values:
        problems.append(_("Kênh “%(channel)s” không hợp lệ.") % {"channel": channel})
    if not (body or "").strip():
        problems.append(_("Nội dung mẫu không được để trống."))
    unknown = unknown_placeholders(event, subject, body)
    if unknown:
        problems.append(
            _("Tham số %(names)s không có trong sự kiện “%(event)s”. Các tham số dùng được: %(allowed)s.")
            % {
                "names": ", ".join(f"(({n}))" for n in unknown),
                "event": event,
                "allowed": ", ".join(f"(({n}))" for n in event_spec(event).placeholders),
            }
        )
    if channel == ChannelKind.ZALO and not provider_template_id.strip():
        problems.append(_("Mẫu Zalo cần mã mẫu ZNS đã được Zalo duyệt (mã mẫu tại nhà cung cấp)."))
    return problems


class MissingParams(Exception):
    def __init__(self, names: list[str]):
        super().__init__(", ".join(names))
        self.names = names


def render_text(text: str, params: dict, *, strict: bool = True) -> str:
    """Fill ((placeholders)); a missing value raises MissingParams when strict, else leaves it empty."""
    missing = [name for name in placeholders_in(text) if str(params.get(name, "") or "") == ""]
    if missing and strict:
        raise MissingParams(missing)
    return PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), "") or ""), text or "")


def sms_text(text: str) -> str:
    """What an SMS route receives: unaccented unless the route takes Unicode."""
    return sms.unaccented(text) if settings.SMS_UNACCENTED else text


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    params: dict


def render(*, channel: str, subject: str, body: str, params: dict) -> Rendered:
    """A template's text with `params` filled in (strict), in the form the channel carries."""
    used = {name: str(params[name]) for name in placeholders_in(subject) + placeholders_in(body) if name in params}
    rendered_subject = render_text(subject, params)
    rendered_body = render_text(body, params)
    if channel == ChannelKind.SMS:
        rendered_body = sms_text(rendered_body)
    return Rendered(rendered_subject, rendered_body, used)


def sms_facts(text: str) -> dict:
    """Character count, encoding, segments and cost of one SMS text, for previews."""
    info = sms.segments(text)
    return {
        "text": text,
        "characters": len(text),
        "length": info.length,
        "encoding": info.encoding,
        "segments": info.segments,
        "per_segment": info.per_segment,
        "remaining": info.remaining,
        "cost": sms.cost(info.segments),
    }


def preview(*, event: str, channel: str, subject: str, body: str, params: dict | None = None) -> dict:
    """The template filled with sample values (overridden by `params`); SMS adds count and cost.

    Unknown placeholders are reported, not raised, so an editor sees the problem while typing.
    """
    spec = event_spec(event)
    values = {**(spec.placeholders if spec else {}), **(params or {})}
    result = {
        "event": event,
        "channel": channel,
        "subject": render_text(subject, values, strict=False),
        "body": render_text(body, values, strict=False),
        "problems": template_problems(
            event=event, channel=channel, subject=subject, body=body, provider_template_id="-"
        ),
        "sms": None,
    }
    if channel == ChannelKind.SMS:
        accented = result["body"]
        result["sms"] = {
            "unaccented": sms_facts(sms.unaccented(accented)),
            "accented": sms_facts(accented),
            "sent_form": "unaccented" if settings.SMS_UNACCENTED else "accented",
        }
    return result
