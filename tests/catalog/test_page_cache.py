"""Catalog pages rendered once per process for visitors: never staler than the catalog version the
search index checks, never shown to a signed-in user, and procedure pages keyed by the rows they read."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from motcua.catalog.models import FeeItem, Procedure
from motcua.catalog.search import search_index_invalidate
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


def test_procedure_page_rows_from_its_one_statement_equal_the_models(catalog):
    from motcua.catalog import selectors

    def values(rows):
        return [{f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields} for row in rows]

    for procedure in (catalog.birth, catalog.id_card):
        built = selectors.procedure_page_read(procedure.code).procedure()
        loaded = selectors.procedure_detail(procedure.code)
        assert values([built]) == values([loaded])
        assert values([built.field]) == values([loaded.field])
        assert values(built.documents.all()) == values(loaded.documents.all())
        assert values(built.fees.all()) == values(loaded.fees.all())
    assert selectors.procedure_page_read("9.999999") is None


def test_a_kept_procedure_page_follows_a_new_fee_and_a_withdrawal(client, catalog):
    url = catalog.id_card.get_absolute_url()
    assert "Phí cấp đổi khẩn" not in client.get(url).content.decode()
    FeeItem.objects.create(procedure=catalog.id_card, order=9, name="Phí cấp đổi khẩn", amount=123000)
    html = client.get(url).content.decode()
    assert "Phí cấp đổi khẩn" in html and "123.000 đ" in html
    Procedure.objects.filter(pk=catalog.id_card.pk).update(is_active=False)
    assert client.get(url).status_code == 404


def test_a_new_procedure_shows_on_the_next_request(client, catalog):
    from tests.factories import ProcedureFactory

    field_url = reverse("catalog:field", args=["ho-tich"])
    search_url = reverse("catalog:index") + "?q=nhan+cha+me+con"
    assert "Đăng ký nhận cha, mẹ, con" not in client.get(field_url).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" not in client.get(search_url).content.decode()
    ProcedureFactory(
        code="1.009999", key="nhan-cha-me-con", name="Đăng ký nhận cha, mẹ, con", field=catalog.birth.field
    )
    assert "Đăng ký nhận cha, mẹ, con" in client.get(field_url).content.decode()
    assert "Đăng ký nhận cha, mẹ, con" in client.get(search_url).content.decode()


# A search nobody asked before: its page is spliced from a shell rendered once per catalog version
# (query and rows left out) and rows rendered once each.


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("query", ["khai sinh 17", "khai sinh <b>\"&'", "ket hon"])
def test_a_spliced_search_page_equals_the_page_rendered_whole(client, catalog, monkeypatch, query, htmx):
    from motcua.core.pagecache import ShellCache

    url = reverse("catalog:index") + "?" + urlencode({"q": query, "cap": "xa"})
    headers = {"HX-Request": "true"} if htmx else {}
    client.get(reverse("catalog:index") + "?" + urlencode({"q": query + " x", "cap": "xa"}), headers=headers)  # shell
    spliced = client.get(url, headers=headers)
    assert spliced.status_code == 200 and "proc-item" in spliced.content.decode()
    monkeypatch.setattr(ShellCache, "page", lambda self, request, key, *, shell, fill, full: full())
    search_index_invalidate()  # nothing kept: the page and its rows rendered whole
    whole = client.get(url, headers=headers)
    assert spliced.content == whole.content
    assert spliced["Content-Type"] == whole["Content-Type"]


def test_a_query_in_a_spliced_page_is_escaped(client, catalog):
    html = client.get(reverse("catalog:index") + "?" + urlencode({"q": 'khai sinh <script>"'})).content.decode()
    assert "<script>" not in html and "&lt;script&gt;&quot;" in html
    assert 'value="khai sinh &lt;script&gt;&quot;"' in html


def test_a_new_search_follows_a_renamed_and_a_withdrawn_procedure(client, catalog):
    def search(i):
        return client.get(reverse("catalog:index") + "?" + urlencode({"q": f"khai sinh {i}"})).content.decode()

    assert "Đăng ký khai sinh" in search(1)
    catalog.birth.name = "Đăng ký khai sinh lưu động"
    catalog.birth.save()  # a save moves updated_at, which the catalog version reads
    assert "Đăng ký khai sinh lưu động" in search(2)
    Procedure.objects.filter(pk=catalog.birth.pk).update(is_active=False)
    assert "Đăng ký khai sinh lưu động" not in search(3)


def test_a_signed_in_user_gets_a_search_page_of_their_own(client, catalog, django_user_model):
    url = reverse("catalog:index") + "?" + urlencode({"q": "khai sinh 5"})
    assert "Đăng xuất" not in client.get(url).content.decode()
    client.force_login(django_user_model.objects.create_user(username="nguoidung", password="x-long-password-1"))
    html = client.get(reverse("catalog:index") + "?" + urlencode({"q": "khai sinh 6"})).content.decode()
    assert "Đăng xuất" in html and "Đăng ký khai sinh" in html
