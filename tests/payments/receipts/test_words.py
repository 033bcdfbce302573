"""Amounts in Vietnamese words, as printed on receipts."""

import pytest

from motcua.payments.receipts.words import amount_in_words, format_amount, mask_name


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (25, "Hai mươi lăm đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (8_000, "Tám nghìn đồng"),
        (150_000, "Một trăm năm mươi nghìn đồng"),
        (1_005, "Một nghìn không trăm linh năm đồng"),
        (2_021, "Hai nghìn không trăm hai mươi mốt đồng"),
        (1_050_000, "Một triệu không trăm năm mươi nghìn đồng"),
        (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
        (1_000_000_005, "Một tỷ không trăm linh năm đồng"),
        (2_500_000_000, "Hai tỷ năm trăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amount_in_words(amount, words):
    assert amount_in_words(amount) == words


@pytest.mark.parametrize("bad", [-1, 1.5, "100", True])
def test_amount_in_words_refuses_non_amounts(bad):
    with pytest.raises(ValueError):
        amount_in_words(bad)


def test_format_and_mask():
    assert format_amount(1_234_567) == "1.234.567 đ"
    assert mask_name("Trần Thị Mai") == "T*** T** M**"
    assert mask_name("") == ""
