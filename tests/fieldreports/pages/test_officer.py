"""Officer pages: queue of their agency, report page with private data, actions, access."""

from django.urls import reverse

from motcua.fieldreports.models import ReportStatus
from motcua.fieldreports.services.handling import report_act

from ..conftest import POINT_B, jpeg_with_gps
from .conftest import client_for


def test_queue_shows_only_the_agencys_reports(make_report, handler_a, handler_b, commune_b, agency_b):
    mine = make_report()
    theirs = make_report(lat=POINT_B[0], lon=POINT_B[1], unit=commune_b)
    html = client_for(handler_a).get(reverse("fieldreports:queue")).content.decode()
    assert mine.code in html and theirs.code not in html
    html = client_for(handler_b).get(reverse("fieldreports:queue")).content.decode()
    assert theirs.code in html and mine.code not in html


def test_queue_tabs_and_filters(make_report, handler_a):
    new = make_report()
    taken = report_act(report=make_report(), actor=handler_a, action="accept")
    flagged = make_report(description="Liên hệ 0912345678 để biết thêm")
    client = client_for(handler_a)
    url = reverse("fieldreports:queue")
    html = client.get(url).content.decode()
    assert new.code in html and taken.code not in html
    html = client.get(url, {"tab": "dang-xu-ly"}).content.decode()
    assert taken.code in html and new.code not in html
    html = client.get(url, {"tab": "cho-duyet"}).content.decode()
    assert flagged.code in html and new.code not in html and "Cần kiểm duyệt" in html
    html = client.get(url, {"tab": "tat-ca", "q": new.code}).content.decode()
    assert new.code in html and taken.code not in html


def test_officer_of_another_agency_gets_404(make_report, handler_b):
    report = make_report()
    client = client_for(handler_b)
    assert client.get(reverse("fieldreports:officer_detail", args=[report.code])).status_code == 404
    response = client.post(reverse("fieldreports:officer_action", args=[report.code, "accept"]))
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED


def test_report_page_shows_private_data_and_flags(make_report, handler_a, supervisor_a):
    report = make_report(description="Số của tôi 0912345678, rác quá nhiều", reporter_phone="0987654321")
    for user in (handler_a, supervisor_a):
        html = client_for(user).get(reverse("fieldreports:officer_detail", args=[report.code])).content.decode()
        assert "0987654321" in html  # reporter contact, private
        assert "Cảnh báo nội dung" in html and "phone" in html
        assert "Số của tôi ***" in html  # masked text proposed for publication


def test_accept_answer_with_after_photo_then_public(client, make_report, handler_a):
    report = make_report()
    officer = client_for(handler_a)
    officer.post(reverse("fieldreports:officer_action", args=[report.code, "accept"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED
    page = officer.get(reverse("fieldreports:officer_detail", args=[report.code])).content.decode()
    assert 'name="outcome"' in page
    officer.post(
        reverse("fieldreports:officer_action", args=[report.code, "answer"]),
        {"text": "Đã dọn sạch.", "outcome": "resolved", "photos": [jpeg_with_gps()]},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.ANSWERED and report.media.filter(stage="after").count() == 1
    html = client.get(reverse("fieldreports:detail", args=[report.code])).content.decode()
    assert "Đã dọn sạch." in html and "Ảnh sau xử lý" in html


def test_answer_errors_are_shown_not_500(make_report, handler_a):
    report = report_act(report=make_report(), actor=handler_a, action="accept")
    officer = client_for(handler_a)
    response = officer.post(
        reverse("fieldreports:officer_action", args=[report.code, "answer"]),
        {"text": "", "outcome": "resolved"},
        follow=True,
    )
    assert response.status_code == 200 and "Vui lòng nhập nội dung trả lời." in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED


def test_review_hide_unhide_transfer(client, make_report, handler_a, agency_b):
    flagged = make_report(description="Gọi 0912345678, rác tràn ra đường")
    officer = client_for(handler_a)
    action = lambda name: reverse("fieldreports:officer_action", args=[flagged.code, name])  # noqa: E731
    officer.post(action("review"), {"public_description": "Gọi 0912345678, rác tràn ra đường"})
    flagged.refresh_from_db()
    assert flagged.reviewed and "0912345678" not in flagged.public_description
    public = client.get(reverse("fieldreports:detail", args=[flagged.code])).content.decode()
    assert "0912345678" not in public
    officer.post(action("hide"), {"reason": "Trùng lặp"})
    assert client.get(reverse("fieldreports:detail", args=[flagged.code])).status_code == 404
    officer.post(action("unhide"))
    assert client.get(reverse("fieldreports:detail", args=[flagged.code])).status_code == 200
    officer.post(action("transfer"), {"agency": agency_b.pk, "reason": "Thuộc phường Bạc Liêu"})
    flagged.refresh_from_db()
    assert flagged.agency == agency_b and flagged.status == ReportStatus.SUBMITTED
    assert officer.get(reverse("fieldreports:officer_detail", args=[flagged.code])).status_code == 404


def test_citizen_and_visitor_cannot_open_officer_pages(client, make_report, citizen):
    report = make_report()
    assert client.get(reverse("fieldreports:queue")).status_code == 302
    assert client_for(citizen).get(reverse("fieldreports:queue")).status_code == 404
    assert client_for(citizen).get(reverse("fieldreports:officer_detail", args=[report.code])).status_code == 404


def test_queue_query_count_does_not_grow(make_report, handler_a, django_assert_max_num_queries):
    for _ in range(2):
        make_report()
    client = client_for(handler_a)
    url = reverse("fieldreports:queue")
    client.get(url)
    with django_assert_max_num_queries(20) as small:
        client.get(url)
    for _ in range(5):
        make_report()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)
