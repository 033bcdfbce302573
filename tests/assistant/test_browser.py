"""The chat box on a cheap phone (360x740) in Debian's chromium: with script, questions go to the API
and the answers appear in the box without leaving the page."""

import pytest

from motcua.assistant.models import Conversation, Exchange
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    assert_no_serious_axe_violations,
    browser,
    context_overrides,
    page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chat_box_on_a_phone(page, live_server, catalog):  # noqa: F811
    page.goto(f"{live_server.url}/thu-tuc/")
    box = page.locator("#tro-ly")
    box.locator("summary").tap()
    assert_no_serious_axe_violations(page)
    field = page.get_by_label("Câu hỏi về thủ tục, hồ sơ")
    assert field.bounding_box()["width"] <= 360
    field.fill("đăng ký kết hôn cần giấy tờ gì")
    page.get_by_role("button", name="Gửi").tap()
    answer = box.locator("li.chat-a").first
    answer.wait_for()
    assert "Tờ khai đăng ký kết hôn" in answer.inner_text()
    assert answer.get_by_role("link", name="Thủ tục đăng ký kết hôn").get_attribute("href") == "/thu-tuc/1.000894/"
    assert answer.get_by_role("link", name="Nộp hồ sơ").get_attribute("href") == "/ho-so/nop/1.000894/"
    # A follow-up in the same conversation, still on the catalog page.
    field.fill("mất bao lâu?")
    page.get_by_role("button", name="Gửi").tap()
    box.locator("li.chat-a").nth(1).wait_for()
    assert "5 ngày làm việc" in box.locator("li.chat-a").nth(1).inner_text()
    assert page.url.endswith("/thu-tuc/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # the open box fits the phone
    assert Conversation.objects.count() == 1 and Exchange.objects.count() == 2
    # A refusal shows the API's message in the box.
    field.fill(" ")
    page.evaluate("document.querySelector('#tro-ly textarea').value = 'a'.repeat(1001)")
    page.get_by_role("button", name="Gửi").tap()
    box.locator("li.chat-error").wait_for()
    assert "dài quá 1000 ký tự" in box.locator("li.chat-error").inner_text()
