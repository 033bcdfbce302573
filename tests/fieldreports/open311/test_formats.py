"""Element names, JSON shapes, errors, filters' validation, jurisdiction and CORS."""

import datetime
import json
import xml.etree.ElementTree as ET

import pytest

from motcua.fieldreports.models import ReportStatus

from .conftest import make_report

REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def xml_of(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def test_discovery_json_and_xml(client, world):
    data = json.loads(client.get("/open311/v2/discovery.json").content)
    root = xml_of(client.get("/open311/v2/discovery.xml"))

    assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
    [endpoint] = data["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"
    assert data["changeset"].endswith("+07:00")
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]
    assert root.find("endpoints/endpoint/formats/format") is not None


def test_services_xml_element_names(client, world):
    root = xml_of(client.get("/open311/v2/services.xml"))

    assert root.tag == "services"
    assert {s.tag for s in root} == {"service"}
    assert [c.tag for c in root[0]] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]


def test_service_definition_xml_element_names(client, world):
    root = xml_of(client.get("/open311/v2/services/rac-thai.xml"))

    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "rac-thai"
    level, note = root.findall("attributes/attribute")
    assert [c.tag for c in level] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert [(v.findtext("key"), v.findtext("name")) for v in level.findall("values/value")] == [
        ("nhe", "Nhẹ"),
        ("nang", "Nghiêm trọng"),
    ]
    assert note.findtext("datatype") == "string" and note.findtext("required") == "false"


def test_requests_json_and_xml_fields(client, world):
    [first, _second] = json.loads(client.get("/open311/v2/requests.json").content)
    root = xml_of(client.get("/open311/v2/requests.xml"))

    assert list(first) == REQUEST_FIELDS
    assert isinstance(first["lat"], float) and first["address_id"] is None and first["zipcode"] is None
    assert datetime.datetime.fromisoformat(first["requested_datetime"]).utcoffset() == datetime.timedelta(hours=7)
    assert root.tag == "service_requests"
    assert [c.tag for c in root[0]] == REQUEST_FIELDS
    assert root[0].findtext("status") == "open"


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/services/khong-co.xml",
        "/open311/v2/requests/PA-000000-0000.xml",
        "/open311/v2/tokens/khong-phai-uuid.xml",
        "/open311/v2/tokens/7d1f4bf0-6d50-4b6b-9c3c-1f9a3f0c0000.xml",
    ],
)
def test_not_found_is_404_in_the_error_format(client, world, path):
    response = client.get(path)

    assert response.status_code == 404
    root = xml_of(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert root.findtext("error/description")


def test_hidden_or_unreviewed_request_is_404(client, world):
    for name in ("hidden", "unreviewed"):
        assert client.get(f"/open311/v2/requests/{world.reports[name].code}.json").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "start_date=hom-qua",
        "status=pending",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        "start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z",
        "page_size=0",
        "page_size=5000",
    ],
)
def test_bad_filters_are_400(client, world, query):
    response = client.get(f"/open311/v2/requests.json?{query}")

    assert response.status_code == 400
    assert json.loads(response.content)[0]["code"] == 400


def test_refused_request_is_closed_with_the_reason(client, world):
    refused = make_report(world, "refused", status=ReportStatus.REFUSED, refusal_reason="out_of_scope")

    [shown] = json.loads(client.get(f"/open311/v2/requests/{refused.code}.json").content)

    assert shown["status"] == "closed"
    assert "phạm vi" in shown["status_notes"]


def test_page_size_extension(client, world):
    first = json.loads(client.get("/open311/v2/requests.json?page_size=1").content)
    second = json.loads(client.get("/open311/v2/requests.json?page_size=1&page=2").content)

    assert [r["service_request_id"] for r in first + second] == [
        world.reports["open"].code,
        world.reports["answered"].code,
    ]


@pytest.mark.parametrize(
    ("jurisdiction", "status"), [("96", 200), ("ca-mau", 200), ("testserver", 200), ("ha-noi", 404)]
)
def test_jurisdiction_id_is_checked(client, world, jurisdiction, status):
    response = client.get(f"/open311/v2/services.json?jurisdiction_id={jurisdiction}")

    assert response.status_code == status
    if status == 404:
        assert "jurisdiction_id" in json.loads(response.content)[0]["description"]


def test_cors_for_reads_only(client, world):
    get = client.get("/open311/v2/requests.json", HTTP_ORIGIN="https://ban-do.example.vn")
    preflight = client.options("/open311/v2/services.json", HTTP_ORIGIN="https://ban-do.example.vn")
    post = client.post("/open311/v2/requests.json", {})

    assert get["Access-Control-Allow-Origin"] == "*"
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    assert not post.has_header("Access-Control-Allow-Origin")


def test_wrong_method_is_405(client, world):
    response = client.post("/open311/v2/services.json", {})

    assert response.status_code == 405
    assert json.loads(response.content)[0]["code"] == 405


def test_requests_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for n in range(20):
        make_report(world, f"more-{n}", days_ago=3)

    with django_assert_max_num_queries(4):
        data = json.loads(client.get("/open311/v2/requests.json").content)

    assert len(data) == 22


def test_media_url_is_our_cleaned_photo_when_there_is_one(client, world):
    from motcua.fieldreports.models import ReportMedia

    report = world.reports["open"]
    ReportMedia.objects.create(
        report=report,
        kind="photo",
        original="fieldreports/original/2026/11/goc.jpg",
        public_file="fieldreports/public/2026/11/sach.jpg",
        content_type="image/jpeg",
        sha256="0" * 64,
    )

    [shown] = json.loads(client.get(f"/open311/v2/requests/{report.code}.json").content)

    assert shown["media_url"].startswith("http://testserver/")
    assert shown["media_url"].endswith("fieldreports/public/2026/11/sach.jpg")
    assert "original" not in shown["media_url"]


def test_closed_request_has_no_service_notice(client, world):
    [shown] = json.loads(client.get(f"/open311/v2/requests/{world.reports['answered'].code}.json").content)

    assert shown["service_notice"] is None


def test_list_parameters_repeat_or_comma(client, world):
    repeated = json.loads(client.get("/open311/v2/requests.json?status=open&status=closed").content)
    comma = json.loads(client.get("/open311/v2/requests.json?service_code=rac-thai,o-nhiem-nuoc").content)

    assert len(repeated) == len(comma) == 2
