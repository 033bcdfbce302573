"""National sign-in in a real browser: the button on our sign-in page, the provider's consent page
(the local stand-in for the national portal, speaking OpenID Connect), and back signed in."""

import pytest

from motcua.core.models import Person
from motcua.fakes.oidc_provider import FakeOIDCProvider
from tests.browser.conftest import assert_no_serious_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def provider(live_server, settings):
    server = FakeOIDCProvider(
        client_id="motcua-browser",
        client_secret="bi-mat-trinh-duyet",
        redirect_uris=[f"{live_server.url}/dang-nhap/dinh-danh/ve/"],
    ).start()
    settings.OIDC_ISSUER = server.issuer
    settings.OIDC_CLIENT_ID = "motcua-browser"
    settings.OIDC_CLIENT_SECRET = "bi-mat-trinh-duyet"
    yield server
    server.stop()


def test_citizen_signs_in_with_the_national_identity_on_a_phone(page, live_server, provider):
    page.goto("/dang-nhap/")
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)").click()
    page.wait_for_url(f"{provider.issuer}/authorize*")
    page.get_by_label("Số định danh cá nhân").fill("096185000321")
    page.get_by_label("Họ và tên").fill("Võ Thị Cẩm")
    page.get_by_label("Ngày sinh (dd/mm/yyyy)").fill("20/11/1985")
    page.get_by_role("button", name="Đồng ý chia sẻ và đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    # On a phone the signed-in name sits in the header menu, folded until opened.
    page.get_by_text("Trình đơn").click()
    assert page.locator(".nav-user").inner_text() == "Võ Thị Cẩm"
    person = Person.objects.get(personal_id="096185000321")
    assert person.user.username == "096185000321"


def test_citizen_who_declines_comes_back_to_sign_in_with_a_message(page, live_server, provider):
    page.goto("/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)").click()
    page.get_by_role("button", name="Từ chối").click()
    page.wait_for_url(f"{live_server.url}/dang-nhap/")
    assert "Không đăng nhập được bằng tài khoản định danh điện tử" in page.content()
    assert not Person.objects.filter(personal_id="096185000321").exists()
