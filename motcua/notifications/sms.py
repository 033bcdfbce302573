"""SMS text facts: unaccented form, encoding, segments and cost.

GSM 03.38 7-bit messages carry 160 characters (153 per part when split); characters of the
extension table (^ { } \\ [ ] ~ | €) take two. Anything outside GSM-7, such as Vietnamese
letters with diacritics, forces UCS-2: 70 characters (67 per part). Many brandname routes only
accept the unaccented form, so broadcasts default to it.
"""

from dataclasses import dataclass

from django.conf import settings

from motcua.core.text import strip_accents

_GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = set("^{}\\[]~|€\f")


@dataclass(frozen=True)
class SegmentInfo:
    encoding: str  # "GSM-7" or "UCS-2"
    length: int  # in encoding units (septets for GSM-7, UTF-16 code units for UCS-2)
    segments: int
    per_segment: int  # capacity of one part at this length (160/153 or 70/67)

    @property
    def remaining(self) -> int:
        """Characters left before the next segment starts."""
        return self.segments * self.per_segment - self.length if self.segments else self.per_segment


def unaccented(text: str) -> str:
    """The unaccented form many brandname routes require: 'Thông báo' -> 'Thong bao'."""
    return strip_accents(text)


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7_BASIC or ch in _GSM7_EXTENSION for ch in text)


def segments(text: str) -> SegmentInfo:
    if is_gsm7(text):
        length = sum(2 if ch in _GSM7_EXTENSION else 1 for ch in text)
        single, multi, encoding = 160, 153, "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "UCS-2"
    if length == 0:
        return SegmentInfo(encoding, 0, 0, single)
    if length <= single:
        return SegmentInfo(encoding, length, 1, single)
    return SegmentInfo(encoding, length, -(-length // multi), multi)


def cost(segment_count: int, recipients: int = 1) -> int:
    """Estimated cost in đồng at the configured price per segment."""
    return segment_count * recipients * settings.SMS_SEGMENT_PRICE
