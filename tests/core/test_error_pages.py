"""Error pages in Vietnamese with DEBUG off, in the site's layout, without touching the database."""

import pytest
from django.test import Client

pytestmark = pytest.mark.urls("tests.core.error_urls")


def _html(response):
    return response.content.decode()


# No django_db mark: any query would raise, so these pages provably need no database.


def test_404_is_vietnamese_in_the_site_layout_and_lists_no_urls(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    html = _html(response)
    assert "Không tìm thấy trang" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html
    assert "URLconf" not in html and "Page not found" not in html


def test_403_is_vietnamese(client):
    response = client.get("/_test/cam/")
    assert response.status_code == 403
    assert "Không có quyền truy cập" in _html(response)


def test_400_is_vietnamese(client):
    response = client.get("/_test/hong/")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in _html(response)


def test_500_is_vietnamese():
    client = Client(raise_request_exception=False)
    response = client.get("/_test/loi/")
    assert response.status_code == 500
    html = _html(response)
    assert "Hệ thống đang gặp sự cố" in html and 'class="site-header"' in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_500_reads_nothing_from_the_database_even_for_a_signed_in_officer(django_assert_num_queries):
    from tests.factories import OfficerFactory

    client = Client(raise_request_exception=False)
    client.force_login(OfficerFactory())
    with django_assert_num_queries(0):
        response = client.get("/_test/loi/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in _html(response)


@pytest.mark.django_db
def test_404_keeps_the_full_layout_for_a_signed_in_user():
    # Only the 500 page does without the menus; a 404 still shows who is signed in (and pending
    # messages: tests/notifications/test_broadcasts_pages.py relies on that).
    from tests.factories import OfficerFactory

    client = Client()
    client.force_login(OfficerFactory())
    html = _html(client.get("/khong-co-trang-nay/"))
    assert "Không tìm thấy trang" in html and "Đăng xuất" in html


def test_500_falls_back_to_plain_vietnamese_when_the_template_fails(monkeypatch):
    from motcua.core.views import error_pages as views

    def broken(*args, **kwargs):
        raise ValueError("Missing staticfiles manifest entry")

    monkeypatch.setattr(views, "render", broken)
    response = Client(raise_request_exception=False).get("/_test/loi/")
    assert response.status_code == 500
    assert "Hệ thống đang gặp sự cố" in _html(response)


def test_csrf_failure_is_vietnamese():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/_test/cam/")
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in _html(response)


def test_favicon_is_our_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # ICO header
    assert int.from_bytes(response.content[4:6], "little") == 3  # 16, 32 and 48 pixels
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_link_the_svg_icon(client):
    html = _html(client.get("/thu-tuc/"))
    assert 'rel="icon" href="/static/motcua/favicon.svg"' in html
