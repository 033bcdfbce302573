"""Numbers, days, times and codes as a Vietnamese caller hears them."""

import datetime

import pytest

from motcua.appointments.switchboard.speakable import day_text, speakable, spell, time_text


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (30, "ba mươi"),
        (100, "một trăm"),
        (105, "một trăm lẻ năm"),
        (110, "một trăm mười"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một ngàn"),
        (1005, "một ngàn không trăm lẻ năm"),
        (2026, "hai ngàn không trăm hai mươi sáu"),
    ],
)
def test_numbers_are_read_in_words(n, words):
    assert speakable(f"số {n}.") == f"số {words}."


def test_days_are_said_with_the_weekday_and_month_number():
    assert day_text(datetime.date(2026, 12, 14)) == "thứ Hai ngày 14 tháng 12"
    assert day_text(datetime.date(2026, 12, 19)) == "thứ Bảy ngày 19 tháng 12"
    assert day_text(datetime.date(2026, 12, 20)) == "Chủ nhật ngày 20 tháng 12"
    assert speakable(day_text(datetime.date(2026, 12, 14))) == "thứ Hai ngày mười bốn tháng mười hai"


def test_times_on_the_hour_and_with_minutes():
    assert time_text(datetime.time(8, 0)) == "8 giờ"
    assert time_text(datetime.time(8, 30)) == "8 giờ 30"
    assert time_text(datetime.time(13, 5)) == "13 giờ 05"
    assert speakable("8 giờ 30") == "tám giờ ba mươi"
    assert speakable("13 giờ 05") == "mười ba giờ năm"


def test_codes_and_phone_numbers_are_read_character_by_character():
    assert spell("K7M2") == "ca, bảy, em mờ, hai"
    assert speakable("Mã K7M2.") == "Mã ca, bảy, em mờ, hai."
    assert speakable("gọi 0912345678") == "gọi không chín một hai ba bốn năm sáu bảy tám"
    # up to six digits without a leading zero is a quantity; seven or more is read digit by digit
    assert speakable("260315") == "hai trăm sáu mươi ngàn ba trăm mười lăm"
    assert speakable("2603150") == "hai sáu không ba một năm không"


def test_text_without_numbers_is_unchanged():
    assert speakable("Bấm phím thăng.") == "Bấm phím thăng."


def test_the_form_of_address_is_said_as_two_words():
    assert speakable("Cảm ơn ông/bà đã gọi.") == "Cảm ơn ông bà đã gọi."


def test_an_ampersand_in_an_office_name_is_said_va():
    assert speakable("Sở GD&ĐT") == "Sở GD và ĐT"
