"""Diacritics folding for Vietnamese search: "Đăng ký khai sinh" -> "dang ky khai sinh".

People type without accents on cheap phones; every searchable name keeps a folded copy.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ -> d too), collapse everything else to single spaces."""
    if not text:
        return ""
    lowered = text.lower().replace("đ", "d").replace("Đ", "d")
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", stripped).strip()


def fold_tokens(text: str) -> list[str]:
    return fold(text).split()


def strip_accents(text: str) -> str:
    """Remove diacritics but keep case and punctuation (for unaccented SMS and the like)."""
    replaced = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", replaced)
    return unicodedata.normalize("NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))
