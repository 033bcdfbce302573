"""The broadcast state machine: which action leads where, and who may take it.

Who may act depends on the person's tie to the broadcast, not on a role name alone: its AUTHOR
edits, submits and may cancel it; an APPROVER (a leader whose scope covers the owning unit, never
the author: two people, always) approves, rejects or cancels; the SYSTEM starts and finishes it.
`held_ties` gives the ties one user has to one broadcast.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.core.transitions import StateMachine

from ..models import BroadcastStatus, MessageStatus

AUTHOR, APPROVER, SYSTEM = "author", "approver", "system"

# Messages still on their way from our side: the broadcast is not finished while any remain.
PENDING_STATUSES = (MessageStatus.CREATED, MessageStatus.SENDING, MessageStatus.TEMPORARY_FAILURE)
CANCELLABLE_MESSAGE_STATUSES = (MessageStatus.CREATED, MessageStatus.TEMPORARY_FAILURE)

BROADCAST_MACHINE = StateMachine(
    name="broadcast",
    noun=_("thông báo"),
    transitions={
        BroadcastStatus.DRAFT: {
            "edit": BroadcastStatus.DRAFT,
            "submit": BroadcastStatus.SUBMITTED,
            "cancel": BroadcastStatus.CANCELLED,
        },
        BroadcastStatus.SUBMITTED: {
            "approve": BroadcastStatus.APPROVED,
            "reject": BroadcastStatus.REJECTED,
            "cancel": BroadcastStatus.CANCELLED,
        },
        BroadcastStatus.REJECTED: {"edit": BroadcastStatus.DRAFT, "cancel": BroadcastStatus.CANCELLED},
        BroadcastStatus.APPROVED: {"start": BroadcastStatus.SENDING, "cancel": BroadcastStatus.CANCELLED},
        BroadcastStatus.SENDING: {"finish": BroadcastStatus.DONE, "cancel": BroadcastStatus.CANCELLED},
        BroadcastStatus.DONE: {},
        BroadcastStatus.CANCELLED: {},
    },
    roles={
        "edit": frozenset({AUTHOR}),
        "submit": frozenset({AUTHOR}),
        "approve": frozenset({APPROVER}),
        "reject": frozenset({APPROVER}),
        "cancel": frozenset({AUTHOR, APPROVER}),
        "start": frozenset({SYSTEM}),
        "finish": frozenset({SYSTEM}),
    },
    labels={
        "edit": _("Sửa"),
        "submit": _("Trình duyệt"),
        "approve": _("Duyệt"),
        "reject": _("Không duyệt"),
        "cancel": _("Hủy"),
        "start": _("Bắt đầu gửi"),
        "finish": _("Kết thúc"),
    },
)
