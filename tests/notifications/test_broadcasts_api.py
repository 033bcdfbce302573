import pytest

from motcua.notifications.models import Audience, BroadcastStatus, Message

from ._broadcast_world import make_world, opt_out, residents

pytestmark = pytest.mark.django_db

BODY = "Thông báo treo cờ Tổ quốc ngày 2/9."


@pytest.fixture
def w():
    return make_world()


def as_user(client, user):
    client.force_login(user)
    return client


def create(client, w, **kwargs):
    payload = {"title": "Treo cờ", "body": BODY, "unit_ids": [w.a.pk]} | kwargs
    return client.post("/api/v1/broadcasts", payload, content_type="application/json")


def test_full_flow_over_the_api(client, w):
    people = residents(w.a, w.a1, 3)
    opt_out(people[0])
    as_user(client, w.author)
    preview = client.post(
        "/api/v1/broadcasts/preview", {"body": BODY, "unit_ids": [w.a.pk]}, content_type="application/json"
    )
    assert preview.status_code == 200
    assert preview.json()["recipients"] == 2 and preview.json()["segments"] == 1
    response = create(client, w)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (
        data["status"] == "draft"
        and data["recipient_count"] == 2
        and data["allowed_actions"] == ["edit", "submit", "cancel"]
    )
    bid = data["id"]
    assert (
        client.post(f"/api/v1/broadcasts/{bid}/submit", content_type="application/json").json()["status"] == "submitted"
    )

    self_approve = client.post(f"/api/v1/broadcasts/{bid}/approve", content_type="application/json")
    assert self_approve.status_code == 403 and self_approve.json()["code"] == "self_approval_forbidden"

    as_user(client, w.leader)
    approved = client.post(f"/api/v1/broadcasts/{bid}/approve", {"note": "OK"}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == BroadcastStatus.APPROVED

    from motcua.notifications.broadcasts.sending import broadcasts_dispatch

    broadcasts_dispatch()
    status = client.get(f"/api/v1/broadcasts/{bid}").json()
    assert status["status"] == "sending" and status["progress"]["by_status"]["created"] == 2
    report = client.get(f"/api/v1/broadcasts/{bid}/report").json()
    assert report == [{"unit": w.a.name, "hamlet": w.a1.name, "total": 2, "counts": report[0]["counts"]}]
    assert report[0]["counts"]["created"] == 2
    csv_response = client.get(f"/api/v1/broadcasts/{bid}/report?format=csv")
    assert csv_response["Content-Type"].startswith("text/csv") and w.a1.name in csv_response.content.decode()

    cancelled = client.post(f"/api/v1/broadcasts/{bid}/cancel", content_type="application/json")
    assert cancelled.json()["progress"]["by_status"]["cancelled"] == 2
    again = client.post(f"/api/v1/broadcasts/{bid}/cancel", content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "invalid_state" and again.json()["details"]["allowed"] == []


def test_api_errors(client, w):
    residents(w.a, None, 1)
    as_user(client, w.author)
    outside = create(client, w, unit_ids=[w.b.pk])
    assert outside.status_code == 403 and outside.json()["code"] == "not_in_scope"
    preview = client.post(
        "/api/v1/broadcasts/preview", {"body": "x", "unit_ids": [w.b.pk]}, content_type="application/json"
    )
    assert preview.status_code == 403 and preview.json()["code"] == "not_in_scope"
    empty = create(client, w, title="")
    assert empty.status_code == 422 and empty.json()["code"] == "invalid_broadcast"
    bad_audience = create(client, w, audience="everyone")
    assert bad_audience.status_code == 422 and bad_audience.json()["code"] == "validation_error"
    bid = create(client, w).json()["id"]
    early = client.post(f"/api/v1/broadcasts/{bid}/approve", content_type="application/json")
    assert early.status_code == 409 and early.json()["details"]["allowed"] == ["edit", "submit", "cancel"]

    as_user(client, w.leader_b)
    assert client.get(f"/api/v1/broadcasts/{bid}").status_code == 404
    assert client.post(f"/api/v1/broadcasts/{bid}/cancel", content_type="application/json").status_code == 404
    assert client.get("/api/v1/broadcasts").json() == []

    client.logout()
    assert client.get("/api/v1/broadcasts").status_code == 401


def test_csv_upload_over_the_api(client, w):
    as_user(client, w.author)
    bid = create(client, w, audience=Audience.CSV, unit_ids=[]).json()["id"]
    content = "họ tên,số điện thoại\nAn,0912345678\nBình,0912345678\nCường,999\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = client.post(f"/api/v1/broadcasts/{bid}/csv", {"file": SimpleUploadedFile("ds.csv", content)})
    assert upload.status_code == 200, upload.content
    assert upload.json()["counts"] == {"ok": 1, "invalid": 1, "duplicate": 1, "opted_out": 0}
    assert [r["row_number"] for r in upload.json()["bad_rows"]] == [3, 4]
    unconfirmed = client.post(f"/api/v1/broadcasts/{bid}/submit", content_type="application/json")
    assert unconfirmed.status_code == 409 and unconfirmed.json()["code"] == "csv_unconfirmed"
    confirmed = client.post(
        f"/api/v1/broadcasts/{bid}/submit", {"confirm_bad_rows": True}, content_type="application/json"
    )
    assert confirmed.json()["status"] == "submitted" and confirmed.json()["recipient_count"] == 1

    bid2 = create(client, w, audience=Audience.CSV, unit_ids=[]).json()["id"]
    bad = client.post(f"/api/v1/broadcasts/{bid2}/csv", {"file": SimpleUploadedFile("x.csv", b"ho ten,sdt\nA,1\n")})
    assert bad.status_code == 422 and bad.json()["code"] == "csv_invalid"
    assert bad.json()["details"] == [
        {"row": 2, "name": "A", "phone": "1", "state": "invalid", "error": bad.json()["details"][0]["error"]}
    ]


def test_schema_documents_broadcast_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/broadcasts",
        "/api/v1/broadcasts/preview",
        "/api/v1/broadcasts/{broadcast_id}/approve",
        "/api/v1/broadcasts/{broadcast_id}/report",
        "/api/v1/broadcasts/{broadcast_id}/csv",
    ):
        assert path in paths
    approve = paths["/api/v1/broadcasts/{broadcast_id}/approve"]["post"]["responses"]
    assert {"403", "404", "409"} <= set(approve)
    assert not Message.objects.exists()
