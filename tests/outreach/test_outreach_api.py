"""The mobile app's API: my households (search), detail, indicators, recording a visit
idempotently (201 then 200 with the same visit), a photo, my recent visits, and the schema."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.outreach.models import IndicatorAchievement, Visit
from tests.outreach import helpers

area = helpers.area

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api(client, area):
    client.force_login(area.member_a)
    return client


def test_list_search_and_detail(api, area):
    found = api.get("/api/v1/outreach/households", {"q": "binh"}).json()
    assert found["count"] == 1 and found["items"][0]["head_name"] == "Nguyễn Văn Bình"
    detail = api.get(f"/api/v1/outreach/households/{area.household_a1.pk}").json()
    assert [m["full_name"] for m in detail["members"]][0] == "Nguyễn Văn Bình" and len(detail["members"]) == 3
    codes = [i["code"] for i in api.get("/api/v1/outreach/indicators").json()]
    assert len(codes) == 8 and "zalo_group" in codes


def test_recording_a_visit_is_idempotent(api, area, media):
    head = area.household_a1.members.get(is_head=True)
    body = {
        "client_uuid": str(uuid.uuid4()),
        "household": area.household_a1.pk,
        "helped_members": [head.pk],
        "achievements": [{"indicator": "sim_owner", "member": head.pk}, {"indicator": "zalo_group"}],
        "note": "",
    }
    first = api.post("/api/v1/outreach/visits", body, content_type="application/json")
    assert first.status_code == 201, first.content
    replay = api.post("/api/v1/outreach/visits", body, content_type="application/json")
    assert replay.status_code == 200 and replay.json() == first.json()
    assert Visit.objects.count() == 1 and IndicatorAchievement.objects.count() == 2
    photo = SimpleUploadedFile("a.png", helpers.image_bytes("PNG"), content_type="image/png")
    with_photo = api.post(f"/api/v1/outreach/visits/{body['client_uuid']}/photo", {"photo": photo})
    assert with_photo.status_code == 200 and with_photo.json()["has_photo"] is True
    mine = api.get("/api/v1/outreach/visits/mine").json()
    assert [v["id"] for v in mine] == [first.json()["id"]]


def test_errors_are_json_with_codes(api, area):
    outside = {"client_uuid": str(uuid.uuid4()), "household": area.household_b.pk}
    response = api.post("/api/v1/outreach/visits", outside, content_type="application/json")
    assert response.status_code == 404 and response.json()["code"] == "household_not_found"
    bad = {
        "client_uuid": str(uuid.uuid4()),
        "household": area.household_a1.pk,
        "achievements": [{"indicator": "dvc_account"}],
    }
    response = api.post("/api/v1/outreach/visits", bad, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "indicator_member_required"
    response = api.post("/api/v1/outreach/visits", {"household": 1}, content_type="application/json")
    assert response.status_code == 422 and response.json()["code"] == "validation_error"
    assert not Visit.objects.exists()


def test_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/outreach/households",
        "/api/v1/outreach/households/{household_id}",
        "/api/v1/outreach/indicators",
        "/api/v1/outreach/visits",
        "/api/v1/outreach/visits/mine",
    ):
        assert path in paths
    responses = paths["/api/v1/outreach/visits"]["post"]["responses"]
    assert {"200", "201", "404", "409", "422"} <= set(responses)
