"""Booking a slot by chat: office → service group → day → slot → phone (and its one-time code) → confirm.

The flow lives in the conversation's context under "booking" as plain values (ids, ISO dates and
times, the keys offered at the last step), so it expires with the conversation. It reads and books
through the appointments app's own selectors and `services.book` (the switchboard walks the same
steps by keypad), and a portal chatter proves the phone with the same one-time code as the
appointments portal flow (`verification.services.otp`, purpose BOOKING).

`step(text, state, ...)` takes the citizen's message and the flow's state and returns a `Turn`:
the answer, the numbered choices, and the new state (None when the flow is over).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.appointments import selectors as appointment_selectors
from motcua.appointments import services as appointment_services
from motcua.appointments.models import BookingChannel
from motcua.core import calendar
from motcua.core.errors import DomainError
from motcua.core.models import OneStopOffice
from motcua.queue.models import ServiceGroup
from motcua.verification.models import OtpPurpose
from motcua.verification.services.otp import mask_phone, otp_issue, otp_verify

# How many days and slots one answer offers (few enough for one Zalo screen).
DAYS_SHOWN = 5
SLOTS_SHOWN = 8
LEAVE_WORDS = re.compile(r"^\s*(?:huy|thoi|dung|thoat|bo qua|khong dat nua|cancel|stop)\b")
_NUMBER = re.compile(r"^\D{0,12}?(\d{1,2})\D{0,12}$")
_WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")


@dataclass
class Turn:
    answer: str
    choices: list[dict] = field(default_factory=list)
    state: dict | None = None
    booking_code: str = ""


def _choices(options: list[tuple[str, str]]) -> list[dict]:
    return [{"key": str(i), "label": label} for i, (_value, label) in enumerate(options, start=1)]


def _numbered(lead: str, options: list[tuple[str, str]], hint: str = "") -> str:
    lines = [f"{i}. {label}" for i, (_value, label) in enumerate(options, start=1)]
    tail = _("Trả lời bằng số thứ tự, hoặc “hủy” để thôi đặt lịch.")
    return "\n".join([part for part in (hint, lead) if part] + lines + [tail])


def _offer(step: str, state: dict, lead: str, options: list[tuple[str, str]], hint: str = "") -> Turn:
    state = {**state, "step": step, "options": [value for value, _label in options]}
    return Turn(_numbered(lead, options, hint), _choices(options), state)


def _day_label(day: datetime.date) -> str:
    return f"{_WEEKDAYS[day.weekday()]} {day:%d/%m/%Y}"


def _office_options(procedure_id: int | None, unit_id: int | None = None) -> list[tuple[str, str]]:
    offices = list(appointment_selectors.bookable_offices())
    if unit_id:
        # The citizen's own commune's office first (sort is stable: the procedure's order below wins).
        offices.sort(key=lambda o: o.agency.unit_id != unit_id)
    if procedure_id:
        # Offices whose groups take the procedure discussed just before come first.
        serving = set(
            appointment_selectors.bookable_groups()
            .filter(procedures__pk=procedure_id)
            .values_list("office_id", flat=True)
        )
        offices.sort(key=lambda o: o.pk not in serving)
    return [(str(o.pk), o.name) for o in offices]


def _group_options(office_id: str) -> list[tuple[str, str]]:
    office = OneStopOffice.objects.filter(pk=office_id).first()
    if office is None:
        return []
    return [(str(g.pk), g.name) for g in appointment_selectors.bookable_groups(office)]


def _group(group_id) -> ServiceGroup | None:
    return appointment_selectors.bookable_groups().filter(pk=group_id).first()


def _day_options(group: ServiceGroup) -> list[tuple[str, str]]:
    return [(d.isoformat(), _day_label(d)) for d in appointment_selectors.bookable_days(group)[:DAYS_SHOWN]]


def _slot_options(group: ServiceGroup, day: datetime.date) -> list[tuple[str, str]]:
    found = [s for s in appointment_selectors.free_slots(group, day) if s.free > 0][:SLOTS_SHOWN]
    return [(calendar.as_local(s.start).isoformat(), f"{calendar.as_local(s.start):%H:%M}") for s in found]


def _ask_offices(state: dict, hint: str = "") -> Turn:
    options = _office_options(state.get("procedure"), state.get("unit"))
    if not options:
        return Turn(_("Hiện chưa có bộ phận một cửa nào nhận đặt lịch hẹn qua trợ lý. Ông/bà vui lòng đến trực tiếp."))
    return _offer("office", state, _("Ông/bà muốn đặt lịch tại bộ phận một cửa nào?"), options, hint)


def _ask_groups(state: dict, hint: str = "") -> Turn:
    options = _group_options(state["office"])
    if not options:
        return _ask_offices({k: v for k, v in state.items() if k != "office"}, _("Nơi này hiện không nhận đặt lịch."))
    procedure = state.get("procedure")
    if procedure and len(options) > 1:
        # The group that takes the procedure discussed just before is chosen without asking.
        serving = appointment_selectors.bookable_groups().filter(office_id=state["office"], procedures__pk=procedure)
        first = serving.first()
        if first is not None:
            return _ask_days({**state, "group": first.pk}, hint)
    if len(options) == 1:
        return _ask_days({**state, "group": int(options[0][0])}, hint)
    return _offer("group", state, _("Ông/bà cần làm thủ tục thuộc lĩnh vực nào?"), options, hint)


def _ask_days(state: dict, hint: str = "") -> Turn:
    group = _group(state["group"])
    options = _day_options(group) if group else []
    if not options:
        return Turn(_("Lĩnh vực này hiện đã kín lịch hẹn trong những ngày tới. Ông/bà vui lòng chọn nơi khác hoặc "
                      "đến trực tiếp."))  # fmt: skip
    lead = _("Đặt lịch tại: %(group)s. Ông/bà muốn đến ngày nào?") % {"group": group.name}
    return _offer("day", state, lead, options, hint)


def _ask_slots(state: dict, hint: str = "") -> Turn:
    group = _group(state["group"])
    day = datetime.date.fromisoformat(state["day"])
    options = _slot_options(group, day) if group else []
    if not options:
        return _ask_days(state, hint or _("Ngày này đã hết chỗ."))
    lead = _("Ngày %(day)s còn các giờ sau:") % {"day": _day_label(day)}
    return _offer("slot", state, lead, options, hint)


def _ask_confirm(state: dict, hint: str = "") -> Turn:
    group = _group(state["group"])
    start = datetime.datetime.fromisoformat(state["slot"])
    lead = _("Xác nhận lịch hẹn: %(group)s, %(office)s, lúc %(time)s %(day)s; mã lịch hẹn gửi về số %(phone)s.") % {
        "group": group.name if group else "",
        "office": group.office.name if group else "",
        "time": f"{start:%H:%M}",
        "day": _day_label(start.date()),
        "phone": mask_phone(state["phone"]),
    }
    return _offer("confirm", state, lead, [("yes", _("Xác nhận đặt lịch")), ("no", _("Chọn giờ khác"))], hint)


def _ask_phone(state: dict, hint: str = "") -> Turn:
    text = _("Vui lòng nhập số điện thoại di động để nhận mã xác thực và mã lịch hẹn (hoặc “hủy” để thôi).")
    return Turn("\n".join(p for p in (hint, text) if p), [], {**state, "step": "phone", "options": []})


def _after_slot(state: dict, known_phone: str | None) -> Turn:
    if state.get("verified") and state.get("phone"):
        return _ask_confirm(state)  # another slot after a full one: the phone is already proven
    if known_phone:
        return _ask_confirm({**state, "phone": known_phone, "verified": True})
    return _ask_phone(state)


def start(*, procedure_id: int | None = None, unit_id: int | None = None) -> Turn:
    """The first turn: the offices to choose from (the citizen's commune's first when known)."""
    return _ask_offices({key: value for key, value in (("procedure", procedure_id), ("unit", unit_id)) if value})


def _picked(text: str, state: dict) -> str | None:
    found = _NUMBER.match(text.strip())
    options = state.get("options") or []
    if not found:
        return None
    index = int(found.group(1))
    return options[index - 1] if 1 <= index <= len(options) else None


def _invalid(state: dict) -> str:
    return _("Lựa chọn không hợp lệ: vui lòng trả lời một số từ 1 đến %(n)d.") % {"n": len(state.get("options") or [])}


def _book(state: dict, *, channel_label: str, person, user) -> Turn:
    group = _group(state["group"])
    if group is None:
        return _ask_offices({}, _("Nơi này hiện không nhận đặt lịch."))
    try:
        booking = appointment_services.book(
            group=group,
            slot_start=datetime.datetime.fromisoformat(state["slot"]),
            channel=BookingChannel.ASSISTANT,
            name=person.full_name if person is not None else channel_label,
            phone=state["phone"],
            person=person,
            actor=user,
        )
    except DomainError as exc:
        if exc.code in ("slot_full", "slot_closed"):
            return _ask_slots({k: v for k, v in state.items() if k != "slot"}, exc.message)
        return Turn(exc.message)
    # Absolute: the answer also goes out by Zalo and SMS.
    link = f"{settings.PUBLIC_BASE_URL}{reverse('appointments:booking', args=[booking.code])}"
    answer = _(
        "Đã đặt lịch hẹn. Mã lịch hẹn: %(code)s, lúc %(time)s %(day)s tại %(office)s. Xem lịch hẹn: %(link)s "
        "(tra cứu bằng mã và số điện thoại đã đặt)."
    ) % {
        "code": booking.code,
        "time": f"{calendar.as_local(booking.slot_start):%H:%M}",
        "day": _day_label(booking.day),
        "office": booking.office.name,
        "link": link,
    }
    return Turn(answer, [], None, booking.code)


def step(text: str, folded: str, state: dict, *, known_phone: str | None = None, person=None, user=None,
         request=None) -> Turn:  # fmt: skip
    """One citizen message inside the flow. `folded` is the message without accents (for "hủy")."""
    if LEAVE_WORDS.match(folded):
        return Turn(_("Đã thôi đặt lịch hẹn. Ông/bà cần hỏi gì thêm cứ nhắn."))
    where = state.get("step")
    if where == "phone":
        try:
            otp = otp_issue(purpose=OtpPurpose.BOOKING, phone=text.strip(), request=request)
        except DomainError as exc:
            return _ask_phone(state, exc.message)
        lead = _("Mã xác thực đã gửi đến số %(phone)s. Vui lòng nhập mã (hoặc “hủy” để thôi).") % {
            "phone": mask_phone(otp.phone)
        }
        return Turn(lead, [], {**state, "step": "otp", "phone": otp.phone, "options": []})
    if where == "otp":
        try:
            otp_verify(purpose=OtpPurpose.BOOKING, phone=state["phone"], code=text)
        except DomainError as exc:
            if exc.code in ("otp_expired", "otp_used", "otp_attempts"):
                return _ask_phone({k: v for k, v in state.items() if k != "phone"}, exc.message)
            return Turn(exc.message, [], state)
        return _ask_confirm({**state, "verified": True})
    value = _picked(text, state)
    if value is None:
        hint = _invalid(state)
        if where == "office":
            return _ask_offices(state, hint)
        if where == "group":
            return _ask_groups(state, hint)
        if where == "day":
            return _ask_days(state, hint)
        if where == "slot":
            return _ask_slots(state, hint)
        if where == "confirm":
            return _ask_confirm(state, hint)
        return start()
    if where == "office":
        return _ask_groups({**state, "office": value})
    if where == "group":
        return _ask_days({**state, "group": int(value)})
    if where == "day":
        return _ask_slots({**state, "day": value})
    if where == "slot":
        return _after_slot({**state, "slot": value}, known_phone)
    if where == "confirm":
        if value != "yes" or not state.get("verified"):
            return _ask_slots({k: v for k, v in state.items() if k != "slot"})
        return _book(state, channel_label=_("Người đặt qua trợ lý"), person=person, user=user)
    return start()
