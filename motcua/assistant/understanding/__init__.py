"""What a citizen's message is about: intent, the procedures it names, a dossier code, a follow-up topic.

`understand(message, context=None) -> Understanding` is the one entry point (see
docs/decisions/assistant-understanding.md). It reads the catalog through the catalog search
index, which each process keeps per catalog version, so a call does no database work beyond the
index's cheap freshness check.
"""

from .core import Understanding, understand

__all__ = ["Understanding", "understand"]
