"""POST requests shaped as the specification shows (form-encoded, api_key), through Django's test client."""

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command

from motcua.fieldreports.models import FieldReport, ReportChannel

from .conftest import INSIDE, OUTSIDE, SECRET_EMAIL, SECRET_NAME, SECRET_PHONE

URL = "/open311/v2/requests.{fmt}"


def good_form(world, **overrides) -> dict:
    form = {
        "api_key": world.api_key,
        "service_code": "rac-thai",
        "lat": str(INSIDE[0]),
        "long": str(INSIDE[1]),
        "address_string": "Ấp 3, xã Tân Thành",
        "email": SECRET_EMAIL,
        "device_id": "thiet-bi-42",
        "account_id": "tk-7",
        "first_name": "Bí Mật",
        "last_name": "Trần Thị",
        "phone": SECRET_PHONE,
        "description": "Bãi rác tự phát cạnh chợ, bốc mùi nhiều ngày.",
        "media_url": "https://anh.example.vn/rac.jpg",
        "attribute[muc_do]": "nang",
        "attribute[ghi_chu]": "Gần cổng chợ",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def errors_of(response) -> list[dict]:
    data = json.loads(response.content)
    assert isinstance(data, list) and data and set(data[0]) == {"code", "description"}
    return data


def test_good_post_json_creates_the_report(client, world):
    before = FieldReport.objects.count()

    response = client.post(URL.format(fmt="json"), good_form(world))

    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("application/json")
    [answer] = json.loads(response.content)
    assert set(answer) == {"service_request_id", "token", "service_notice", "account_id"}
    assert answer["account_id"] is None
    assert "5 ngày làm việc" in answer["service_notice"]
    report = FieldReport.objects.get(code=answer["service_request_id"])
    assert FieldReport.objects.count() == before + 1
    assert str(report.token) == answer["token"]
    assert report.channel == ReportChannel.OPEN311
    assert report.open311_client == world.client
    assert report.unit == world.commune  # named in address_string
    assert report.reporter_email == SECRET_EMAIL
    assert report.reporter_name == SECRET_NAME
    assert report.attributes["muc_do"] == "nang"
    assert report.attributes["open311"] == {
        "media_url": "https://anh.example.vn/rac.jpg",
        "device_id": "thiet-bi-42",
        "account_id": "tk-7",
    }


def test_good_post_xml_then_read_back_without_contact(client, world):
    response = client.post(URL.format(fmt="xml"), good_form(world))

    assert response.status_code == 201, response.content
    assert response["Content-Type"].startswith("text/xml")
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    [request] = list(root)
    assert request.tag == "request"
    assert [child.tag for child in request] == ["service_request_id", "token", "service_notice", "account_id"]
    code, token = request.findtext("service_request_id"), request.findtext("token")

    by_token = json.loads(client.get(f"/open311/v2/tokens/{token}.json").content)
    assert by_token == [{"service_request_id": code, "token": token}]
    detail = client.get(f"/open311/v2/requests/{code}.json")
    assert detail.status_code == 200
    [shown] = json.loads(detail.content)
    assert shown["status"] == "open"
    assert shown["media_url"] == "https://anh.example.vn/rac.jpg"
    listing = client.get("/open311/v2/requests.xml").content.decode()
    for body in (detail.content.decode(), listing):
        for secret in (SECRET_EMAIL, SECRET_PHONE, SECRET_NAME, "thiet-bi-42", "tk-7"):
            assert secret not in body


@pytest.mark.parametrize("api_key", [None, "", "khoa-sai"])
def test_missing_or_wrong_api_key_is_403(client, world, api_key):
    response = client.post(URL.format(fmt="json"), good_form(world, api_key=api_key))

    assert response.status_code == 403
    assert errors_of(response)[0]["code"] == 403
    assert "api_key" in errors_of(response)[0]["description"]


def test_inactive_client_is_403_in_xml(client, world):
    world.client.is_active = False
    world.client.save(update_fields=["is_active"])

    response = client.post(URL.format(fmt="xml"), good_form(world))

    assert response.status_code == 403
    root = ET.fromstring(response.content)
    assert root.tag == "errors"
    [error] = list(root)
    assert error.tag == "error"
    assert [child.tag for child in error] == ["code", "description"]
    assert error.findtext("code") == "403"


@pytest.mark.parametrize(("service_code", "status"), [(None, 400), ("khong-co", 404), ("cu", 404), ("moi-truong", 404)])
def test_service_code_missing_or_unknown(client, world, service_code, status):
    response = client.post(URL.format(fmt="json"), good_form(world, service_code=service_code))

    assert response.status_code == status
    assert "service_code" in errors_of(response)[0]["description"]


def test_outside_the_province_is_400_and_nothing_saved(client, world):
    before = FieldReport.objects.count()

    response = client.post(URL.format(fmt="json"), good_form(world, lat=str(OUTSIDE[0]), long=str(OUTSIDE[1])))

    assert response.status_code == 400
    assert "ngoài địa bàn" in errors_of(response)[0]["description"]
    assert FieldReport.objects.count() == before


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"lat": None, "long": None}, "lat"),  # address_string only: we need a point
        ({"lat": None, "long": None, "address_string": None}, "lat"),
        ({"lat": "chín"}, "lat"),
        ({"attribute[muc_do]": None}, "attribute[muc_do]"),
        ({"attribute[muc_do]": "rat-nang"}, "attribute[muc_do]"),
        ({"email": "khong-phai-email"}, "email"),
        ({"phone": "12345"}, "phone"),
        ({"description": ""}, "description"),
        ({"media_url": "ftp://x"}, "media_url"),
        # No commune named and no earlier report near this point: the client is told to name one.
        ({"lat": "8.70", "long": "105.00", "address_string": "Ven biển"}, "address_string"),
    ],
)
def test_bad_input_is_400_with_a_description(client, world, overrides, words):
    before = FieldReport.objects.count()

    response = client.post(URL.format(fmt="json"), good_form(world, **overrides))

    assert response.status_code == 400, response.content
    [error] = errors_of(response)
    assert error["code"] == 400
    assert words in error["description"]
    assert FieldReport.objects.count() == before


def test_management_command_prints_a_working_key(client, world):
    out = io.StringIO()
    call_command("open311_client_create", "Hệ thống tổng đài 1022", stdout=out)
    api_key = out.getvalue().strip().splitlines()[-1]

    response = client.post(URL.format(fmt="json"), good_form(world, api_key=api_key))

    assert response.status_code == 201
    report = FieldReport.objects.get(code=json.loads(response.content)[0]["service_request_id"])
    assert report.open311_client.name == "Hệ thống tổng đài 1022"
    assert report.open311_client.key_hash != api_key
