"""Each role signs in through the real form, lands on its home and reaches every feature of its
navigation by clicking only; axe-core finds nothing serious or critical on any page reached."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_no_serious_axe_violations
from tests.portal.roles import EVERYONE, EXPECTED, PASSWORD, ROLE_KEYS, role_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
NAV = 'nav[aria-label="Điều hướng chính"]'


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}{reverse('core:login')}")
    page.get_by_label("Số định danh cá nhân, số điện thoại hoặc tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("role", ROLE_KEYS)
def test_role_lands_on_its_home_and_reaches_each_feature_by_clicking(desk_page, live_server, role):
    page = desk_page
    world = role_world()
    user = world.users[role]
    _sign_in(page, live_server, user.username)
    home = reverse("core:home") if role == "citizen" else reverse("core:workspace")
    assert page.url == f"{live_server.url}{home}"
    assert_no_serious_axe_violations(page)

    features = sorted(reverse(name) for name in EXPECTED[role] | EVERYONE)
    for href in features:
        # Back home by clicking too: the workspace link for officers, the site's name for citizens.
        back = page.locator("a.brand") if role == "citizen" else page.locator(f'{NAV} a[href="{home}"]')
        with page.expect_navigation():
            back.click()
        link = page.locator(f'{NAV} a[href="{href}"]')
        assert link.count() == 1, f"{role}: no navigation link to {href}"
        with page.expect_navigation() as navigation:
            link.click()
        page.wait_for_load_state()
        assert navigation.value.status == 200, f"{role}: {href} answered {navigation.value.status}"
        # The progress link opens the page of the user's own commune.
        assert page.url.startswith(f"{live_server.url}{href}") or href == reverse("outreach_progress:home"), page.url
        assert_no_serious_axe_violations(page)
