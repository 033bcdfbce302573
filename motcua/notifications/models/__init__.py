from .broadcasts import Audience, Broadcast, BroadcastRecipient, BroadcastStatus
from .delivery import (
    SECRET_MASK,
    ChannelKind,
    ContactPreference,
    DeliveryAttempt,
    Message,
    MessageStatus,
    MessageTemplate,
    ProviderCallback,
)
from .inbox import InboxMessage

__all__ = [
    "Audience", "Broadcast", "BroadcastRecipient", "BroadcastStatus", "ChannelKind", "ContactPreference",
    "DeliveryAttempt", "InboxMessage", "Message", "MessageStatus", "MessageTemplate", "ProviderCallback",
    "SECRET_MASK",
]
