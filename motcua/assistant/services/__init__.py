"""Writes of the assistant: `ask` (conversations and exchanges), FAQ entries, review actions."""

from .asking import MAX_MESSAGE_CHARS, Reply, ask
from .review import exchange_mark_reviewed, faq_entry_save, procedure_keywords_add

__all__ = ["MAX_MESSAGE_CHARS", "Reply", "ask", "exchange_mark_reviewed", "faq_entry_save", "procedure_keywords_add"]
