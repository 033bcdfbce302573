"""Writes for notifications, one module per responsibility.

- `notify`: the inbox message and the first channel's outbox row, in the caller's transaction;
- `outbox`: building outbox rows (rendered, checked) and the fallback to the next channel;
- `params`: the values a template may use, quiet hours;
- `templates`: versioned message templates;
- `preferences`: a person's channel order and broadcast opt-out.

The names other apps call are re-exported here (`from motcua.notifications.services import notify`).
"""

from .notify import message_send_direct, notify
from .outbox import (
    message_build,
    message_fallback_create,
    message_reply_enqueue,
    messages_enqueue_bulk,
    template_active,
)
from .params import quiet_hours_release
from .preferences import broadcast_opt_out_set, contact_preference_set, event_is_legally_required
from .templates import template_save

__all__ = [
    "broadcast_opt_out_set",
    "contact_preference_set",
    "event_is_legally_required",
    "message_build",
    "message_fallback_create",
    "message_reply_enqueue",
    "message_send_direct",
    "messages_enqueue_bulk",
    "notify",
    "quiet_hours_release",
    "template_active",
    "template_save",
]
