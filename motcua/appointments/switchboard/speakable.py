"""Vietnamese text a caller hears: numbers, days, times and codes written the way they are said.

Each prompt has two forms. The *display* text keeps digits ("thứ Hai ngày 14 tháng 12, 8 giờ 30")
and goes into the answer's `text`; `speakable()` turns it into words ("thứ hai ngày mười bốn tháng
mười hai, tám giờ ba mươi") before it reaches the speech synthesiser, because espeak-ng reads digit
runs and letter-digit codes unevenly. Words follow the South, as the board's call-outs do
(`motcua.core.voice`): "lẻ" for a zero tens, "ngàn" for thousands; "mốt", "tư", "lăm" after a tens word.
"""

from __future__ import annotations

import datetime
import re

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Letters as Vietnamese callers spell them (codes like booking codes or "A015").
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "gờ", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê",
    "Q": "quy", "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép", "X": "ích",
    "Y": "i dài", "Z": "dét",
}  # fmt: skip
_GROUPS = ("", "ngàn", "triệu", "tỷ")
_TOKEN = re.compile(r"[0-9A-Za-zĐđ]*\d[0-9A-Za-zĐđ]*")


def _below_thousand(n: int, *, full: bool) -> list[str]:
    """Words for 0 < n < 1000; `full` says hundreds must be said even when zero (inside a bigger number)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("lẻ")
            words.append(DIGITS[units])
        return words
    if tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt" if tens > 1 else "một")
    elif units == 4:
        words.append("tư" if tens > 1 else "bốn")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def number_words(n: int) -> str:
    """12 -> "mười hai", 21 -> "hai mươi mốt", 105 -> "một trăm lẻ năm", 2026 -> "hai ngàn không trăm hai mươi sáu"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return DIGITS[0]
    groups: list[int] = []
    while n:
        n, part = divmod(n, 1000)
        groups.append(part)
    if len(groups) > len(_GROUPS):
        return digits_words(str(sum(g * 1000**i for i, g in enumerate(groups))))
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        part = groups[index]
        if part == 0:
            continue
        words += _below_thousand(part, full=bool(words))
        if _GROUPS[index]:
            words.append(_GROUPS[index])
    return " ".join(words)


def digits_words(text: str) -> str:
    """Each digit on its own: "0915" -> "không chín một năm" (codes, phone numbers)."""
    return " ".join(DIGITS[int(ch)] for ch in text if ch.isdigit())


def spell(code: str) -> str:
    """A code character by character: "A015" -> "a, không, một, năm"; separators become pauses."""
    parts = []
    for ch in code.upper():
        if ch.isdigit():
            parts.append(DIGITS[int(ch)])
        elif ch in LETTERS:
            parts.append(LETTERS[ch])
    return ", ".join(parts)


def day_text(day: datetime.date) -> str:
    """The way a day is said on the phone: "thứ Hai ngày 14 tháng 12"."""
    return f"{WEEKDAYS[day.weekday()]} ngày {day.day} tháng {day.month}"


def time_text(moment: datetime.time | datetime.datetime) -> str:
    """ "8 giờ" on the hour, "8 giờ 30", "13 giờ 05" (24-hour clock, as offices post their hours)."""
    if moment.minute == 0:
        return f"{moment.hour} giờ"
    return f"{moment.hour} giờ {moment.minute:02d}"


def _token_words(token: str) -> str:
    if not token.isdigit():
        return spell(token)  # letters mixed with digits: a code
    if len(token) > 1 and token[0] == "0" and len(token) != 2:
        return digits_words(token)  # "0915...", "015": read digit by digit
    if len(token) > 6:
        return digits_words(token)
    return number_words(int(token))


def speakable(text: str) -> str:
    """The display text with every number and code in words, ready for the synthesiser.

    A two-digit minute written "05" is read "năm" (as in "8 giờ 05"); longer runs starting with 0
    and runs over six digits are read digit by digit (phone numbers, codes); a token mixing letters
    and digits is spelled.
    """
    return _TOKEN.sub(lambda m: _token_words(m.group(0)), text)
