"""Public pages: map, list with filters, one report, statistics; never the reporter's identity."""

import datetime

import pytest
from django.urls import reverse

from motcua.fieldreports.models import FieldReport
from motcua.fieldreports.services.handling import report_act

from ..conftest import POINT_B


@pytest.mark.django_db
def test_map_page_renders_without_tiles(client, service_area, categories):
    response = client.get(reverse("fieldreports:map"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="fr-map"' in html and 'data-tiles=""' in html
    assert "fieldreports/map.js" in html and "vendor/leaflet/leaflet.js" in html
    assert "cdn" not in html.lower()


def test_public_page_has_answer_but_never_the_reporter(client, answered_report):
    report = answered_report
    assert report.reporter_name == "Trần Thị Bí Mật" and report.reporter_phone
    html = client.get(reverse("fieldreports:detail", args=[report.code])).content.decode()
    assert report.title in html
    assert "Đã thu gom rác xong." in html
    assert "Trần Thị Bí Mật" not in html
    assert report.reporter_phone not in html
    assert report.reporter.person.full_name not in html
    assert "Cơ quan trả lời" in html  # public history


def test_hidden_and_unreviewed_reports_are_not_public(client, make_report, handler_a):
    flagged = make_report(description="Gọi tôi số 0912345678 nhé, rác quá nhiều")
    assert not flagged.reviewed
    assert client.get(reverse("fieldreports:detail", args=[flagged.code])).status_code == 404
    public = make_report()
    report_act(report=public, actor=handler_a, action="hide", reason="Sai sự thật")
    assert client.get(reverse("fieldreports:detail", args=[public.code])).status_code == 404
    listing = client.get(reverse("fieldreports:list")).content.decode()
    assert public.code not in listing and flagged.code not in listing


def test_list_filters_and_overdue_mark(client, make_report, categories, commune_b, agency_b, handler_a):
    trash = make_report()
    light = make_report(category=categories["den-duong-hong"], lat=POINT_B[0], lon=POINT_B[1], unit=commune_b)
    FieldReport.objects.filter(pk=light.pk).update(overdue=True)
    url = reverse("fieldreports:list")
    html = client.get(url).content.decode()
    assert trash.code in html and light.code in html
    assert "fr-item-overdue" in html and "Quá hạn" in html
    html = client.get(url, {"unit": commune_b.pk}).content.decode()
    assert light.code in html and trash.code not in html
    html = client.get(url, {"status": "overdue"}).content.decode()
    assert light.code in html and trash.code not in html
    html = client.get(url, {"category": "moi-truong"}).content.decode()  # a group: its leaves
    assert trash.code in html and light.code not in html
    report_act(report=trash, actor=handler_a, action="accept")
    html = client.get(url, {"status": "accepted"}).content.decode()
    assert trash.code in html and light.code not in html
    future = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    html = client.get(url, {"from": future}).content.decode()
    assert trash.code not in html and light.code not in html


def test_list_query_count_does_not_grow(client, make_report, django_assert_max_num_queries):
    for _ in range(3):
        make_report()
    url = reverse("fieldreports:list")
    with django_assert_max_num_queries(8) as small:
        client.get(url)
    for _ in range(6):
        make_report()
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_statistics_per_category_and_commune(client, answered_report, make_report):
    make_report()
    response = client.get(reverse("fieldreports:stats"))
    assert response.status_code == 200
    stats = response.context
    row = next(r for r in stats["by_category"] if r.key == answered_report.category_id)
    assert row.total == 2 and row.answered == 1 and row.open == 1
    assert row.on_time == 1 and row.on_time_rate == 100.0 and row.answer_hours is not None
    unit_row = next(r for r in stats["by_unit"] if r.key == answered_report.unit_id)
    assert unit_row.total == 2
    assert stats["total"].total == 2
    html = response.content.decode()
    assert answered_report.category.name in html and answered_report.unit.name in html


def test_public_report_page_query_count_is_fixed(client, answered_report, django_assert_max_num_queries):
    url = reverse("fieldreports:detail", args=[answered_report.code])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
