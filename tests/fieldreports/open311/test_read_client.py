"""The read side through the `georeport` client from PyPI, unchanged, against a live server."""

import datetime

import pytest
from django.utils import timezone
from georeport import GeoReport

from .conftest import SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["json", "xml"])
def client_311(request, live_server, world):
    return GeoReport(f"{live_server.url}/open311/v2/", output_format=request.param)


def test_services_list_has_the_active_leaves_with_their_group(client_311, world):
    services = client_311.get_service_list()

    by_code = {s["service_code"]: s for s in services}
    assert set(by_code) == {"rac-thai", "o-nhiem-nuoc"}
    waste = by_code["rac-thai"]
    assert waste["service_name"] == "Rác thải"
    assert waste["group"] == "Môi trường"
    assert waste["type"] == "realtime"
    assert waste["keywords"] == "rác, vệ sinh"
    assert waste["metadata"] in (True, "true")
    assert by_code["o-nhiem-nuoc"]["metadata"] in (False, "false")


def test_service_definition_lists_attributes_and_values(client_311, world):
    definition = client_311.get_service_definition("rac-thai")

    assert definition["service_code"] == "rac-thai"
    attributes = definition["attributes"]
    if client_311.output_format == "xml":
        attributes = attributes["attribute"]
        level = attributes[0]
        assert level["required"] == "true" and level["order"] == "1"
        assert [v["key"] for v in level["values"]["value"]] == ["nhe", "nang"]
    else:
        level = attributes[0]
        assert level["required"] is True and level["order"] == 1
        assert level["values"] == [{"key": "nhe", "name": "Nhẹ"}, {"key": "nang", "name": "Nghiêm trọng"}]
    assert level["code"] == "muc_do"
    assert level["datatype"] == "singlevaluelist"
    assert level["description"] == "Mức độ"
    assert attributes[1]["code"] == "ghi_chu"


def test_requests_default_to_public_reports_of_the_last_90_days(client_311, world):
    requests = client_311.get_service_requests()

    ids = [r["service_request_id"] for r in requests]
    # Newest first; hidden, unreviewed and 120-day-old reports are not there.
    assert ids == [world.reports["open"].code, world.reports["answered"].code]
    first = requests[0]
    assert first["status"] == "open"
    assert first["service_code"] == "rac-thai"
    assert first["agency_responsible"] == world.agency.name
    assert first["requested_datetime"].endswith("+07:00")
    assert float(first["long"]) == pytest.approx(world.reports["open"].lon)


def test_requests_filters(client_311, world):
    closed = client_311.get_service_requests(status="closed")
    water = client_311.get_service_requests(service_code="o-nhiem-nuoc")
    start = (timezone.now() - datetime.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = client_311.get_service_requests(start_date=start)
    old_start = (timezone.now() - datetime.timedelta(days=150)).strftime("%Y-%m-%dT%H:%M:%SZ")
    old_end = (timezone.now() - datetime.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    old = client_311.get_service_requests(start_date=old_start, end_date=old_end)
    by_id = client_311.get_service_requests(
        service_request_id=f"{world.reports['old'].code},{world.reports['open'].code}"
    )

    def ids(result):
        # xmltodict gives a dict, not a list, when there is one <request>.
        return [r["service_request_id"] for r in (result if isinstance(result, list) else [result])]

    assert ids(closed) == [world.reports["answered"].code]
    assert ids(water) == [world.reports["answered"].code]
    assert ids(recent) == [world.reports["open"].code]
    assert ids(old) == [world.reports["old"].code]
    assert ids(by_id) == [world.reports["open"].code, world.reports["old"].code]


def test_one_request(client_311, world):
    answered = world.reports["answered"]

    request = client_311.get_service_request(answered.code)

    assert request["service_request_id"] == answered.code
    assert request["status"] == "closed"
    assert request["status_notes"] == "Đã nạo vét kênh."
    assert request["service_name"] == "Ô nhiễm nguồn nước"
    assert request["description"] == answered.description


def test_reporter_contact_never_in_read_output(live_server, world):
    import requests

    base = f"{live_server.url}/open311/v2"
    code = world.reports["open"].code
    paths = ["services", "services/rac-thai", "requests", f"requests/{code}", f"tokens/{world.reports['open'].token}"]
    for path in paths:
        for fmt in ("json", "xml"):
            body = requests.get(f"{base}/{path}.{fmt}", timeout=10).text
            for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_NAME):
                assert secret not in body, (path, fmt)


def test_client_with_a_jurisdiction(live_server, world):
    ours = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="96")
    theirs = GeoReport(f"{live_server.url}/open311/v2", jurisdiction="ha-noi")

    assert {s["service_code"] for s in ours.get_service_list()} == {"rac-thai", "o-nhiem-nuoc"}
    with pytest.raises(Exception, match="404"):
        theirs.get_service_list()
