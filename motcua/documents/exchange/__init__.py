"""EDXML exchange with the national document axis. Stub owned by the edxml helper, who replaces it."""

from __future__ import annotations


def send(document, recipients) -> list[str]:
    """Send `document` to outside `recipients` (names); returns package ids. Stub: sends nothing."""
    return []
