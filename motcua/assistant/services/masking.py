"""Masking of what people type before it is stored: the channel's own reference is all we keep.

Phone numbers (10 digits, +84 or 84 prefix, spaces or dots between groups allowed) and personal ID
numbers (9 or 12 digits) become asterisks, whole: a partly masked phone still narrows a person down.
Dossier codes are kept (their digit groups are 6 and 4 long, and they are what the question is about).
"""

import re

_PHONE = re.compile(r"(?<![\d-])(?:\+?84|0)(?:[ .]?\d){9}(?![\d-])")
_PERSONAL_ID = re.compile(r"(?<![\d-])(?:\d{12}|\d{9})(?![\d-])")
_LAST4_ONLY = re.compile(r"^\s*\d{4}\s*$")
MASK = "***"


def mask_text(text: str) -> str:
    text = _PHONE.sub(MASK, text or "")
    return _PERSONAL_ID.sub(MASK, text)


def mask_reply_digits(text: str) -> str:
    """The answer to "the last four digits of your phone?" is phone digits too."""
    return _LAST4_ONLY.sub("****", text) if _LAST4_ONLY.match(text or "") else re.sub(r"\d{4}", "****", text)
