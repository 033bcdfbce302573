"""Catalog pages rendered once per process for visitors: never staler than the catalog version the
search index checks, never shown to a signed-in user, and procedure pages keyed by the rows they read."""

import pytest
from django.urls import reverse

from motcua.catalog.models import FeeItem, Procedure
from tests.catalog.pages_seed import seed_public_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return seed_public_catalog()


def test_a_visitors_second_request_costs_only_the_catalog_version_check(client, catalog, django_assert_num_queries):
    url = reverse("catalog:field", args=["ho-tich"])
    first = client.get(url)
    with django_assert_num_queries(1):  # the tests check the catalog version on every request
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_a_catalog_edit_shows_at_once(client, catalog):
    url = reverse("catalog:field", args=["ho-tich"])
    assert "Đăng ký kết hôn" in client.get(url).content.decode()
    catalog.marriage.name = "Đăng ký kết hôn lưu động"
    catalog.marriage.save()
    assert "Đăng ký kết hôn lưu động" in client.get(url).content.decode()
    Procedure.objects.filter(pk=catalog.marriage.pk).update(is_active=False)
    assert "Đăng ký kết hôn lưu động" not in client.get(url).content.decode()


def test_signed_in_users_get_their_own_page(client, catalog, django_user_model):
    assert "Đăng xuất" not in client.get("/").content.decode()
    user = django_user_model.objects.create_user(username="nguoidung", password="x-long-password-1")
    client.force_login(user)
    assert "Đăng xuất" in client.get("/").content.decode()
    assert "Đăng xuất" in client.get(reverse("catalog:field", args=["ho-tich"])).content.decode()


def test_procedure_page_follows_its_fees_and_documents(client, catalog):
    url = catalog.id_card.get_absolute_url()
    assert "50.000 đ" in client.get(url).content.decode()
    # A fee edited without saving the procedure: the page's fingerprint of what it read changes.
    FeeItem.objects.filter(procedure=catalog.id_card).update(amount=70000)
    html = client.get(url).content.decode()
    assert "70.000 đ" in html and "50.000 đ" not in html
    catalog.id_card.documents.update(name="Tờ khai căn cước mới")
    assert "Tờ khai căn cước mới" in client.get(url).content.decode()
