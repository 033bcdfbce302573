"""Bad input from the outside fuzzing run (issue 11): each case answers a 4xx with a code, never a 500.

NUL and other C0 control characters, integers beyond the database range, bodies the parsers cannot
read or that are too large: one guard (`motcua.core.middleware`) for every surface."""

import json

import pytest

from tests.factories import CitizenUserFactory, OfficerFactory

pytestmark = pytest.mark.django_db

INT64_MAX = 9223372036854775807
INT64_MIN = -9223372036854775808


def _code(response) -> str:
    return response.json()["code"]


@pytest.fixture
def citizen_client(client):
    client.force_login(CitizenUserFactory())
    return client


# --- control characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/api/v1/procedures/%00", "/api/v1/procedures/a%00b", "/api/v1/units?parent=%00", "/api/v1/procedures?q=%00"],
)
def test_nul_in_api_path_or_query_is_400_json(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "invalid_characters"
    assert "ký tự điều khiển" in body["message"]


def test_nul_in_a_signed_in_query_is_400(citizen_client):
    response = citizen_client.get("/api/v1/dossiers?q=%00")
    assert response.status_code == 400 and _code(response) == "invalid_characters"


def test_nul_in_json_body_is_400(citizen_client):
    response = citizen_client.post(
        "/api/v1/dossiers", data=json.dumps({"procedure": "\u0000"}), content_type="application/json"
    )
    assert response.status_code == 400 and _code(response) == "invalid_characters"


def test_control_character_in_a_nested_json_key_is_400(citizen_client):
    body = {"procedure": "1.001193", "applicant": {"addr\u0001ess": "x"}}
    response = citizen_client.post("/api/v1/dossiers", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and _code(response) == "invalid_characters"


@pytest.mark.parametrize("char", ["\u0001", "\u0008", "\u000b", "\u000c", "\u000e", "\u001f"])
def test_other_c0_characters_in_a_query_are_refused(client, char):
    response = client.get("/api/v1/procedures", {"q": f"khai{char}sinh"})
    assert response.status_code == 400 and _code(response) == "invalid_characters"


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " "])
def test_tab_newline_and_space_in_a_query_pass(client, char):
    # Multi-line text fields carry these; U+0020 is the first character after C0.
    response = client.get("/api/v1/procedures", {"q": f"khai{char}sinh"})
    assert response.status_code == 200


def test_newline_in_a_path_is_refused(client):
    response = client.get("/api/v1/procedures/a%0Ab")
    assert response.status_code == 400 and _code(response) == "invalid_characters"


def test_nul_in_a_form_field_is_400(client):
    response = client.post("/dang-nhap/", {"username": "a\x00b", "password": "x"})
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_nul_in_a_page_query_is_a_vietnamese_400_page(client):
    response = client.get("/thu-tuc/?q=%00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Yêu cầu không hợp lệ" in page and "ký tự điều khiển" in page


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_nul_in_open311_answers_its_error_list(client, fmt):
    response = client.get(f"/open311/v2/requests.{fmt}?service_code=%00")
    assert response.status_code == 400
    if fmt == "json":
        errors = response.json()
        assert errors[0]["code"] == 400 and "ký tự điều khiển" in errors[0]["description"]
    else:
        assert b"<errors>" in response.content and b"<code>400</code>" in response.content


# --- integers beyond the database range -------------------------------------------------------------


@pytest.fixture
def officer_client(client):
    client.force_login(OfficerFactory())
    return client


@pytest.mark.parametrize(
    "url", ["/api/v1/fieldreports/mine", "/api/v1/fieldreports/officer", "/api/v1/people", "/api/v1/receipts"]
)
def test_offset_of_ten_to_the_twentieth_is_422(officer_client, url):
    response = officer_client.get(url, {"offset": "100000000000000000000"})
    assert response.status_code == 422
    assert _code(response) == "integer_out_of_range"


@pytest.mark.parametrize("url", ["/api/v1/fieldreports/mine", "/api/v1/people", "/api/v1/receipts"])
def test_offset_at_the_int64_boundary(officer_client, url):
    assert _code(officer_client.get(url, {"offset": str(INT64_MAX + 1)})) == "integer_out_of_range"
    at_limit = officer_client.get(url, {"offset": str(INT64_MAX)})
    assert at_limit.status_code < 500
    if at_limit.status_code != 200:
        assert _code(at_limit) != "integer_out_of_range"


def test_negative_integers_at_the_int64_boundary(client):
    assert _code(client.get("/api/v1/procedures", {"offset": str(INT64_MIN - 1)})) == "integer_out_of_range"
    below = client.get("/api/v1/procedures", {"offset": str(INT64_MIN)})
    assert below.status_code == 422 and _code(below) == "validation_error"  # offset >= 0, said by the schema


def test_leading_zeros_do_not_make_a_number_large(client):
    response = client.get("/api/v1/procedures", {"offset": "0000000000000000000000000"})
    assert response.status_code == 200


def test_very_long_digit_string_is_out_of_range_not_a_crash(client):
    # Python refuses int() of more than 4300 digits; the guard must not ask it to.
    response = client.get("/api/v1/procedures", {"offset": "9" * 5000})
    assert response.status_code == 422 and _code(response) == "integer_out_of_range"


def test_thousands_of_leading_zeros_before_a_small_number_are_not_a_crash(client):
    # The significant digits are "1": in range, though the text is longer than int() accepts.
    response = client.get("/api/v1/procedures", {"offset": "0" * 5000 + "1"})
    assert response.status_code == 200
    response = client.get("/api/v1/procedures", {"offset": "0" * 5000 + "9" * 20})
    assert response.status_code == 422 and _code(response) == "integer_out_of_range"


def test_absurdly_nested_json_is_refused_by_the_endpoint_not_a_crash(citizen_client):
    body = "[" * 200_000
    response = citizen_client.post("/api/v1/dossiers", data=body, content_type="application/json")
    assert 400 <= response.status_code < 500
    escaped = '{"x": "\\u0000", "y": ' + "[" * 200_000
    response = citizen_client.post("/api/v1/dossiers", data=escaped, content_type="application/json")
    assert 400 <= response.status_code < 500


def test_id_in_path_beyond_int64_is_422(officer_client):
    assert _code(officer_client.get(f"/api/v1/receipts/{INT64_MAX + 1}")) == "integer_out_of_range"
    assert officer_client.get(f"/api/v1/receipts/{INT64_MAX}").status_code == 404


def test_integer_in_json_body_is_left_to_the_schema_and_service(citizen_client):
    # The body's numbers mean something only to the endpoint (an absurd amount is `amount_invalid`,
    # tests/payments/requests/test_amount_bounds.py); the guard checks their text, not their size.
    body = {"procedure": "1.001193", "applicant": {"person_id": INT64_MAX + 1}}
    response = citizen_client.post("/api/v1/dossiers", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 404 and _code(response) == "not_found"


# --- unreadable and oversized bodies ----------------------------------------------------------------


def test_multipart_without_boundary_is_400_json(citizen_client):
    response = citizen_client.post("/api/v1/fieldreports", data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert _code(response) == "invalid_multipart"


def test_multipart_without_boundary_on_a_page_is_a_vietnamese_400(client):
    response = client.post("/dang-nhap/", data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "ranh giới" in response.content.decode()


def test_broken_multipart_with_a_boundary_is_400(citizen_client):
    response = citizen_client.post(
        "/api/v1/fieldreports", data=b"not multipart at all", content_type="multipart/form-data; boundary=zz"
    )
    # Django reads a body without any part as empty: the view then names the missing fields.
    assert response.status_code in (400, 422)


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def small_bodies(settings, request):
    settings.DEBUG = request.param
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000


def _json_of_size(size: int) -> bytes:
    head, tail = b'{"procedure": "', b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def test_json_body_over_the_limit_is_413_json(citizen_client, small_bodies):
    response = citizen_client.post("/api/v1/dossiers", data=_json_of_size(1001), content_type="application/json")
    assert response.status_code == 413
    assert _code(response) == "payload_too_large"
    assert "1 KB" in response.json()["message"] or "0 KB" in response.json()["message"]


def test_json_body_at_the_limit_reaches_the_view(citizen_client, small_bodies):
    body = _json_of_size(1000)
    assert len(body) == 1000
    response = citizen_client.post("/api/v1/dossiers", data=body, content_type="application/json")
    # The procedure does not exist (or is too long for its column): the view answers, not the guard.
    assert response.status_code in (404, 422)
    assert _code(response) != "payload_too_large"


def test_form_body_over_the_limit_on_a_page_is_a_vietnamese_413(client, small_bodies):
    response = client.post("/dang-nhap/", {"username": "a" * 1001, "password": "x"})
    assert response.status_code == 413
    assert "quá lớn" in response.content.decode()


# --- unknown API paths ------------------------------------------------------------------------------


@pytest.mark.parametrize("debug", [True, False])
def test_unknown_api_path_is_json_404(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/api/v1/khong-co-duong-dan-nay")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert _code(response) == "not_found"


def test_unknown_page_stays_an_html_404(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_raw_body_stays_readable_after_the_guard_read_a_multipart_form(client, settings):
    # The bank webhook signs the raw bytes; the guard's look at the form must not consume them.
    settings.BANK_WEBHOOK_SECRET = "k"
    response = client.post("/api/v1/payments/bank/notifications", {"a": "b"}, headers={"X-Signature": "x"})
    assert response.status_code == 401 and _code(response) == "signature_invalid"


def test_a_long_number_in_a_page_search_is_text(client):
    # A 19-digit bank account number is beyond int64 but is a search term on a page, not an integer.
    response = client.get("/thu-tuc/", {"q": "9704229200000000000"})
    assert response.status_code == 200


def test_open311_page_beyond_int64_is_refused_in_its_format(client):
    response = client.get("/open311/v2/requests.json", {"page": str(INT64_MAX + 1)})
    assert response.status_code == 422
    assert response.json()[0]["code"] == 422


def test_open311_multipart_without_boundary_is_its_error_list(client):
    response = client.post("/open311/v2/requests.json", data=b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == [{"code": 400, "description": "Dữ liệu multipart thiếu hoặc sai ranh giới (boundary)."}]
