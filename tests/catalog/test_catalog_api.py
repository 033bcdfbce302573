"""The catalog JSON API: search, detail, fields, and its documented errors."""

import datetime

import pytest

from motcua.catalog.models import FeeItem, RequiredDocument
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/procedures"


def test_search_returns_ranked_items(client, tsv_catalog, settings):
    response = client.get(URL, {"q": "dang ky khai sinh", "limit": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 3 and body["limit"] == 3 and body["offset"] == 0
    first = body["items"][0]
    procedure = tsv_catalog["khai-sinh"]
    assert first["code"] == procedure.code
    assert first["key"] == "khai-sinh"
    assert first["name"] == "Đăng ký khai sinh"
    assert first["field"] == {"slug": "ho-tich", "name": "Hộ tịch"}
    assert first["level"] == "commune" and first["level_label"] == "Cấp xã"
    assert first["time_limit_days"] == 3.0
    assert first["online_level"] == "full"
    assert first["url"] == f"{settings.PUBLIC_BASE_URL}/thu-tuc/{procedure.code}/"
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_search_filters_and_pages(client, tsv_catalog):
    body = client.get(URL, {"field": "dat-dai", "level": "province"}).json()
    assert {i["key"] for i in body["items"]} == {"bien-dong-dat", "cap-doi-so-do"}
    page1 = client.get(URL, {"limit": 5}).json()
    page2 = client.get(URL, {"limit": 5, "offset": 5}).json()
    assert page1["total"] == page2["total"] == len(tsv_catalog)
    assert not {i["code"] for i in page1["items"]} & {i["code"] for i in page2["items"]}


def test_invalid_level_is_a_422_in_vietnamese(client, tsv_catalog):
    response = client.get(URL, {"q": "khai sinh", "level": "huyen"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_level"
    assert "Cấp thực hiện không hợp lệ" in body["message"]


def test_unknown_field_is_a_422(client, tsv_catalog):
    response = client.get(URL, {"field": "khong-co"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_field"


@pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"q": "x" * 501}])
def test_bad_paging_is_a_validation_error(client, params):
    response = client.get(URL, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["message"] == "Dữ liệu gửi lên không hợp lệ."


def test_search_query_count_is_fixed(client, tsv_catalog, django_assert_num_queries):
    client.get(URL, {"q": "khai sinh"})  # builds the index
    # Version check and the page of procedures with their fields: the same for 3 or 50 items.
    with django_assert_num_queries(2):
        client.get(URL, {"q": "dang ky", "limit": 50})


def _full_procedure():
    procedure = ProcedureFactory(
        name="Đăng ký khai sinh",
        key="khai-sinh",
        time_limit_days=0,
        time_limit_text="Ngay trong ngày làm việc",
        on_the_spot=True,
        legal_basis=[{"title": "Luật Hộ tịch 2014", "number": "60/2014/QH13"}],
        steps=["Nộp hồ sơ", "Nhận kết quả"],
        check_notes="Đối chiếu lệ phí với nghị quyết HĐND tỉnh",
        valid_from=datetime.date(2025, 7, 1),
    )
    RequiredDocument.objects.create(procedure=procedure, order=2, name="Giấy chứng sinh", copies=1)
    RequiredDocument.objects.create(
        procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh", form_name="Mẫu TK-KS", is_required=True
    )
    FeeItem.objects.create(procedure=procedure, name="Lệ phí đăng ký khai sinh", amount=0, exemption="Miễn lệ phí")
    return procedure


def test_detail_has_everything_a_citizen_needs(client, settings, django_assert_num_queries):
    procedure = _full_procedure()
    with django_assert_num_queries(3):  # procedure with field, documents, fees
        response = client.get(f"{URL}/{procedure.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Đăng ký khai sinh"
    assert [d["name"] for d in body["documents"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert body["documents"][0]["form_name"] == "Mẫu TK-KS"
    assert body["fees"] == [{
        "name": "Lệ phí đăng ký khai sinh", "amount": 0, "amount_today": 0, "amount_text": "Miễn phí", "kind": "base",
        "group": "", "when": [], "is_default": False, "condition": "", "per_unit": "", "local": False,
        "legal_basis": "", "exemption": "Miễn lệ phí", "exemption_basis": "", "reduced_amount": None,
        "reduced_from": None, "reduced_until": None, "reduction_basis": "",
    }]
    assert body["fee_headline"] == {"text": "Miễn phí", "min": 0, "max": 0, "local": False, "extras": 0}
    assert body["legal_basis"][0]["number"] == "60/2014/QH13"
    assert body["steps"] == ["Nộp hồ sơ", "Nhận kết quả"]
    assert body["valid_from"] == "2025-07-01"
    assert body["check_notes"].startswith("Đối chiếu")
    assert body["on_the_spot"] is True and body["time_limit_days"] == 0
    page = f"{settings.PUBLIC_BASE_URL}/thu-tuc/{procedure.code}/"
    assert body["url"] == page
    assert body["qr_svg_url"] == page + "qr.svg"
    assert body["qr_png_url"] == page + "qr.png"


def test_detail_of_unknown_or_withdrawn_procedure_is_404_json(client):
    withdrawn = ProcedureFactory(is_active=False)
    for code in ["0.000000", withdrawn.code]:
        response = client.get(f"{URL}/{code}")
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "procedure_not_found"
        assert code in body["message"] and "Không tìm thấy thủ tục" in body["message"]


def test_fields_with_counts(client, tsv_catalog, settings):
    tsv_catalog["khai-tu"].is_active = False
    tsv_catalog["khai-tu"].save()
    body = client.get("/api/v1/fields").json()
    ho_tich = next(f for f in body if f["slug"] == "ho-tich")
    assert ho_tich["name"] == "Hộ tịch"
    assert ho_tich["procedure_count"] == 14  # 15 in the TSV, one withdrawn
    assert ho_tich["url"] == f"{settings.PUBLIC_BASE_URL}/thu-tuc/linh-vuc/ho-tich/"
    assert [f["slug"] for f in body][:2] == ["ho-tich", "lien-thong"]


def test_errors_are_documented_in_the_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    error_ref = "#/components/schemas/ErrorOut"
    search = paths["/api/v1/procedures"]["get"]["responses"]
    detail = paths["/api/v1/procedures/{code}"]["get"]["responses"]
    assert search["422"]["content"]["application/json"]["schema"]["$ref"] == error_ref
    assert detail["404"]["content"]["application/json"]["schema"]["$ref"] == error_ref
