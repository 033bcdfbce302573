"""Progress pages and the Excel export: access across communes, the export's cells, query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.models import AuditEvent, Role
from motcua.outreach.progress.services import target_set
from tests.factories import HamletFactory, OfficerFactory, UserFactory, grant
from tests.outreach.test_progress import World, at


@pytest.fixture
def world(db):
    w = World()
    w.visit(w.m1, "h1a", at(1), achieved=[("dvc_account", 0), ("citizen_app", 0)])
    w.visit(w.m2, "h2a", at(2), achieved=[("cashless", 0)])
    w.visit(w.mb, "b1", at(3))
    return w


def officer(role, unit):
    user = OfficerFactory()
    grant(user, role, unit=unit)
    return user


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"outreach_progress:{name}", args=args))


@pytest.mark.django_db
def test_commune_leader_sees_their_commune_only(client, world):
    leader = officer(Role.LEADER, world.a)
    page = get(client, leader, "commune", world.a.code)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Khóm 1" in html and "Tổ khóm 1" in html and "<svg" in html and 'data-figure="reached">2 (40,0%)' in html
    # No household names on the page: aggregates only.
    assert "Chủ hộ" not in html
    assert get(client, leader, "commune", world.b.code).status_code == 404
    assert get(client, leader, "province").status_code == 404
    assert get(client, leader, "home").url == reverse("outreach_progress:commune", args=[world.a.code])


@pytest.mark.django_db
def test_provincial_manager_sees_aggregates_of_every_commune(client, world):
    manager = officer(Role.MANAGER, world.province)
    page = get(client, manager, "province")
    assert page.status_code == 200
    html = page.content.decode()
    assert world.a.name in html and world.b.name in html and "Chủ hộ" not in html
    assert get(client, manager, "commune", world.b.code).status_code == 200
    assert get(client, manager, "home").url == reverse("outreach_progress:province")


@pytest.mark.django_db
def test_a_member_sees_their_area_only(client, world):
    page = get(client, world.m1, "commune", world.a.code)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Khóm 1" in html and "Khóm 2" not in html and "Tổ phường" not in html
    assert page.context["households"] == 3 and page.context["reached"] == 1
    assert get(client, world.m1, "commune", world.b.code).status_code == 404
    assert get(client, world.m1, "province").status_code == 404
    # Members see figures of their area, but exports are for managers.
    assert get(client, world.m1, "commune_export", world.a.code).status_code == 403
    stranger = UserFactory()
    assert get(client, stranger, "commune", world.a.code).status_code == 404


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get(reverse("outreach_progress:commune", args=[world.a.code]))
    assert response.status_code == 302 and "/dang-nhap/" in response.url


@pytest.mark.django_db
def test_export_needs_the_manager_role_and_is_logged(client, world):
    leader = officer(Role.LEADER, world.a)
    assert get(client, leader, "commune_export", world.a.code).status_code == 403
    assert not AuditEvent.objects.filter(action="outreach_progress_export").exists()
    manager = officer(Role.MANAGER, world.a)
    target_set(actor=manager, unit=world.a, ends_on=datetime.date(2026, 12, 31), value=80)
    response = get(client, manager, "commune_export", world.a.code)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Theo ấp", "Theo tổ", "Theo chỉ tiêu"]
    ws = wb["Theo ấp"]
    assert ws["A4"].value == "BÁO CÁO TIẾN ĐỘ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG"
    assert ws["A5"].value == f"Đơn vị: {world.a.name}"
    assert ws["A6"].value.startswith("Số liệu lũy kế đến ngày")
    assert [c.value for c in ws[8]] == ["Hạng", "Ấp, khóm", "Số hộ", "Hộ được tiếp cận", "Tỷ lệ", "Lượt hỗ trợ"]
    assert [c.value for c in ws[9]] == [1, "Khóm 2", 2, 1, 0.5, 1]
    assert [c.value for c in ws[10]] == [2, "Khóm 1", 3, 1, 0.333, 1]
    assert [c.value for c in ws[11]] == [None, "Tổng cộng", 5, 2, 0.4, 2]
    assert ws["E11"].number_format == "0.0%"
    indicators = wb["Theo chỉ tiêu"]
    last = [c.value for c in indicators[indicators.max_row]]
    # Households reached: 2 of a plan of 80% x 5 = 4 households.
    assert last[1:] == ["Hộ được tiếp cận", 2, 2, 0.4, 4, 0.5]
    event = AuditEvent.objects.get(action="outreach_progress_export")
    assert event.actor == manager and event.data == {"unit": world.a.code, "page": "commune"}


@pytest.mark.django_db
def test_province_export_has_a_row_per_commune_and_totals(client, world):
    manager = officer(Role.MANAGER, world.province)
    response = get(client, manager, "province_export")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["B9"].value == world.b.name and ws["G9"].value == 0.5
    assert [c.value for c in ws[11]] == [None, "Toàn tỉnh", 3, 3, 7, 3, 0.429, 1, 1, 1]
    assert AuditEvent.objects.filter(action="outreach_progress_export", data__page="province").count() == 1


@pytest.mark.django_db
def test_a_commune_leader_sets_a_target_from_the_page(client, world):
    leader = officer(Role.LEADER, world.a)
    client.force_login(leader)
    url = reverse("outreach_progress:targets", args=[world.a.code])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "share", "value": "85", "ends_on": "2026-12-31"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "85%" in page
    bad = client.post(url, {"kind": "share", "value": "185", "ends_on": "2026-12-31"})
    assert bad.status_code == 200 and "không được vượt quá 100%" in bad.content.decode()
    client.force_login(world.m1)
    assert client.post(url, {"kind": "share", "value": "85", "ends_on": "2026-12-31"}).status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_commune_page_query_count_is_pinned(client, world):
    leader = officer(Role.MANAGER, world.a)
    target_set(actor=leader, unit=world.a, ends_on=datetime.date(2026, 12, 31), value=80)
    client.force_login(leader)
    url = reverse("outreach_progress:commune", args=[world.a.code])
    first = count_queries(client, url)
    for n in range(4):
        hamlet = HamletFactory(unit=world.a, name=f"Khóm mới {n}")
        world.households[f"n{n}"] = world.household(world.a, hamlet, f"n{n}")
        world.visit(world.m2, f"n{n}", at(n + 5), achieved=[("dvc_account", 0)])
    # 12 for the page, 2 for the navigation's portal items (roles with units, team memberships).
    assert count_queries(client, url) == first == 14


@pytest.mark.django_db
def test_province_page_query_count_is_pinned(client, world):
    manager = officer(Role.MANAGER, world.province)
    client.force_login(manager)
    url = reverse("outreach_progress:province")
    first = count_queries(client, url)
    world.visit(world.mb, "b2", at(9))
    # 13 for the page, 2 for the navigation's portal items (roles with units, team memberships).
    assert count_queries(client, url) == first == 15
