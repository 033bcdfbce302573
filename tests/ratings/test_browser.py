"""The token page on a cheap phone (360x740) in Debian's chromium: tap a level, a reason, submit."""

import pytest

from motcua.ratings import services
from motcua.ratings.models import Rating
from tests.browser.conftest import (  # noqa: F401  (fixtures)
    assert_no_serious_axe_violations,
    browser,
    context_overrides,
    page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rate_by_link_on_a_phone(page, live_server, return_dossier):  # noqa: F811
    dossier = return_dossier()
    _invitation, token = services.invitation_create(dossier=dossier)
    page.goto(f"{live_server.url}/danh-gia/{token}/")
    assert page.viewport_size == {"width": 360, "height": 740}
    assert_no_serious_axe_violations(page)
    very = page.locator("label.level", has_text="Rất hài lòng")
    box = very.bounding_box()
    assert box["width"] >= 140 and box["height"] >= 80  # a big target for a thumb
    # The four buttons fit in the first screen.
    last = page.locator("label.level", has_text="Không hài lòng").bounding_box()
    assert last["y"] + last["height"] <= 740
    very.tap()
    assert page.locator("input[name=level][value='4']").is_checked()
    # Only the reasons that fit the chosen level are shown.
    assert page.locator(".reasons-negative").is_hidden()
    page.get_by_label("Giải quyết đúng hẹn hoặc sớm hơn hẹn").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    page.wait_for_url("**/danh-gia/cam-on/")
    assert "Cảm ơn ông/bà đã đánh giá" in page.locator("body").inner_text()
    rating = Rating.objects.get(dossier=dossier)
    assert rating.level == 4 and [r.code for r in rating.reasons.all()] == ["dung-hen"]
