"""`{{ event|fr_event_label }}`: a field report's event as people read it, never its action code.

The history speaks of what happened ("Cơ quan tiếp nhận"); actions without a phrase of their own
here read as the state machine's label for them (`handling.MACHINE.labels`), and an action no one
labelled as a generic phrase.
"""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..services.handling import MACHINE

register = template.Library()

_HISTORY = {
    "submit": gettext_lazy("Người dân gửi phản ánh"),
    "accept": gettext_lazy("Cơ quan tiếp nhận"),
    "refuse": gettext_lazy("Không tiếp nhận"),
    "transfer": gettext_lazy("Chuyển cơ quan khác"),
    "answer": gettext_lazy("Cơ quan trả lời"),
    "confirm": gettext_lazy("Hoàn thành"),
    "auto_close": gettext_lazy("Hoàn thành (hết thời gian chờ người dân xác nhận)"),
    "reopen": gettext_lazy("Người dân mở lại"),
    "merge": gettext_lazy("Gộp vào phản ánh khác"),
    "merged_in": gettext_lazy("Nhận phản ánh khác gộp vào"),
    "escalate": gettext_lazy("Báo cấp trên do quá hạn"),
    "flag": gettext_lazy("Hệ thống đánh dấu nội dung cần kiểm duyệt"),
}
# Older rows were written with past-tense action names.
_ALIASES = {
    "submitted": "submit",
    "accepted": "accept",
    "refused": "refuse",
    "transferred": "transfer",
    "answered": "answer",
    "closed": "confirm",
    "close": "confirm",
    "confirmed": "confirm",
    "reopened": "reopen",
    "merged": "merge",
    "escalated": "escalate",
}


def event_label(action: str) -> str:
    action = _ALIASES.get(action, action)
    if action in _HISTORY:
        return str(_HISTORY[action])
    if MACHINE.knows(action):
        return MACHINE.label(action)
    return _("Cập nhật phản ánh")


@register.filter
def fr_event_label(event) -> str:
    return event_label(getattr(event, "action", "") or "")
