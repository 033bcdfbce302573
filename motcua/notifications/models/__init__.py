from .inbox import InboxMessage

__all__ = ["InboxMessage"]
