"""Writes of the queue: issuing numbers, counter desk actions, the near-turn SMS."""

from .desk import (
    MACHINE,
    call_next,
    desk_issue,
    finish_serving,
    mark_absent,
    recall,
    set_priority,
    start_serving,
    transfer,
)
from .issuing import issue_ticket, ticket_code
from .kiosk import kiosk_issue
from .notices import near_turn_notify

__all__ = [
    "MACHINE",
    "call_next",
    "desk_issue",
    "finish_serving",
    "issue_ticket",
    "kiosk_issue",
    "mark_absent",
    "near_turn_notify",
    "recall",
    "set_priority",
    "start_serving",
    "ticket_code",
    "transfer",
]
