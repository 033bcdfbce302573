"""The public catalog in a real browser on a phone-sized screen: search without diacritics, live
results with htmx, the procedure page and its QR, the no-JavaScript path, and axe-core checks."""

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import expect

from motcua.catalog.search import search_index_invalidate
from tests.browser.conftest import assert_no_serious_axe_violations
from tests.catalog.pages_seed import seed_public_catalog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog(settings):
    # The live server shares this process's search index: make it notice this test's catalog.
    settings.CATALOG_SEARCH_CHECK_SECONDS = 0
    search_index_invalidate()
    yield seed_public_catalog()
    search_index_invalidate()


def test_search_without_diacritics_from_home_and_open_the_procedure(page, catalog):
    page.goto("/")
    page.get_by_label("Ông/bà cần làm thủ tục gì?").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm").click()
    page.wait_for_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh"))

    result = page.get_by_role("link", name="Đăng ký khai sinh", exact=True)
    result.click()
    page.wait_for_url(re.compile(r"/thu-tuc/1\.001193/$"))

    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    documents = page.locator("section", has=page.get_by_role("heading", name="Giấy tờ cần chuẩn bị"))
    assert "Tờ khai đăng ký khai sinh" in documents.inner_text()
    assert "Giấy chứng sinh" in documents.inner_text()

    qr = page.get_by_role("img", name=re.compile("Mã QR dẫn đến trang thủ tục 1.001193"))
    qr.scroll_into_view_if_needed()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    # The SVG as Chromium draws it is a QR code a phone can read.
    shot = Image.open(io.BytesIO(qr.screenshot()))
    assert [b.text for b in zxingcpp.read_barcodes(shot)] == ["http://127.0.0.1:8000/thu-tuc/1.001193/"]
    assert page.get_by_role("link", name="Tải mã QR (PNG)").get_attribute("download") == "ma-qr-1.001193.png"


def test_results_update_while_typing_and_the_address_follows(page, catalog):
    page.goto("/thu-tuc/")
    page.get_by_label("Tìm thủ tục").fill("ket hon")
    page.locator("#results").get_by_role("link", name="Đăng ký kết hôn").wait_for()
    # hx-push-url: the address can be shared or reloaded and shows the same results.
    expect(page).to_have_url(re.compile(r"q=ket(\+|%20)hon"))
    assert page.locator("#results").get_by_role("link", name="Đăng ký khai sinh").count() == 0
    assert page.get_by_role("status").inner_text() == "Tìm thấy 1 thủ tục"

    page.get_by_label("Cấp thực hiện").select_option("tinh")
    page.locator("#results").get_by_text("Không tìm thấy thủ tục nào").wait_for()
    expect(page).to_have_url(re.compile(r"cap=tinh"))

    page.reload()
    assert page.get_by_label("Cấp thực hiện").input_value() == "tinh"
    assert page.get_by_label("Tìm thủ tục").input_value() == "ket hon"


def test_search_works_without_javascript(browser, live_server, catalog):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        tab = context.new_page()
        tab.goto(f"{live_server.url}/thu-tuc/")
        tab.get_by_label("Tìm thủ tục").fill("the can cuoc")
        tab.get_by_label("Tìm thủ tục").press("Enter")
        tab.wait_for_url(re.compile(r"q=the\+can\+cuoc"))
        assert tab.get_by_role("link", name="Cấp đổi thẻ căn cước").count() == 1
    finally:
        context.close()


@pytest.mark.parametrize(
    "path",
    ["/", "/thu-tuc/?q=dang+ky+khai+sinh", "/thu-tuc/1.001193/", "/thu-tuc/2.001622/", "/thu-tuc/linh-vuc/ho-tich/"],
    ids=["home", "catalog-results", "procedure", "procedure-under-review", "field"],
)
def test_no_serious_accessibility_violations(page, catalog, path):
    page.goto(path)
    if "q=" in path:
        page.get_by_role("link", name="Đăng ký khai sinh", exact=True).wait_for()
    assert_no_serious_axe_violations(page)


def test_live_search_leaves_no_error_in_the_console(page, catalog):
    # Issue #14: the trigger `change from:.catalog-filters select` was read by htmx as the selector
    # ".catalog-filters" followed by an unknown token "select": an htmx:syntax:error on every page load.
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(
        "document.addEventListener('htmx:syntax:error', e => console.error('htmx:syntax:error', e.detail.token))"
    )
    page.goto("/thu-tuc/")
    page.get_by_label("Tìm thủ tục").press_sequentially("ket hon", delay=30)
    page.locator("#results").get_by_role("link", name="Đăng ký kết hôn").wait_for()
    page.get_by_label("Cấp thực hiện").select_option("tinh")
    page.locator("#results").get_by_text("Không tìm thấy thủ tục nào").wait_for()
    assert errors == []
