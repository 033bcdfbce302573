import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.fieldreports.models import FieldReport
from tests.fieldreports.conftest import OUTSIDE, POINT_A, jpeg_with_gps

pytestmark = pytest.mark.django_db
BASE = "/api/v1/fieldreports"


def _form(commune, **extra):
    data = {"category": "rac-thai", "description": "Rác ùn ứ", "lat": str(POINT_A[0]), "lon": str(POINT_A[1]),
            "unit": commune.code}
    data.update(extra)
    return data


def test_categories_tree(client, categories):
    data = client.get(f"{BASE}/categories").json()
    assert len(data) == 10 and data[0]["children"]


def test_submit_multipart_then_mine_and_detail(client, citizen, commune_a, agency_a, service_area, categories):
    client.force_login(citizen)
    response = client.post(BASE, _form(commune_a, media=[jpeg_with_gps()], reporter_phone="0912345678"))
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert client.get(f"{BASE}/mine").json()[0]["code"] == code
    detail = client.get(f"{BASE}/{code}").json()
    assert detail["reporter_phone"] == "0912345678" and detail["media"][0]["kind"] == "photo"
    client.logout()
    public = client.get(f"{BASE}/{code}").json()
    assert "reporter_phone" not in public and "0912345678" not in str(public)


def test_submit_errors_are_code_and_message(client, citizen, commune_a, agency_a, service_area, categories):
    client.force_login(citizen)
    outside = client.post(BASE, _form(commune_a, lat=str(OUTSIDE[0]), lon=str(OUTSIDE[1])))
    assert outside.status_code == 400 and outside.json()["code"] == "location_outside_area"
    fake = SimpleUploadedFile("a.jpg", b"hello")
    bad = client.post(BASE, _form(commune_a, media=[fake]))
    assert bad.status_code == 415 and bad.json()["code"] == "media_type_invalid"
    assert FieldReport.objects.count() == 0


def test_submit_needs_login(client, categories):
    assert client.post(BASE, {}).status_code == 401


def test_officer_actions_and_scope(client, make_report, handler_a, handler_b):
    report = make_report()
    client.force_login(handler_b)
    assert client.get(f"{BASE}/officer").json() == []
    client.force_login(handler_a)
    assert [r["code"] for r in client.get(f"{BASE}/officer").json()] == [report.code]
    response = client.post(f"{BASE}/{report.code}/actions/accept", {}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "accepted"
    again = client.post(f"{BASE}/{report.code}/actions/accept", {}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "action_not_allowed"
    answer = client.post(f"{BASE}/{report.code}/answer",
                         {"text": "Đã dọn", "outcome": "resolved", "media": [jpeg_with_gps(name="sau.jpg")]})
    assert answer.status_code == 200 and answer.json()["status"] == "answered"


def test_other_agency_gets_404_on_non_public(client, make_report, handler_b):
    report = make_report(description="Gọi 0912345678")  # flagged, not public
    client.force_login(handler_b)
    assert client.get(f"{BASE}/{report.code}").status_code == 404
    response = client.post(f"{BASE}/{report.code}/actions/accept", {}, content_type="application/json")
    assert response.status_code == 404


def test_nearby_and_follow(client, make_report, citizen2):
    report = make_report()
    found = client.get(f"{BASE}/nearby", {"category": "rac-thai", "lat": POINT_A[0], "lon": POINT_A[1]}).json()
    assert [r["code"] for r in found] == [report.code]
    client.force_login(citizen2)
    response = client.post(f"{BASE}/{report.code}/actions/follow", {}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["follower_count"] == 2 and response.json()["reporter_name"] == ""
