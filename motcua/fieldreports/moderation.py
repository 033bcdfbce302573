"""Automatic pre-publication check: personal data and abusive words.

Flags only hold a report back for an officer's review; nothing is rejected, because a
citizen who writes their phone number in the text still has a real problem to report.
"""

from __future__ import annotations

import re
import unicodedata

from motcua.core.text import fold

# 12-digit personal ID (CCCD); 9-digit old IDs are too ambiguous with other numbers.
_PERSONAL_ID = re.compile(r"(?<!\d)\d{12}(?!\d)")
# Vietnamese mobile/landline numbers, with optional separators or +84.
_PHONE = re.compile(r"(?<![\d+])(?:\+?84|0)(?:[\s.\-]?\d){9,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Vehicle plates such as 69A-123.45, 69B1 234.56, 51F12345.
_PLATE = re.compile(r"(?<![\w])\d{2}[A-Z]{1,2}\d?[\s\-.]?\d{3}[.\s]?\d{2}(?![\w])")

# Folded forms (so "do ngu" typed without accents still matches), whole words or phrases only.
# Kept short and obvious on purpose; the officer reviewing the report makes the real judgement.
ABUSIVE_FOLDED = (
    "dit me",
    "du ma",
    "dm",
    "dmm",
    "vcl",
    "vkl",
    "clgt",
    "do ngu",
    "ngu nhu bo",
    "mat day",
    "khon nan",
    "cho chet",
    "thang cho",
    "con cho",
    "do cho",
    "suc vat",
    "oc cho",
    "do khon nan",
    "mat lon",
)
# Single syllables whose folded form is an ordinary word ("lớn", "các", "buổi", "cụt"): matched
# only as written, with their tones.
ABUSIVE_EXACT = ("lồn", "cặc", "buồi", "địt", "đụ", "cút")


def _word_pattern(words, *, letters: str) -> re.Pattern:
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![{letters}])(?:{alternatives})(?![{letters}])")


_ABUSIVE = _word_pattern(ABUSIVE_FOLDED, letters="a-z0-9")
_ABUSIVE_EXACT = _word_pattern(ABUSIVE_EXACT, letters=r"\w")

MASK = "***"


def personal_data_in(text: str) -> list[str]:
    """Kinds of personal data found in `text` ("personal_id", "phone", "email", "plate")."""
    found = []
    text = text or ""
    if _PERSONAL_ID.search(text):
        found.append("personal_id")
    if _PHONE.search(_PERSONAL_ID.sub(" ", text)):
        found.append("phone")
    if _EMAIL.search(text):
        found.append("email")
    if _PLATE.search(text.upper()):
        found.append("plate")
    return found


def abusive_words_in(text: str) -> list[str]:
    lowered = unicodedata.normalize("NFC", (text or "").lower())
    return sorted(set(_ABUSIVE.findall(fold(text or ""))) | set(_ABUSIVE_EXACT.findall(lowered)))


def moderation_flags(*texts: str) -> dict:
    """{"personal_data": [...], "abusive": [...]} with only the non-empty keys; {} when clean."""
    joined = "\n".join(t for t in texts if t)
    flags = {}
    personal = personal_data_in(joined)
    if personal:
        flags["personal_data"] = personal
    abusive = abusive_words_in(joined)
    if abusive:
        flags["abusive"] = abusive
    return flags


def mask_personal_data(text: str) -> str:
    """The text with personal IDs, phone numbers, e-mails and plates replaced by ***."""
    text = _EMAIL.sub(MASK, text or "")
    text = _PERSONAL_ID.sub(MASK, text)
    text = _PHONE.sub(MASK, text)
    return _PLATE.sub(lambda m: MASK, text)
