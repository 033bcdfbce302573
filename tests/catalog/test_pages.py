"""Public catalog pages: home, search with filters (plain and htmx), field page, procedure page, 404s."""

import pytest
from django.urls import reverse

from motcua.catalog.templatetags.catalog_tags import vnd, workdays
from tests.catalog.pages_seed import seed_public_catalog

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    return seed_public_catalog()


def _html(response) -> str:
    return response.content.decode()


def test_money_and_days_are_written_the_vietnamese_way():
    assert vnd(50000) == "50.000 đ"
    assert vnd(1250000) == "1.250.000 đ"
    assert vnd(0) == "Miễn phí"
    assert workdays(1.5) == "1,5 ngày làm việc"
    assert workdays(7) == "7 ngày làm việc"
    assert workdays(0) == "Trong ngày"


def test_home_has_a_labelled_search_that_goes_to_the_catalog(client, catalog):
    html = _html(client.get(reverse("core:home")))
    assert f'action="{reverse("catalog:index")}"' in html
    assert '<label for="home-q">' in html
    assert 'href="/thu-tuc/linh-vuc/ho-tich/"' in html
    assert "2 thủ tục" in html  # Hộ tịch has two


def test_catalog_without_query_offers_fields_and_filters(client, catalog):
    response = client.get(reverse("catalog:index"))
    html = _html(response)
    assert response.status_code == 200
    assert '<label for="q">' in html and '<label for="filter-field">' in html and '<label for="filter-level">' in html
    assert '<option value="can-cuoc">Căn cước</option>' in html
    assert '<option value="tinh">Cấp tỉnh</option>' in html
    assert "Xem theo lĩnh vực" in html


def test_search_without_diacritics_finds_the_procedure(client, catalog):
    html = _html(client.get(reverse("catalog:index"), {"q": "dang ky khai sinh"}))
    assert f'<a class="proc-link" href="{catalog.birth.get_absolute_url()}">Đăng ký khai sinh</a>' in html
    assert 'value="dang ky khai sinh"' in html  # the box keeps what was typed
    assert "<html" in html


def test_htmx_request_gets_only_the_results_and_responses_vary_on_it(client, catalog):
    response = client.get(reverse("catalog:index"), {"q": "khai sinh"}, headers={"HX-Request": "true"})
    html = _html(response)
    assert "<html" not in html and "<form" not in html
    assert "Đăng ký khai sinh" in html
    assert "HX-Request" in response["Vary"]
    # The count also goes, out of band, into the live region that stays in the page.
    assert '<p id="result-status" hx-swap-oob="innerHTML">Tìm thấy 1 thủ tục' in html


def test_htmx_history_restore_gets_the_whole_page(client, catalog):
    response = client.get(
        reverse("catalog:index"),
        {"q": "khai sinh"},
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in _html(response)


def test_filters_by_level_and_field(client, catalog):
    html = _html(client.get(reverse("catalog:index"), {"cap": "tinh"}))
    assert "Cấp đổi thẻ căn cước" in html and "Đăng ký khai sinh" not in html
    assert '<option value="tinh" selected>' in html
    html = _html(client.get(reverse("catalog:index"), {"linh-vuc": "ho-tich"}))
    assert "Đăng ký khai sinh" in html and "Đăng ký kết hôn" in html and "Cấp đổi thẻ căn cước" not in html


def test_unknown_filter_values_are_ignored_not_errors(client, catalog):
    response = client.get(reverse("catalog:index"), {"q": "khai sinh", "cap": "huyen", "linh-vuc": "khong-co"})
    assert response.status_code == 200
    assert "Đăng ký khai sinh" in _html(response)


def test_no_results_says_so_and_suggests(client, catalog):
    html = _html(client.get(reverse("catalog:index"), {"q": "zzqxw", "cap": "xa"}))
    assert "Không tìm thấy thủ tục nào" in html
    assert f'href="{reverse("catalog:index")}?q=khai%20sinh"' in html
    assert "Tìm trong tất cả lĩnh vực và các cấp" in html  # a filter was on
    assert 'href="/thu-tuc/linh-vuc/ho-tich/"' in html


def test_field_page_groups_by_level_and_links_the_poster(client, catalog):
    response = client.get(reverse("catalog:field", args=["ho-tich"]))
    html = _html(response)
    assert response.status_code == 200
    assert "<h1>Lĩnh vực Hộ tịch</h1>" in html
    assert '<h2 id="level-xa">Cấp xã</h2>' in html and "level-tinh" not in html
    # Folded name order: "dang ky ket hon" before "dang ky khai sinh".
    assert html.index("Đăng ký kết hôn") < html.index("Đăng ký khai sinh")
    assert reverse("catalog:field_poster", args=["ho-tich"]) in html
    assert "In áp phích mã QR" in html


def test_unknown_field_is_a_vietnamese_404(client, catalog):
    response = client.get(reverse("catalog:field", args=["khong-co"]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in _html(response)


def test_procedure_page_has_everything_a_citizen_needs(client, catalog):
    response = client.get(catalog.birth.get_absolute_url())
    html = _html(response)
    assert response.status_code == 200
    expected = [
        '<h1 id="proc-title">Đăng ký khai sinh</h1>',
        "1.001193",
        'href="/thu-tuc/linh-vuc/ho-tich/"',
        "Cấp xã",
        "UBND xã, phường, đặc khu",
        "Ủy ban nhân dân cấp xã nơi cư trú",
        "Giải quyết ngay khi nhận đủ hồ sơ",
        "hồ sơ nhận sau 15 giờ",
        # documents: counts, form, digitised copy, condition, optional
        "Tờ khai đăng ký khai sinh",
        "1 bản chính",
        "Mẫu: Mẫu tờ khai đăng ký khai sinh (Thông tư 04/2020/TT-BTP)",
        "Giấy chứng sinh",
        "Dùng lại được bản số hóa",
        "1 bản sao",
        "Trường hợp: Trường hợp ủy quyền cho người khác đi đăng ký",
        "(nếu có)",
        # fees
        "Miễn phí",
        "Miễn, giảm: Miễn lệ phí khi đăng ký đúng hạn",
        "8.000 đ",
        # steps, result, applicants, online level, legal basis, data date
        "Nộp hồ sơ tại bộ phận một cửa hoặc trên Cổng dịch vụ công",
        "Kiểm tra: Công chức tư pháp – hộ tịch kiểm tra hồ sơ",
        "Giấy khai sinh (bản chính)",
        "Cha, mẹ, ông, bà hoặc người thân thích khác của trẻ",
        '<span class="badge badge-full">Trực tuyến: Toàn trình</span>',
        "Luật Hộ tịch số 60/2014/QH13",
        "Nghị định 123/2015/NĐ-CP – Quy định chi tiết một số điều của Luật Hộ tịch",
        "Dữ liệu có hiệu lực từ ngày 01/07/2025.",
        # QR image and downloads
        f'src="{reverse("catalog:procedure_qr_svg", args=["1.001193"])}"',
        f'href="{reverse("catalog:procedure_qr_png", args=["1.001193"])}" download="ma-qr-1.001193.png"',
        "http://127.0.0.1:8000/thu-tuc/1.001193/",
    ]
    missing = [text for text in expected if text not in html]
    assert not missing
    assert "Thông tin đang được rà soát" not in html
    assert html.count("<img") == 1  # small pages: the QR is the only image


def test_procedure_under_review_shows_a_visible_note(client, catalog):
    html = _html(client.get(catalog.id_card.get_absolute_url()))
    assert "Thông tin đang được rà soát" in html
    assert "50.000 đ" in html
    assert "7 ngày làm việc" in html
    assert "Công an tỉnh" in html
    assert '<span class="badge badge-partial">Trực tuyến: Một phần</span>' in html


def test_procedure_page_reads_a_fixed_number_of_queries(client, catalog, django_assert_num_queries):
    # one statement for every row the page shows, then the procedure with its field to render it:
    # nothing per document or fee; a kept page costs the first statement only
    with django_assert_num_queries(2):
        client.get(catalog.birth.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(catalog.birth.get_absolute_url())


def test_unknown_or_inactive_procedure_is_a_vietnamese_404(client, catalog):
    response = client.get(reverse("catalog:procedure", args=["9.999999"]))
    assert response.status_code == 404
    html = _html(response)
    assert "Không tìm thấy thủ tục" in html and "9.999999" in html
    assert '<html lang="vi">' in html

    catalog.marriage.is_active = False
    catalog.marriage.save(update_fields=["is_active"])
    assert client.get(catalog.marriage.get_absolute_url()).status_code == 404


def test_pages_only_answer_reads(client, catalog):
    assert client.post(reverse("catalog:index"), {"q": "x"}).status_code == 405
