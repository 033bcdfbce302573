"""SMS text facts: unaccented form, encoding, segments and cost.

GSM 03.38 7-bit messages carry 160 characters (153 per part when split); characters of the
extension table (^ { } \\ [ ] ~ | €) take two. Anything outside GSM-7, such as Vietnamese
letters with diacritics, forces UCS-2: 70 characters (67 per part). Many brandname routes only
accept the unaccented form, so broadcasts default to it.

A long message is sent as parts joined by the phone (concatenated SMS, 6-byte header). A part never
ends in the middle of a character: an extension character's escape pair (2 septets) and a UTF-16
surrogate pair (an emoji, 2 units) stay whole, so a part may carry less than 153/67 and the count
can exceed ceil(length / 153). `split` makes the parts and `segments` counts exactly those parts.
"""

from dataclasses import dataclass

from django.conf import settings

from motcua.core.text import strip_accents

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = set("^{}\\[]~|€\f")


GSM7_SINGLE, GSM7_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # in encoding units (septets for GSM-7, UTF-16 code units for UCS-2)
    segments: int
    per_segment: int  # capacity of one part at this length (160/153 or 70/67)
    last_length: int = 0  # units used in the last part

    @property
    def remaining(self) -> int:
        """Units left in the last part before another part starts."""
        return self.per_segment - self.last_length if self.segments else self.per_segment


def unaccented(text: str) -> str:
    """The unaccented form many brandname routes require: 'Thông báo' -> 'Thong bao'."""
    return strip_accents(text)


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text)


def _units(ch: str, gsm: bool) -> int:
    if gsm:
        return 2 if ch in _GSM7_EXTENSION else 1
    return 2 if ord(ch) > 0xFFFF else 1  # a surrogate pair in UTF-16


def _pack(text: str) -> tuple[str, int, int, list[tuple[str, int]]]:
    """(encoding, single-part capacity, multi-part capacity, parts as (text, units))."""
    gsm = is_gsm7(text)
    single, multi, encoding = (GSM7_SINGLE, GSM7_MULTI, "GSM-7") if gsm else (UCS2_SINGLE, UCS2_MULTI, "UCS-2")
    units = [_units(ch, gsm) for ch in text]
    total = sum(units)
    if total <= single:
        return encoding, single, multi, ([(text, total)] if text else [])
    parts: list[tuple[str, int]] = []
    start, used = 0, 0
    for index, size in enumerate(units):
        if used + size > multi:  # the whole character moves to the next part
            parts.append((text[start:index], used))
            start, used = index, 0
        used += size
    parts.append((text[start:], used))
    return encoding, single, multi, parts


def split(text: str) -> list[str]:
    """The parts `text` is sent as: one part up to 160 septets / 70 units, else parts of at most
    153 / 67, never splitting an escape pair or a surrogate pair."""
    return [part for part, _ in _pack(text)[3]]


def segments(text: str) -> SegmentInfo:
    encoding, single, multi, parts = _pack(text)
    length = sum(units for _, units in parts)
    if not parts:
        return SegmentInfo(encoding, 0, 0, single)
    per_segment = single if len(parts) == 1 else multi
    return SegmentInfo(encoding, length, len(parts), per_segment, parts[-1][1])


def cost(segment_count: int, recipients: int = 1) -> int:
    """Estimated cost in đồng at the configured price per segment."""
    return segment_count * recipients * settings.SMS_SEGMENT_PRICE
