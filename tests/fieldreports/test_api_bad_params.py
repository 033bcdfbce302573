"""Action parameters come straight from JSON: wrong shapes are a 4xx and leave the report unchanged."""

import pytest

pytestmark = pytest.mark.django_db
BASE = "/api/v1/fieldreports"


@pytest.mark.parametrize("videos", [5, ["abc"], "12", [{"id": 1}]])
def test_review_with_malformed_publish_videos_is_422(client, make_report, handler_a, videos):
    report = make_report(description="Gọi 0912345678")  # flagged: waits for review
    client.force_login(handler_a)
    response = client.post(
        f"{BASE}/{report.code}/actions/review", {"mask": True, "publish_videos": videos}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "media_invalid"
    report.refresh_from_db()
    assert not report.reviewed


def test_review_with_no_videos_still_works(client, make_report, handler_a):
    report = make_report(description="Gọi 0912345678")
    client.force_login(handler_a)
    response = client.post(f"{BASE}/{report.code}/actions/review", {"mask": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.reviewed


@pytest.mark.parametrize("lat", ["inf", "nan", "-inf"])
def test_nearby_with_non_finite_point_is_empty_not_500(client, categories, lat):
    response = client.get(f"{BASE}/nearby", {"category": "rac-thai", "lat": lat, "lon": "105.1"})
    assert response.status_code in (200, 422), response.content
    if response.status_code == 200:
        assert response.json() == []


def test_confirm_with_rating_reasons_not_a_list_is_422_and_not_confirmed(client, make_report, handler_a, citizen):
    from motcua.fieldreports.services.handling import report_act

    report = report_act(report=make_report(), actor=handler_a, action="accept")
    report = report_act(report=report, actor=handler_a, action="answer", text="Xong", outcome="resolved")
    client.force_login(citizen)
    response = client.post(
        f"{BASE}/{report.code}/actions/confirm", {"level": 2, "reason_codes": 5}, content_type="application/json"
    )
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "rating_reasons_invalid"
    report.refresh_from_db()
    assert report.status == "answered"
