"""The in-site payment sandbox refuses an amount that is not a positive ASCII whole number (error 03),
never with an exception."""

from urllib.parse import parse_qsl

import pytest

from motcua.payments.channels.gateway.sandbox import CheckoutError, checkout_open
from motcua.payments.channels.gateway.vnpay import signed_query

SECRET = "sandbox-secret"


def _signed(amount: str) -> dict[str, str]:
    params = {"vnp_Amount": amount, "vnp_TxnRef": "T1", "vnp_ReturnUrl": "http://x/tro-ve/", "vnp_TmnCode": "M1"}
    return dict(parse_qsl(signed_query(params, SECRET), keep_blank_values=True))


def test_a_positive_amount_opens_the_checkout():
    assert checkout_open(_signed("1000000"), tmn_code="M1", secret=SECRET)["vnp_Amount"] == "1000000"


@pytest.mark.parametrize("amount", ["²", "٣", "0", "-100", "9" * 19, ""])
def test_other_amounts_are_error_03(amount):
    with pytest.raises(CheckoutError, match="mã lỗi 03"):
        checkout_open(_signed(amount), tmn_code="M1", secret=SECRET)
