"""Vietnamese text a caller hears: numbers, days, times and codes written the way they are said.

Each prompt has two forms. The *display* text keeps digits ("thứ Hai ngày 14 tháng 12, 8 giờ 30")
and goes into the answer's `text`; `speakable()` turns it into words ("thứ hai ngày mười bốn tháng
mười hai, tám giờ ba mươi") before it reaches the speech synthesiser, because espeak-ng reads digit
runs and letter-digit codes unevenly. Numbers are read by the board's `motcua.core.voice.number_words`
(Southern words: "lẻ" for a zero tens, "ngàn" for thousands), so the hall and the phone agree.
"""

from __future__ import annotations

import datetime
import re

from motcua.core.voice import number_words

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
# Letters as Vietnamese callers spell them (codes like booking codes or "A015").
LETTERS = {
    "A": "a", "B": "bê", "C": "xê", "D": "dê", "Đ": "đê", "E": "e", "F": "ép", "G": "gờ", "H": "hát",
    "I": "i", "J": "gi", "K": "ca", "L": "e lờ", "M": "em mờ", "N": "en nờ", "O": "o", "P": "pê",
    "Q": "quy", "R": "e rờ", "S": "ét", "T": "tê", "U": "u", "V": "vê", "W": "vê kép", "X": "ích",
    "Y": "i dài", "Z": "dét",
}  # fmt: skip
_SLASH = re.compile(r"(?<=\w)/(?=\w)")
_TOKEN = re.compile(r"[0-9A-Za-zĐđ]*\d[0-9A-Za-zĐđ]*")


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
    text = _SLASH.sub(" ", text)  # "ông/bà" is said "ông bà", not "ông gạch chéo bà"
    text = text.replace("&", " và ")  # "Sở GD&ĐT"
    return _TOKEN.sub(lambda m: _token_words(m.group(0)), text)
