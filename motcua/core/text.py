"""Diacritics folding for Vietnamese search: "Đăng ký khai sinh" -> "dang ky khai sinh".

People type without accents on cheap phones; every searchable name keeps a folded copy.
"""

import re
import unicodedata
from decimal import Decimal

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


def format_vnd(amount: int) -> str:
    """1800000 -> "1.800.000 đ": the one way money is written, on pages, PDFs, messages and exports.

    Dots group thousands whatever the active locale (Vietnamese usage; Django's number formatting
    would follow the locale and give "1,800,000" in English pages). A negative amount is refused:
    no amount owed, paid or refunded here is negative, so one means a bug upstream, and printing it
    on a receipt or a payment notice would hide that bug.
    """
    if isinstance(amount, bool) or not isinstance(amount, int):
        if isinstance(amount, Decimal) and amount == amount.to_integral_value():
            amount = int(amount)
        else:
            raise ValueError("amount must be a whole number of đồng")
    if amount < 0:
        raise ValueError("amount must not be negative")
    return f"{amount:,}".replace(",", ".") + " đ"


def display_name(user) -> str:
    """The one way a person's account is named on pages, PDFs and exports: "Nguyễn Hoàng Hải".

    Family and middle names first, given name last (`User.get_full_name`), else the username; empty
    for no user. Use `{{ user|display_name }}` (`{% load records %}`) in templates.
    """
    if user is None:
        return ""
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full or getattr(user, "username", "") or ""


def format_coordinates(lat, lon, *, places: int = 5) -> str:
    """A point as "9.17690, 105.15240": decimal point, comma and space between latitude and longitude.

    The Vietnamese decimal comma would print "9,17690, 105,15240", which reads as four numbers; a
    decimal point is what map apps and GPS units show and accept when the text is copied. Empty when
    either value is missing or not a number.
    """
    try:
        return f"{float(lat):.{places}f}, {float(lon):.{places}f}"
    except (TypeError, ValueError):
        return ""
