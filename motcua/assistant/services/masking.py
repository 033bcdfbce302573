"""Masking of what people type before it is stored: the channel's own reference is all we keep.

Phone numbers (10 digits, +84 or 84 prefix, spaces or dots between groups allowed) and personal ID
numbers (9 or 12 digits) become asterisks, whole: a partly masked phone still narrows a person down.
Dossier codes are kept (their digit groups are 6 and 4 long, and they are what the question is about).
"""

import re

_PHONE = re.compile(r"(?<![\d-])(?:\+?84|0)(?:[ .]?\d){9}(?![\d-])")
_PERSONAL_ID = re.compile(r"(?<![\d-])(?:\d{12}|\d{9})(?![\d-])")
MASK = "***"


def mask_text(text: str) -> str:
    text = _PHONE.sub(MASK, text or "")
    return _PERSONAL_ID.sub(MASK, text)


def mask_digits(text: str, digits: str | None) -> str:
    """The phone digits a citizen gave for a status question, masked wherever they stand alone (a
    dossier code's own digit groups, which follow a dash, are kept)."""
    if not digits:
        return text
    return re.sub(rf"(?<![\d-]){re.escape(digits)}(?!\d)", "****", text)
