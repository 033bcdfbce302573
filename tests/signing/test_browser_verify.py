"""The public verification page in Chromium on a 360x740 phone: open the QR link, upload a tampered copy."""

import pytest

from motcua.signing.services.signing import pdf_sign
from tests.browser import conftest as browser_fixtures
from tests.browser.conftest import assert_no_serious_axe_violations

browser = browser_fixtures.browser
context_overrides = browser_fixtures.context_overrides
page = browser_fixtures.page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_horizontal_scroll(tab) -> bool:
    return tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_qr_link_and_tampered_upload_on_a_phone(
    page, live_server, received_dossier, leader_cert, leader_a, trust_root, sample_pdf, tmp_path
):
    row = pdf_sign(
        pdf_bytes=sample_pdf, certificate=leader_cert, actor=leader_a, kind="result", dossier=received_dossier
    )
    page.goto(f"{live_server.url}/xac-thuc/{row.verify_token}/")
    verdict = page.get_by_role("status").filter(has_text="hợp lệ")
    assert verdict.get_attribute("data-verdict") == "valid"
    assert "Chữ ký số hợp lệ" in verdict.inner_text()
    box = verdict.bounding_box()
    assert box["width"] <= 360 and box["y"] < 740  # the answer is on the first screen
    assert received_dossier.code in page.content()
    assert _no_horizontal_scroll(page)
    assert_no_serious_axe_violations(page)

    tampered = bytearray(row.file.read())
    tampered[tampered.index(b"\n") + 2] ^= 0x01
    path = tmp_path / "sua.pdf"
    path.write_bytes(bytes(tampered))
    page.goto(f"{live_server.url}/xac-thuc/")
    page.get_by_label("Tệp PDF").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra chữ ký").click()
    bad = page.locator("[data-verdict]")
    bad.wait_for()
    assert bad.get_attribute("data-verdict") == "invalid"
    assert "KHÔNG hợp lệ" in bad.inner_text()
    colour = page.evaluate("el => getComputedStyle(el).backgroundColor", bad.element_handle())
    assert colour == "rgb(176, 0, 32)"
    assert _no_horizontal_scroll(page)
