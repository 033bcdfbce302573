"""Deep pages show a breadcrumb (block `breadcrumb` in base.html); other pages show none."""

import re

import pytest
from django.urls import reverse

from motcua.core.models import Role
from motcua.notifications.broadcasts import services as broadcasts
from tests.factories import FieldReportFactory, OfficerFactory, grant

pytestmark = pytest.mark.django_db
CRUMBS = re.compile(r'<nav class="breadcrumb" aria-label="Đường dẫn"><ol>(.*?)</ol></nav>', re.S)


def crumbs(client, url: str) -> list[tuple[str, str]]:
    response = client.get(url)
    assert response.status_code == 200
    found = CRUMBS.search(response.content.decode())
    assert found, f"no breadcrumb on {url}"
    return re.findall(r'<li(?: aria-current="page")?>(?:<a href="([^"]+)">)?([^<]+)', found.group(1))


def test_officer_dossier_detail(client, received_dossier, receptionist_a):
    client.force_login(receptionist_a)
    assert crumbs(client, reverse("dossiers:officer_detail", args=[received_dossier.code])) == [
        (reverse("core:workspace"), "Việc của tôi"),
        (reverse("dossiers:queue"), "Hồ sơ cần xử lý"),
        ("", received_dossier.code),
    ]


def test_payment_request_desk_page(client, pay_request, cashier_a):
    client.force_login(cashier_a)
    assert crumbs(client, reverse("payments:desk_request", args=[pay_request.reference]))[1:] == [
        (reverse("payments:desk"), "Thu phí"),
        ("", pay_request.reference),
    ]


def test_field_report_detail(client, commune_a, agency_a):
    handler = OfficerFactory()
    grant(handler, Role.REPORT_HANDLER, agency=agency_a)
    report = FieldReportFactory(unit=commune_a, agency=agency_a)
    client.force_login(handler)
    assert crumbs(client, reverse("fieldreports:officer_detail", args=[report.code]))[1:] == [
        (reverse("fieldreports:queue"), "Phản ánh cần xử lý"),
        ("", report.code),
    ]


def test_broadcast_detail(client, leader_a, commune_a):
    broadcast = broadcasts.broadcast_create(
        actor=leader_a, title="Tiêm chủng", body="Mời bà con.", unit_ids=[commune_a.pk]
    )
    client.force_login(leader_a)
    assert crumbs(client, reverse("broadcasts:detail", args=[broadcast.pk]))[1:] == [
        (reverse("broadcasts:list"), "Thông báo diện rộng"),
        ("", "Tiêm chủng"),
    ]


def test_household_detail_and_commune_progress(client, area):
    client.force_login(area.member_a)
    assert crumbs(client, reverse("outreach:household", args=[area.household_a1.pk])) == [
        (reverse("outreach:home"), "Tổ công nghệ số cộng đồng"),
        (reverse("outreach:households"), "Hộ gia đình"),
        ("", "Nguyễn Văn Bình"),
    ]
    client.force_login(area.leader_a)
    assert crumbs(client, reverse("outreach_progress:commune", args=[area.commune_a.code]))[1:] == [
        (reverse("outreach_progress:home"), "Tiến độ chuyển đổi số"),
        ("", area.commune_a.name),
    ]


def test_list_pages_have_no_breadcrumb(client, receptionist_a):
    client.force_login(receptionist_a)
    for url in (reverse("dossiers:queue"), reverse("core:workspace")):
        assert 'class="breadcrumb"' not in client.get(url).content.decode()
