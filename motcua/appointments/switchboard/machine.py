"""The switchboard's state machine: one step per event from the provider.

`step(call, event, digits, now)` moves `call` (a SwitchboardCall, locked by the caller) to its next
state and returns what to play and collect. The table `SWITCHBOARD` says which input leads where;
each state has a prompt (built again from the call's stored choices, so "repeat" and "invalid, try
again" read the same numbered list) and a handler for the digits pressed.

Invalid digits and silence (the provider's "timeout") count as tries at the current step: the prompt
is read again after a short notice, and the third try ends the call politely.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core.calendar import as_local
from motcua.core.errors import DomainError, NotFound
from motcua.core.shortcuts import id_param
from motcua.core.transitions import StateMachine

from ..models import SwitchboardCall, SwitchboardState
from . import ports
from .speakable import day_text, spell, time_text

S = SwitchboardState
MAX_TRIES = 3
GATHER_TIMEOUT = 8  # seconds the provider waits for a key
PAGE = 8  # options read per page of a long list; key 9 reads the next page
LIST_LIMIT = 120  # options kept per list (fifteen pages: every office of a province)
DAY_LIMIT = 7

# Which input leads where. "caller" is the only role: the person on the line.
SWITCHBOARD = StateMachine(
    name="switchboard",
    transitions={
        S.MENU: {"book": S.OFFICE, "status": S.STATUS_CODE, "repeat": S.MENU, "operator": S.ENDED, "end": S.ENDED},
        S.OFFICE: {"choose": S.GROUP, "back": S.MENU, "end": S.ENDED},
        S.GROUP: {"choose": S.DAY, "back": S.OFFICE, "end": S.ENDED},
        S.DAY: {"choose": S.SLOT, "back": S.GROUP, "end": S.ENDED},
        S.SLOT: {"choose": S.CONFIRM, "back": S.DAY, "end": S.ENDED},
        S.CONFIRM: {"confirm": S.ENDED, "back": S.SLOT, "full": S.SLOT, "end": S.ENDED},
        S.STATUS_CODE: {"choose": S.STATUS_PHONE, "found": S.MENU, "back": S.MENU, "end": S.ENDED},
        S.STATUS_PHONE: {"found": S.MENU, "back": S.MENU, "end": S.ENDED},
    },
    roles={
        a: {"caller"}
        for a in ("book", "status", "repeat", "operator", "choose", "confirm", "full", "found", "back", "end")
    },
    labels={
        "book": gettext_lazy("Đặt lịch"),
        "status": gettext_lazy("Tra cứu hồ sơ"),
        "repeat": gettext_lazy("Nghe lại"),
        "operator": gettext_lazy("Gặp tổng đài viên"),
        "choose": gettext_lazy("Chọn"),
        "confirm": gettext_lazy("Xác nhận"),
        "full": gettext_lazy("Hết chỗ"),
        "found": gettext_lazy("Đã đọc kết quả"),
        "back": gettext_lazy("Quay lại"),
        "end": gettext_lazy("Kết thúc"),
    },
    noun="cuộc gọi",
)


SAY_MAX = 160  # characters of display text per audio file (numbers in words make it longer)


def _pieces(text: str) -> list[str]:
    """A long sentence (a procedure's full name) cut at word boundaries into parts short enough
    for one audio file each; they are played one after the other."""
    words, pieces, current = text.split(), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > SAY_MAX:
            pieces.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    if current:
        pieces.append(current)
    return pieces


@dataclass
class Answer:
    actions: list[dict] = field(default_factory=list)
    hangup: bool = False

    def say(self, *texts: str) -> Answer:
        for text in texts:
            for piece in _pieces(text):
                self.actions.append({"play": ports.speech_url(piece), "text": piece})
        return self

    def gather(self, max_digits: int, *, finish_on_key: str = "") -> Answer:
        spec = {"max_digits": max_digits, "timeout": GATHER_TIMEOUT}
        if finish_on_key:
            spec["finish_on_key"] = finish_on_key
        self.actions.append({"gather": spec})
        return self

    def as_dict(self, call: SwitchboardCall) -> dict:
        return {"call_id": call.call_id, "state": call.state, "actions": self.actions, "hangup": self.hangup}


def _move(call: SwitchboardCall, action: str) -> None:
    target = SWITCHBOARD.target(call.state, action)
    if target is None:  # a bug in this module, not something a caller can cause
        raise RuntimeError(f"switchboard: {action} not allowed from {call.state}")
    if target != call.state:
        call.tries = 0
    call.state = target


def _page(call: SwitchboardCall) -> tuple[list[dict], bool]:
    """The options read now and whether the list has pages: up to nine options are read at once,
    a longer list eight at a time with key 9 for the next page (after the last, the first again)."""
    options = call.choices.get("options", [])
    if len(options) <= PAGE + 1:
        return options, False
    first = call.choices.get("page", 0) * PAGE
    return options[first : first + PAGE], True


def _numbered(options: list[dict]) -> list[str]:
    return [_("Bấm %(key)d: %(label)s.") % {"key": i, "label": o["label"]} for i, o in enumerate(options, 1)]


def _menu_prompt(answer: Answer) -> Answer:
    return answer.say(
        _("Bấm 1 để đặt lịch hẹn làm thủ tục hành chính. Bấm 2 để nghe tình trạng hồ sơ."),
        _("Bấm 9 để nghe lại. Bấm 0 để gặp tổng đài viên."),
    ).gather(1)


def _list_prompt(answer: Answer, intro: str, call: SwitchboardCall) -> Answer:
    shown, paged = _page(call)
    answer.say(intro, *_numbered(shown))
    if paged:
        answer.say(_("Bấm 9 để nghe các lựa chọn khác."))
    return answer.gather(1)


def prompt(call: SwitchboardCall, answer: Answer | None = None) -> Answer:
    """The current step's question, read from what the call already holds."""
    answer = answer or Answer()
    c = call.choices
    if call.state == S.MENU:
        return _menu_prompt(answer)
    if call.state == S.OFFICE:
        return _list_prompt(answer, _("Mời chọn nơi làm thủ tục."), call)
    if call.state == S.GROUP:
        return _list_prompt(answer, _("Mời chọn loại thủ tục."), call)
    if call.state == S.DAY:
        return _list_prompt(answer, _("Mời chọn ngày hẹn."), call)
    if call.state == S.SLOT:
        return _list_prompt(answer, _("Mời chọn giờ hẹn, %(day)s.") % {"day": c["day_label"]}, call)
    if call.state == S.CONFIRM:
        return answer.say(
            _("Ông/bà đặt lịch %(group)s tại %(office)s, lúc %(time)s, %(day)s.")
            % {"group": c["group_label"], "office": c["office_label"], "time": c["slot_label"], "day": c["day_label"]},
            _("Bấm 1 để xác nhận. Bấm 2 để chọn giờ khác."),
        ).gather(1)
    if call.state == S.STATUS_CODE:
        return answer.say(
            _("Mời nhập mã hồ sơ: 6 số ngày và 4 số thứ tự ở cuối mã in trên giấy tiếp nhận, rồi bấm phím thăng."),
        ).gather(12, finish_on_key="#")
    if call.state == S.STATUS_PHONE:
        return answer.say(_("Mời nhập 4 số cuối của số điện thoại đã đăng ký trong hồ sơ.")).gather(4)
    return answer


def _goodbye(call: SwitchboardCall, answer: Answer, now: datetime.datetime) -> Answer:
    _move(call, "end")
    call.ended_at = now
    answer.say(_("Cảm ơn ông/bà đã gọi tổng đài dịch vụ công. Xin chào và hẹn gặp lại."))
    answer.hangup = True
    return answer


def _retry(call: SwitchboardCall, notice: str, now: datetime.datetime) -> Answer:
    call.tries += 1
    answer = Answer()
    if call.tries >= MAX_TRIES:
        answer.say(_("Xin lỗi, ông/bà đã nhập chưa đúng %(n)d lần.") % {"n": MAX_TRIES})
        return _goodbye(call, answer, now)
    return prompt(call, answer.say(notice))


def _invalid(call: SwitchboardCall, now: datetime.datetime) -> Answer:
    return _retry(call, _("Lựa chọn không hợp lệ."), now)


def _pick(call: SwitchboardCall, digits: str) -> dict | None:
    shown, _paged = _page(call)
    number = id_param(digits)
    return shown[number - 1] if number is not None and 1 <= number <= len(shown) else None


def _next_page(call: SwitchboardCall, digits: str) -> Answer | None:
    """Key 9 on a paged list: the next page (an answer), else None."""
    if digits != "9" or not _page(call)[1]:
        return None
    pages = -(-len(call.choices["options"]) // PAGE)
    call.choices["page"] = (call.choices.get("page", 0) + 1) % pages
    return prompt(call)


# --- entering each step: fetch and number its options ---------------------------------------------


def _enter_offices(call: SwitchboardCall, answer: Answer, now) -> Answer:
    options = [{"key": o.key, "label": o.label} for o in ports.offices()[:LIST_LIMIT]]
    if not options:
        _move(call, "back")
        answer.say(_("Hiện chưa có nơi nào nhận đặt lịch qua tổng đài."))
        return prompt(call, answer)
    call.choices = {"options": options, "page": 0}
    return prompt(call, answer)


def _enter_groups(call: SwitchboardCall, answer: Answer, now) -> Answer:
    options = [{"key": o.key, "label": o.label} for o in ports.groups(call.choices["office"])[:LIST_LIMIT]]
    call.choices.update(options=options, page=0)
    if not options:
        _move(call, "back")
        answer.say(_("Nơi này chưa nhận đặt lịch loại thủ tục nào."))
        return _enter_offices(call, answer, now)
    return prompt(call, answer)


def _enter_days(call: SwitchboardCall, answer: Answer, now) -> Answer:
    found = ports.days(call.choices["group"], limit=DAY_LIMIT)
    call.choices.update(options=[{"key": d.isoformat(), "label": day_text(d)} for d in found], page=0)
    if not found:
        _move(call, "back")
        answer.say(_("Loại thủ tục này đã hết chỗ trong những ngày tới. Mời chọn loại khác."))
        return _enter_groups(call, answer, now)
    return prompt(call, answer)


def _enter_slots(call: SwitchboardCall, answer: Answer, now) -> Answer:
    day = datetime.date.fromisoformat(call.choices["day"])
    found = ports.slots(call.choices["group"], day, limit=LIST_LIMIT)
    call.choices.update(options=[{"key": s.isoformat(), "label": time_text(s)} for s in found], page=0)
    if not found:
        _move(call, "back")
        answer.say(_("Ngày này đã hết chỗ. Mời chọn ngày khác."))
        return _enter_days(call, answer, now)
    return prompt(call, answer)


# --- the digits at each step -----------------------------------------------------------------------


def _on_menu(call, digits, now) -> Answer | None:
    if digits == "1":
        _move(call, "book")
        return _enter_offices(call, Answer(), now)
    if digits == "2":
        _move(call, "status")
        call.choices = {}
        return prompt(call)
    if digits == "9":
        _move(call, "repeat")
        return prompt(call)
    if digits == "0":
        _move(call, "operator")
        call.ended_at = now
        answer = Answer().say(_("Cuộc gọi đang được chuyển đến tổng đài viên, xin ông/bà vui lòng giữ máy."))
        answer.actions.append({"transfer": {"number": ports.hotline()}})
        return answer
    return None


def _on_office(call, digits, now) -> Answer | None:
    chosen = _pick(call, digits)
    if chosen is None:
        return _next_page(call, digits)
    _move(call, "choose")
    call.choices.update(office=chosen["key"], office_label=chosen["label"])
    return _enter_groups(call, Answer(), now)


def _on_group(call, digits, now) -> Answer | None:
    chosen = _pick(call, digits)
    if chosen is None:
        return _next_page(call, digits)
    _move(call, "choose")
    call.choices.update(group=chosen["key"], group_label=chosen["label"])
    return _enter_days(call, Answer(), now)


def _on_day(call, digits, now) -> Answer | None:
    chosen = _pick(call, digits)
    if chosen is None:
        return _next_page(call, digits)
    _move(call, "choose")
    call.choices.update(day=chosen["key"], day_label=chosen["label"])
    return _enter_slots(call, Answer(), now)


def _on_slot(call, digits, now) -> Answer | None:
    chosen = _pick(call, digits)
    if chosen is None:
        return _next_page(call, digits)
    _move(call, "choose")
    call.choices.update(slot=chosen["key"], slot_label=chosen["label"])
    return prompt(call)


def _on_confirm(call, digits, now) -> Answer | None:
    if digits == "2":
        _move(call, "back")
        return _enter_slots(call, Answer(), now)
    if digits != "1":
        return None
    c = call.choices
    try:
        code = ports.book(group_id=c["group"], start=datetime.datetime.fromisoformat(c["slot"]), caller=call.caller)
    except DomainError as refusal:
        _move(call, "full")
        answer = Answer().say(
            _("Rất tiếc, không đặt được lịch lúc %(time)s: %(reason)s")
            % {"time": c["slot_label"], "reason": refusal.message}
        )
        return _enter_slots(call, answer, now)
    _move(call, "confirm")
    call.booking_code = code
    call.ended_at = now
    c["booked"] = code
    answer = Answer().say(
        _("Đặt lịch thành công. Mã đặt lịch của ông/bà là %(code)s.") % {"code": code},
        _("Xin nhắc lại, mã đặt lịch là: %(spelled)s.") % {"spelled": spell(code)},
        _("Mã này đã được gửi bằng tin nhắn đến số điện thoại của ông/bà. Cảm ơn ông/bà đã gọi."),
    )
    answer.hangup = True
    return answer


def _read_status(call, digits_code: str, phone4: str | None, now) -> Answer:
    try:
        found = ports.dossiers_by_digits(digits_code, caller=call.caller, phone4=phone4)
    except NotFound:
        found = []
    except DomainError as refusal:  # too many wrong lookups from this number
        return _goodbye(call, Answer().say(refusal.message), now)
    _move(call, "found")
    answer = Answer()
    if not found:
        answer.say(_("Không tìm thấy hồ sơ với mã và số điện thoại đã nhập."))
    for dossier in found:
        answer.say(
            _("Hồ sơ %(procedure)s, tiếp nhận tại %(agency)s: %(status)s.")
            % {"procedure": dossier.procedure_name, "agency": dossier.receiving_agency, "status": dossier.status_label}
        )
        if dossier.expected_at:
            answer.say(_("Ngày hẹn trả kết quả: %(day)s.") % {"day": day_text(as_local(dossier.expected_at).date())})
    call.choices = {}
    return prompt(call, answer)


def _on_status_code(call, digits, now) -> Answer | None:
    if ports.code_suffix(digits) is None:
        return None
    if ports.caller_owns(digits, call.caller):
        return _read_status(call, digits, None, now)
    _move(call, "choose")
    call.choices = {"code": digits}
    return prompt(call)


def _on_status_phone(call, digits, now) -> Answer | None:
    if len(digits) != 4 or not digits.isdigit():
        return None
    return _read_status(call, call.choices.get("code", ""), digits, now)


HANDLERS = {
    S.MENU: _on_menu,
    S.OFFICE: _on_office,
    S.GROUP: _on_group,
    S.DAY: _on_day,
    S.SLOT: _on_slot,
    S.CONFIRM: _on_confirm,
    S.STATUS_CODE: _on_status_code,
    S.STATUS_PHONE: _on_status_phone,
}


def start(call: SwitchboardCall) -> Answer:
    call.state, call.choices, call.tries = S.MENU, {}, 0
    answer = Answer().say(_("Tổng đài dịch vụ công xin kính chào ông/bà."))
    return prompt(call, answer)


def step(call: SwitchboardCall, event: str, digits: str, now: datetime.datetime) -> Answer:
    """Apply one provider event to a live call (ENDED only for "hangup"); the caller saves the row."""
    if event == "hangup":
        call.state, call.ended_at = S.ENDED, call.ended_at or now
        return Answer(hangup=True)
    if event == "timeout":
        return _retry(call, _("Xin lỗi, tổng đài chưa nhận được lựa chọn của ông/bà."), now)
    answer = HANDLERS[call.state](call, digits.rstrip("#"), now)
    if answer is None:
        return _invalid(call, now)
    return answer
