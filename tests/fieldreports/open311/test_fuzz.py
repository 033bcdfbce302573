"""Property-based fuzzing of Open311 GeoReport v2 from its documented request parameters.

Open311 has no OpenAPI description; the parameters below are the specification's (wiki.open311.org/
GeoReport_v2) plus the page/page_size extension we document. Any request, well-formed or not, must get
an answer in the format it asked for (JSON or XML), a declared status and never a 5xx; errors are the
specification's list of {code, description}."""

import json
import os
import urllib.parse
from xml.etree import ElementTree

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import INSIDE

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "20")) * 8
FUZZ = settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)
READ_STATUSES = {200, 400, 403, 404, 405, 422, 429}
WRITE_STATUSES = {201, 400, 403, 404, 409, 413, 422, 429}

# Any text, control characters and all, mixed with values that mean something here.
noise = st.text(max_size=30)
numbers = st.one_of(
    st.integers(min_value=-(10**22), max_value=10**22).map(str), st.floats(allow_nan=True).map(str)
)
dates = st.sampled_from(["2026-11-01T00:00:00Z", "2026-11-30T23:59:59+07:00", "2026-02-30T00:00:00Z", "hôm qua"])


def value(*meaningful: str):
    return st.one_of(st.sampled_from(meaningful), noise, numbers)


def _format_and_status(response, fmt: str, allowed: set[int]):
    assert response.status_code < 500, response.content[:300]
    assert response.status_code in allowed, (response.status_code, response.content[:300])
    content_type = response["Content-Type"]
    if fmt == "json":
        assert content_type.startswith("application/json"), content_type
        data = json.loads(response.content)
        if response.status_code >= 400:
            assert isinstance(data, list) and data
            for error in data:
                assert error["code"] == response.status_code and isinstance(error["description"], str)
                assert error["description"]
        return data
    assert "xml" in content_type, content_type
    root = ElementTree.fromstring(response.content)
    if response.status_code >= 400:
        assert root.tag == "errors" and root.find("error/description").text
    return root


def _check_requests_json(data) -> None:
    for item in data:
        assert set(item) >= {"service_request_id", "status", "service_code", "requested_datetime", "lat", "long"}
        assert item["status"] in ("open", "closed")
        assert isinstance(item["lat"], float | int) and isinstance(item["long"], float | int)


@given(
    fmt=st.sampled_from(["json", "xml"]),
    path=st.one_of(
        st.just("discovery"),
        st.just("services"),
        value("rac-thai", "o-nhiem-nuoc", "cu", "khong-co").map(lambda v: f"services/{v}"),
        value("PA-261120-0001", "PA-261120-0003", "PA-000000-0000").map(lambda v: f"requests/{v}"),
        value("00000000-0000-0000-0000-000000000000").map(lambda v: f"tokens/{v}"),
    ),
    jurisdiction=st.one_of(st.none(), value("96", "Cà Mau", "ca mau", "79")),
)
@FUZZ
def test_open311_reads(client, world, fmt, path, jurisdiction):
    query = {"jurisdiction_id": jurisdiction} if jurisdiction is not None else {}
    url = "/open311/v2/" + urllib.parse.quote(path, safe="/") + f".{fmt}"
    data = _format_and_status(client.get(url, query), fmt, READ_STATUSES)
    if fmt == "json" and path.startswith("requests/") and isinstance(data, list) and data and "status" in data[0]:
        _check_requests_json(data)


@given(
    fmt=st.sampled_from(["json", "xml"]),
    params=st.fixed_dictionaries(
        {},
        optional={
            "service_request_id": value("PA-261120-0001", "PA-261120-0001,PA-261120-0002", ",,,"),
            "service_code": value("rac-thai", "rac-thai,o-nhiem-nuoc", "cu"),
            "start_date": st.one_of(dates, noise),
            "end_date": st.one_of(dates, noise),
            "status": value("open", "closed", "open,closed", "OPEN"),
            "page": value("1", "2", "0", "1000000", "1000001"),
            "page_size": value("1", "1000", "1001", "0"),
            "jurisdiction_id": value("96", "79"),
        },
    ),
)
@FUZZ
def test_open311_request_list(client, world, fmt, params):
    data = _format_and_status(client.get(f"/open311/v2/requests.{fmt}", params), fmt, READ_STATUSES)
    if fmt == "json" and isinstance(data, list) and data and "status" in data[0]:
        _check_requests_json(data)


# A well-formed submission; each example changes up to three fields, drops up to two, or both, so
# that accepted reports (201) are reached as well as every refusal.
VALID_FORM = {
    "service_code": "o-nhiem-nuoc",
    "lat": str(INSIDE[0]),
    "long": str(INSIDE[1]),
    "address_string": "Ấp 1, Xã Tân Thành",
    "email": "nguoi.dan@example.vn",
    "phone": "0912345678",
    "first_name": "Mai",
    "last_name": "Trần Thị",
    "description": "Nước kênh đổi màu, bốc mùi",
    "media_url": "https://example.vn/anh.jpg",
    "device_id": "thiet-bi-1",
    "account_id": "tai-khoan-1",
}
ODD_VALUES = {
    "service_code": ["rac-thai", "cu", "khong-co"],
    "lat": ["91", "NaN", "1e400", "-0"],
    "long": ["-181", "inf", "1e-400"],
    "address_string": ["x" * 300],
    "email": ["not-an-email", "a@" + "b" * 300 + ".vn"],
    "phone": ["+84 912 345 678", "12", "0" * 40],
    "description": ["x" * 5000, ""],
    "media_url": ["javascript:alert(1)", "http://" + "a" * 600 + ".vn"],
    "attribute[muc_do]": ["nhe", "nang", "khong-co"],
    "attribute[ghi_chu]": ["ghi chú"],
}
FIELDS = sorted(set(VALID_FORM) | set(ODD_VALUES))


@st.composite
def submissions(draw) -> dict:
    body = dict(VALID_FORM)
    changed = draw(st.lists(st.sampled_from(FIELDS), max_size=3, unique=True))
    for name in changed:
        body[name] = draw(st.one_of(st.sampled_from(ODD_VALUES.get(name) or ["?"]), noise, numbers))
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=2, unique=True)):
        body.pop(name, None)
    return body


@given(
    fmt=st.sampled_from(["json", "xml"]),
    key=st.sampled_from(["valid", "valid", "valid", "missing", "wrong"]),
    body=submissions(),
)
@FUZZ
def test_open311_submit(client, world, fmt, key, body):
    if key != "missing":
        body["api_key"] = world.api_key if key == "valid" else "sai-khoa"
    response = client.post(f"/open311/v2/requests.{fmt}", body)
    data = _format_and_status(response, fmt, WRITE_STATUSES)
    if response.status_code == 201 and fmt == "json":
        assert data[0]["service_request_id"].startswith("PA-") and data[0]["token"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_open311_path_answers_in_its_format(client, fmt):
    response = client.get(f"/open311/v2/khong-co/duong-dan.{fmt}")
    assert response.status_code == 404
    _format_and_status(response, fmt, {404})
