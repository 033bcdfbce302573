"""The citizen's payment page in Chromium on a 360x740 phone: the VietQR code on screen decodes
(zxing-cpp, from a screenshot) to the agency's account, the amount and the reference."""

import io

import pytest
import zxingcpp
from PIL import Image

from motcua.payments.services.vietqr import decode
from tests.browser.conftest import browser, context_overrides, page, sign_in  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_page_shows_a_decodable_vietqr(page, live_server, waiting, pay_request, citizen):  # noqa: F811
    sign_in(page, live_server, citizen)
    page.goto(f"{live_server.url}/thanh-toan/ho-so/{waiting.code}/")
    qr = page.locator("#vietqr svg")
    qr.wait_for()
    box = qr.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # fits the phone without scrolling sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot = Image.open(io.BytesIO(page.screenshot(full_page=True)))
    found = [b.text for b in zxingcpp.read_barcodes(shot)]
    assert len(found) == 1
    data = decode(found[0])
    assert (data.bank_bin, data.account_number, data.amount, data.purpose) == (
        "970405", "7900123456789", 8000, pay_request.reference
    )
    assert pay_request.reference in page.locator("#pay-reference").inner_text()
