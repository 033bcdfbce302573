"""SMS parts: counted as they are split, at and around the 160/153 and 70/67 limits; an escape pair
or a surrogate pair is never split across parts."""

import pytest

from motcua.notifications import sms

EURO = "€"  # GSM-7 extension table: escape + code, 2 septets
SMILE = "😀"  # outside the BMP: a UTF-16 surrogate pair, 2 units


@pytest.mark.parametrize(
    ("text", "segments", "length"),
    [
        ("", 0, 0),
        ("a" * 159, 1, 159),
        ("a" * 160, 1, 160),  # the single-part limit
        ("a" * 161, 2, 161),
        ("a" * 306, 2, 306),  # 2 × 153
        ("a" * 307, 3, 307),
        ("a" * 158 + EURO, 1, 160),  # 160 septets with the escape pair: still one part
        ("a" * 159 + EURO, 2, 161),
        ("a" * 152 + EURO + "a" * 152, 3, 306),  # 306 septets, but the € cannot straddle parts 1 and 2
        ("a" * 151 + EURO + "a" * 153, 2, 306),  # the € ends part 1 exactly at 153
    ],
)
def test_gsm7_parts(text, segments, length):
    info = sms.segments(text)
    assert (info.encoding, info.segments, info.length) == ("GSM-7", segments, length)
    parts = sms.split(text)
    assert len(parts) == segments
    assert "".join(parts) == text


@pytest.mark.parametrize(
    ("text", "segments", "length"),
    [
        ("ư" * 69, 1, 69),
        ("ư" * 70, 1, 70),  # the single-part limit
        ("ư" * 71, 2, 71),
        ("ư" * 134, 2, 134),  # 2 × 67
        ("ư" * 135, 3, 135),
        ("ư" * 68 + SMILE, 1, 70),
        ("ư" * 69 + SMILE, 2, 71),
        ("ư" * 66 + SMILE + "ư" * 66, 3, 134),  # the pair cannot straddle parts 1 and 2
        ("ư" * 65 + SMILE + "ư" * 67, 2, 134),
    ],
)
def test_ucs2_parts(text, segments, length):
    info = sms.segments(text)
    assert (info.encoding, info.segments, info.length) == ("UCS-2", segments, length)
    parts = sms.split(text)
    assert len(parts) == segments
    assert "".join(parts) == text


def test_every_part_fits_and_ends_on_a_whole_character():
    text = ("a" * 152 + EURO) * 3
    parts = sms.split(text)
    assert [sms.segments(p).length for p in parts] == [152, 153, 153, 4]
    assert all(sms.segments(p).length <= 153 for p in parts)
    assert parts[1].startswith(EURO) and parts[0] == "a" * 152


def test_a_surrogate_pair_is_never_cut():
    text = "ư" * 66 + SMILE + "ư" * 66
    first, second, third = sms.split(text)
    assert first == "ư" * 66 and second.startswith(SMILE)
    for part in (first, second, third):
        part.encode("utf-16-le")  # a lone surrogate would not round-trip
        assert sms.segments(part).length <= 67


def test_remaining_is_measured_in_the_last_part():
    assert sms.segments("a" * 160).remaining == 0
    assert sms.segments("a" * 161).remaining == 153 - 8
    assert sms.segments("a" * 152 + EURO + "a" * 152).remaining == 153 - 1
