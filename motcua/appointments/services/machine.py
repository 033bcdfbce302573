"""The booking's transition table (the one recipe of `motcua.core.transitions`).

Pseudo-roles: `owner` (the citizen, by account or by code + phone), `officer` (a covering officer
at the desk), `system` (the scheduled jobs, calendar changes).
"""

from django.utils.translation import gettext_lazy as _

from motcua.core.transitions import StateMachine

from ..models import BookingStatus

OWNER, OFFICER, SYSTEM = "owner", "officer", "system"

MACHINE = StateMachine(
    name="booking",
    transitions={
        BookingStatus.BOOKED: {
            "cancel": BookingStatus.CANCELLED,
            "move": BookingStatus.BOOKED,
            "check_in": BookingStatus.CHECKED_IN,
            "no_show": BookingStatus.NO_SHOW,
        },
    },
    roles={
        "cancel": {OWNER, OFFICER, SYSTEM},
        "move": {OWNER, OFFICER},
        "check_in": {OWNER, OFFICER},
        "no_show": {SYSTEM},
    },
    labels={
        "cancel": _("Hủy lịch hẹn"),
        "move": _("Đổi giờ hẹn"),
        "check_in": _("Xác nhận đến"),
        "no_show": _("Ghi vắng mặt"),
    },
    noun=_("lịch hẹn"),
)
