"""How a receipt writes money and names: the amount in Vietnamese words, the money format, and the
masked payer name the public check shows."""

from __future__ import annotations

from motcua.core.text import format_vnd

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group_words(number: int, *, full: bool) -> list[str]:
    """Words for 0 < number < 1000. `full`: a group after a higher one reads its hundreds and "linh"
    even when zero ("một nghìn không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion(number: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    for scale, unit in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        group = number // scale % 1000
        if not group:
            continue
        words += _group_words(group, full=bool(words) or not leading)
        if unit:
            words.append(unit)
    return words


def _number_words(number: int, *, leading: bool = True) -> list[str]:
    if number >= 1_000_000_000:
        billions, rest = divmod(number, 1_000_000_000)
        words = [*_number_words(billions, leading=leading), "tỷ"]
        if rest:
            words += _below_billion(rest, leading=False)
        return words
    return _below_billion(number, leading=leading)


def amount_in_words(amount: int) -> str:
    """150000 -> "Một trăm năm mươi nghìn đồng" (the wording on Vietnamese receipts and invoices)."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount must be a non-negative integer of đồng")
    words = _number_words(amount) if amount else ["không"]
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]


def format_amount(amount: int) -> str:
    """150000 -> "150.000 đ": the one money format (`core.text.format_vnd`)."""
    return format_vnd(amount)


def mask_name(name: str) -> str:
    """ "Trần Thị Mai" -> "T*** T** M**": enough to recognise one's own receipt, not to identify a stranger."""
    return " ".join(word[0] + "*" * max(len(word) - 1, 2) for word in (name or "").split())
