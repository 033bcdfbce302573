"""Citizen pages: filing without JS, errors next to fields, nearby reports, my reports, respond."""

import pytest
from django.urls import reverse

from motcua.fieldreports.models import FieldReport, ReportStatus

from ..conftest import OUTSIDE, POINT_A, jpeg_with_gps
from .conftest import client_for


def _form(categories, commune_a, **overrides):
    data = {
        "category": "rac-thai",
        "description": "Rác đổ trộm ven kênh, bốc mùi.",
        "lat": f"{POINT_A[0]}",
        "lon": f"{POINT_A[1]}",
        "unit": str(commune_a.pk),
        "address": "Đường Phan Ngọc Hiển",
        "idempotency_key": "k-1",
    }
    data.update(overrides)
    return data


def test_form_renders_for_a_phone(client, categories, service_area, commune_a):
    html = client.get(reverse("fieldreports:submit")).content.decode()
    assert 'name="lat"' in html and 'name="lon"' in html  # works without JS
    assert 'accept="image/*"' in html and "capture=" in html
    assert "Dùng vị trí của tôi" in html
    assert 'value="rac-thai"' in html and commune_a.name in html
    assert 'hx-get="/phan-anh/gan-day/"' in html


def test_citizen_files_with_a_photo_and_sees_it_in_my_reports(categories, service_area, commune_a, agency_a, citizen):
    client = client_for(citizen)
    data = _form(categories, commune_a, photos=[jpeg_with_gps()], urgent="1")
    response = client.post(reverse("fieldreports:submit"), data)
    report = FieldReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("fieldreports:sent", args=[report.code])
    assert report.reporter == citizen and report.media.count() == 1 and report.unit == commune_a
    sent = client.get(response.url).content.decode()
    assert report.code in sent
    mine = client.get(reverse("fieldreports:mine")).content.decode()
    assert report.code in mine
    page = client.get(reverse("fieldreports:my_detail", args=[report.code])).content.decode()
    assert "Rác đổ trộm ven kênh" in page
    # The same form posted twice (double tap) files one report.
    client.post(reverse("fieldreports:submit"), _form(categories, commune_a))
    assert FieldReport.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field_id", "text"),
    [
        ({"category": ""}, "err-category", "Vui lòng chọn lĩnh vực phản ánh."),
        ({"description": "  "}, "err-description", "Vui lòng mô tả sự việc"),
        ({"lat": f"{OUTSIDE[0]}", "lon": f"{OUTSIDE[1]}"}, "err-location", "ngoài địa bàn tỉnh"),
        ({"lat": "abc"}, "err-location", "Vị trí không hợp lệ."),
        ({"lat": ""}, "err-location", "Vui lòng chọn vị trí"),
    ],
)
def test_errors_show_next_to_their_field_and_nothing_is_saved(
    client, categories, service_area, commune_a, agency_a, overrides, field_id, text
):
    response = client.post(reverse("fieldreports:submit"), _form(categories, commune_a, **overrides))
    assert response.status_code == 422
    html = response.content.decode()
    assert f'id="{field_id}"' in html and text in html
    assert "Rác đổ trộm ven kênh" in html or overrides.get("description")  # typed text kept
    assert FieldReport.objects.count() == 0


def test_fake_image_is_refused_by_content(client, categories, service_area, commune_a, agency_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"MZ not an image at all" * 10, content_type="image/jpeg")
    response = client.post(reverse("fieldreports:submit"), _form(categories, commune_a, photos=[fake]))
    assert response.status_code == 422
    assert 'id="err-photos"' in response.content.decode()
    assert FieldReport.objects.count() == 0


def test_nearby_fragment_offers_to_follow(make_report, citizen2, categories):
    existing = make_report()
    before = existing.follower_count
    client = client_for(citizen2)
    html = client.get(
        reverse("fieldreports:nearby"), {"category": "rac-thai", "lat": POINT_A[0] + 0.0001, "lon": POINT_A[1]}
    ).content.decode()
    assert existing.code in html and "Theo dõi phản ánh này" in html
    other = client.get(reverse("fieldreports:nearby"), {"category": "tieng-on", "lat": POINT_A[0], "lon": POINT_A[1]})
    assert existing.code not in other.content.decode()
    assert client.get(reverse("fieldreports:nearby"), {"category": "rac-thai", "lat": "x"}).status_code == 200
    assert "<form" not in html  # it sits inside the filing form
    response = client.post(reverse("fieldreports:follow", args=[existing.code]), headers={"HX-Request": "true"})
    assert response.status_code == 200 and existing.code in response.content.decode()
    existing.refresh_from_db()
    assert existing.follower_count == before + 1 and existing.followers.filter(user=citizen2).exists()


def test_follow_from_the_public_page_redirects_back(make_report, citizen2):
    existing = make_report()
    response = client_for(citizen2).post(reverse("fieldreports:follow", args=[existing.code]))
    assert response.status_code == 302 and response.url == reverse("fieldreports:detail", args=[existing.code])
    assert existing.followers.filter(user=citizen2).exists()


def test_citizen_cannot_open_another_citizens_report(make_report, citizen2):
    report = make_report()
    client = client_for(citizen2)
    assert client.get(reverse("fieldreports:my_detail", args=[report.code])).status_code == 404
    assert report.code not in client.get(reverse("fieldreports:mine")).content.decode()
    assert client.post(reverse("fieldreports:my_action", args=[report.code, "xac-nhan"])).status_code == 404
    assert client.get(reverse("fieldreports:officer_detail", args=[report.code])).status_code == 404


def test_anonymous_visitor_is_sent_to_login_for_my_reports(client):
    response = client.get(reverse("fieldreports:mine"))
    assert response.status_code == 302 and "next=" in response.url


def test_reporter_confirms_with_a_rating(answered_report, citizen):
    client = client_for(citizen)
    url = reverse("fieldreports:my_detail", args=[answered_report.code])
    html = client.get(url).content.decode()
    assert "Xác nhận đã được giải quyết" in html and "Rất hài lòng" in html and "Đã thu gom rác xong." in html
    response = client.post(reverse("fieldreports:my_action", args=[answered_report.code, "xac-nhan"]), {"level": "4"})
    assert response.status_code == 302
    answered_report.refresh_from_db()
    assert answered_report.status == ReportStatus.CLOSED
    assert answered_report.rating.level == 4


def test_a_bad_rating_leaves_the_report_answered(answered_report, citizen):
    client = client_for(citizen)
    action = reverse("fieldreports:my_action", args=[answered_report.code, "xac-nhan"])
    client.post(action, {"level": "9"})
    answered_report.refresh_from_db()
    assert answered_report.status == ReportStatus.ANSWERED and not hasattr(answered_report, "rating")


def test_reporter_rates_after_confirming(answered_report, citizen):
    client = client_for(citizen)
    client.post(reverse("fieldreports:my_action", args=[answered_report.code, "xac-nhan"]))
    answered_report.refresh_from_db()
    assert answered_report.status == ReportStatus.CLOSED and not hasattr(answered_report, "rating")
    client.post(reverse("fieldreports:my_action", args=[answered_report.code, "danh-gia"]), {"level": "3"})
    answered_report.refresh_from_db()
    assert answered_report.rating.level == 3


def test_reporter_reopens(answered_report, citizen):
    client = client_for(citizen)
    action = reverse("fieldreports:my_action", args=[answered_report.code, "mo-lai"])
    client.post(action, {"reason": ""})
    answered_report.refresh_from_db()
    assert answered_report.status == ReportStatus.ANSWERED  # reason required: shown, nothing changed
    client.post(action, {"reason": "Rác vẫn còn."})
    answered_report.refresh_from_db()
    assert answered_report.status == ReportStatus.ACCEPTED and answered_report.reopen_count == 1


def test_my_reports_query_count_does_not_grow(make_report, citizen, django_assert_max_num_queries):
    make_report()
    client = client_for(citizen)
    url = reverse("fieldreports:mine")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(5):
        make_report()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
