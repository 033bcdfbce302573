from .queue import (
    PriorityGroup,
    QueueSettings,
    ServiceGroup,
    Ticket,
    TicketCall,
    TicketCallKind,
    TicketChannel,
    TicketSequence,
    TicketStatus,
)

__all__ = [
    "PriorityGroup",
    "QueueSettings",
    "ServiceGroup",
    "Ticket",
    "TicketCall",
    "TicketCallKind",
    "TicketChannel",
    "TicketSequence",
    "TicketStatus",
]
