"""The Open311 request lists and the public map's points are kept per process under a stamp of the
public report data: every change a visitor could see shows on the next request, and what is not
public never shows."""

import datetime
import json
from unittest import mock

import pytest
from django.utils import timezone

from motcua.fieldreports.models import FieldReport
from motcua.fieldreports.services.mapcells import mapcells_rebuild

from .conftest import SECRET_PHONE, make_report

pytestmark = pytest.mark.django_db

LIST = "/open311/v2/requests.json"
MAP = "/api/v1/phan-anh/ban-do?bbox=104.70,8.55,105.90,9.65&zoom=9"


def _ids(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200
    return [row["service_request_id"] for row in json.loads(response.content)]


def _points(client):
    mapcells_rebuild()  # what the services do in the same transaction as each change
    data = json.loads(client.get(MAP).content)
    assert data["k"] == "p"
    return {point[0]: point for point in data["p"]}


def test_the_request_list_follows_new_hidden_and_edited_reports(client, world):
    before = _ids(client)
    assert world.reports["hidden"].code not in before and world.reports["unreviewed"].code not in before
    assert _ids(client) == before  # kept

    first = make_report(world, "một", days_ago=0.5)
    assert _ids(client) == [first.code, *before]

    unreviewed = make_report(world, "chưa duyệt", days_ago=0.1, reviewed=False)
    assert _ids(client) == [first.code, *before]

    first.hidden, first.hidden_reason = True, "Nội dung không phù hợp"
    first.save()
    assert _ids(client) == before

    # An officer's review makes a report public: it shows at once.
    unreviewed.reviewed = True
    unreviewed.public_description = f"Rác thải, gọi {SECRET_PHONE}"
    unreviewed.save()
    assert _ids(client) == [unreviewed.code, *before]
    row = json.loads(client.get(LIST).content)[0]
    assert SECRET_PHONE not in row["description"] and "Rác thải" in row["description"]

    world.waste.name = "Rác thải, vệ sinh môi trường"
    world.waste.save()
    assert json.loads(client.get(LIST).content)[0]["service_name"] == "Rác thải, vệ sinh môi trường"


def test_the_default_window_moves_with_the_clock(client, world):
    old = make_report(world, "cũ", days_ago=89.5)
    before = _ids(client)
    assert old.code in before
    later = timezone.now() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        after = _ids(client)
    assert old.code not in after and after == [code for code in before if code != old.code]


def test_each_address_and_format_is_its_own_answer(client, world):
    water_before = _ids(client, f"{LIST}?service_code={world.water.code}")
    water = make_report(world, "nước", category=world.water, days_ago=0.5)
    every = _ids(client)
    assert _ids(client, f"{LIST}?service_code={world.water.code}") == [water.code, *water_before]
    assert _ids(client, f"{LIST}?page_size=1&page=2") == [every[1]]
    xml = client.get("/open311/v2/requests.xml").content.decode()
    assert water.code in xml and xml.startswith("<?xml")


def test_map_points_follow_hidden_overdue_and_edited_reports(client, world):
    first = make_report(world, "một")
    second = make_report(world, "hai")
    points = _points(client)
    assert {first.code, second.code} <= set(points)
    assert world.reports["hidden"].code not in points and world.reports["unreviewed"].code not in points
    assert points[first.code][5] == 0

    # The deadline sweep sets the flag without a save.
    FieldReport.objects.filter(pk=first.pk).update(overdue=True)
    assert _points(client)[first.code][5] == 1

    first.title = "Đèn đường hỏng"
    first.save()
    assert _points(client)[first.code][6] == "Đèn đường hỏng"

    second.hidden = True
    second.save()
    assert second.code not in _points(client)

    hidden_new = make_report(world, "ẩn", hidden=True)
    assert hidden_new.code not in _points(client)


def _fresh_map(bbox="104.70,8.55,105.90,9.65", zoom=9) -> bytes:
    from motcua.fieldreports.selectors import map as selectors_map

    data = selectors_map.map_data(bbox=selectors_map.parse_bbox(bbox), zoom=zoom)
    return selectors_map._encode(data)


def test_kept_map_answers_equal_fresh_ones(client, world):
    make_report(world, "một")
    mapcells_rebuild()
    first = client.get(MAP)
    assert first.status_code == 200 and json.loads(first.content)["k"] == "p"
    assert client.get(MAP).content == first.content == _fresh_map()  # kept, and as read afresh
    make_report(world, "hai")
    mapcells_rebuild()
    assert client.get(MAP).content == _fresh_map() != first.content


@pytest.mark.parametrize("limit_offset", [-1, 0])
def test_a_viewport_with_more_reports_than_the_stamp_reads_is_answered_fresh(client, world, monkeypatch, limit_offset):
    """At the closest zooms the map answers points however many; a stamp that read `POINT_LIMIT + 1`
    reports covers only part of the viewport, so such an answer is read every time (limit − 1: even
    a change made without a save shows), while one with every report inside counted is kept (limit)."""
    from motcua.fieldreports.selectors import map as selectors_map

    report = make_report(world, "một")
    mapcells_rebuild()
    street = "/api/v1/phan-anh/ban-do?bbox=104.70,8.55,105.90,9.65&zoom=18"
    inside = FieldReport.objects.filter(lat__range=(8.55, 9.65), lon__range=(104.70, 105.90)).count()
    monkeypatch.setattr(selectors_map, "POINT_LIMIT", inside + limit_offset)
    first = client.get(street).content
    assert first == _fresh_map(zoom=18) and report.code in first.decode()
    FieldReport.objects.filter(pk=report.pk).update(title="Đèn tín hiệu hỏng")  # no save: updated_at stays
    answer = client.get(street).content.decode()
    assert ("Đèn tín hiệu hỏng" in answer) == (limit_offset < 0)
    report.title = "Cột điện nghiêng"
    report.save()
    assert "Cột điện nghiêng" in client.get(street).content.decode()


def test_a_deleted_report_leaves_the_kept_list_at_once(client, world):
    report = make_report(world, "xoá", days_ago=2)
    assert report.code in _ids(client)
    assert report.code in _ids(client, f"{LIST}?service_request_id={report.code}")
    FieldReport.objects.filter(pk=report.pk).delete()  # nothing newer is saved: the window's count drops
    assert report.code not in _ids(client)
    assert _ids(client, f"{LIST}?service_request_id={report.code}") == []
