"""Pages, drill-down, exports and API of the index: who sees what, and what the downloads hold."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from motcua.serviceindex.services import rollups_rebuild

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(small_definition, march):
    rollups_rebuild()
    return march


def _get(client, user, url, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_leader_page_shows_the_score_and_costliest(client, data, leader_a):
    response = _get(client, leader_a, reverse("serviceindex:home"), ky="2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="total">48,00' in html or 'id="total">48.00' in html
    assert "<svg" in html  # the groups' bars and the trend
    # Commune A ranks 2nd of 2 communes (B has 72).
    assert "2/2" in html
    assert "chua-dat" in html  # the costliest sub-indicators link to their dossiers


@pytest.mark.parametrize("who", ["specialist_a", "citizen"])
def test_others_get_404(client, data, who, request):
    user = request.getfixturevalue(who)
    for name in ("serviceindex:home", "serviceindex:agencies", "serviceindex:communes"):
        assert _get(client, user, reverse(name)).status_code == 404
    assert (
        _get(client, user, reverse("serviceindex:drill", args=["on_time", "mau-so"]), ky="2026-03").status_code == 404
    )


def test_signed_out_goes_to_sign_in_but_public_page_is_open(client, data, citizen):
    assert _get(client, None, reverse("serviceindex:home")).status_code == 302
    response = _get(client, None, reverse("serviceindex:public"), ky="2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert "60,00" in html or "60.00" in html
    # No personal data and no records: the applicant's name and dossier codes are not shown.
    assert citizen.person.full_name not in html
    assert data[0].code not in html


def test_drill_down_lists_the_counted_dossiers_within_reach(client, data, leader_a, leader_b, agency_b):
    url = reverse("serviceindex:drill", args=["on_time", "chua-dat"])
    response = _get(client, leader_a, url, ky="2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    late = [d for d in data if d.finished_late]
    assert [d.code for d in data if d.code in html] == [late[0].code]
    # Numerator: the 3 on time; denominator: all 4 of agency A, none of B.
    html = _get(
        client, leader_a, reverse("serviceindex:drill", args=["on_time", "tu-so"]), ky="2026-03"
    ).content.decode()
    assert sum(d.code in html for d in data) == 3
    html = _get(
        client, leader_a, reverse("serviceindex:drill", args=["online_submitted", "mau-so"]), ky="2026-03"
    ).content.decode()
    assert sum(d.code in html for d in data) == 4 and not any(d.code in html for d in data[4:])
    # A commune leader cannot open another commune's figures.
    assert _get(client, leader_a, url, ky="2026-03", co_quan=agency_b.pk).status_code == 404
    # B's leader sees B's two dossiers only.
    html = _get(
        client, leader_b, reverse("serviceindex:drill", args=["online_submitted", "tu-so"]), ky="2026-03"
    ).content.decode()
    assert [d.code in html for d in data] == [False] * 4 + [True] * 2


def test_drill_refusals(client, data, leader_a):
    assert _get(client, leader_a, reverse("serviceindex:drill", args=["nope", "tu-so"])).status_code == 404
    assert _get(client, leader_a, reverse("serviceindex:drill", args=["on_time", "nope"])).status_code == 404
    assert _get(client, leader_a, reverse("serviceindex:drill", args=["not_counted", "tu-so"])).status_code == 404
    response = _get(client, leader_a, reverse("serviceindex:drill", args=["on_time", "tu-so"]), ky="2026-13")
    assert response.status_code == 422
    assert "Kỳ không hợp lệ" in response.content.decode()


def test_bad_period_on_a_page_says_so(client, data, leader_a):
    response = _get(client, leader_a, reverse("serviceindex:home"), ky="tháng ba")
    assert response.status_code == 422
    assert "Kỳ không hợp lệ" in response.content.decode()


def test_agency_comparison_by_reach(client, data, manager_province, leader_a, agency_a, agency_b):
    html = _get(client, manager_province, reverse("serviceindex:agencies"), ky="2026-03").content.decode()
    assert agency_a.name in html and agency_b.name in html
    html = _get(client, leader_a, reverse("serviceindex:agencies"), ky="2026-03").content.decode()
    assert agency_a.name in html and agency_b.name not in html
    html = _get(client, manager_province, reverse("serviceindex:communes"), ky="2026-03").content.decode()
    assert "Xã Tân Thành" in html and "Xã Lý Văn Lâm" in html


def test_csv_export_of_the_agency_table(client, data, manager_province, agency_a, agency_b):
    response = _get(client, manager_province, reverse("serviceindex:export", args=["co-quan", "csv"]), ky="2026-03")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == ["Hạng", "Mã", "Tên", "Tổng điểm", "Kỳ trước", "Thay đổi"]
    assert [r[:4] for r in rows[1:]] == [
        ["1", agency_b.code, agency_b.name, "72.00"],
        ["2", agency_a.code, agency_a.name, "48.00"],
    ]


def test_xlsx_export_of_the_summary(client, data, leader_a):
    response = _get(client, leader_a, reverse("serviceindex:export", args=["tong-hop", "xlsx"]), ky="2026-03")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    # on_time for agency A: 3 of 4, 75%, 30 of 40 points.
    assert rows["on_time"][3:10] == (3, 4, 75, 100, 40, 40, 30)
    assert rows["not_counted"][10] == "Chưa đo được"


def test_exports_refused_outside_reach(client, data, specialist_a):
    url = reverse("serviceindex:export", args=["co-quan", "xlsx"])
    assert _get(client, specialist_a, url).status_code == 404
    assert _get(client, specialist_a, reverse("serviceindex:export", args=["bad", "csv"])).status_code == 404
    # The public export needs no sign-in.
    client.logout()
    assert client.get(reverse("serviceindex:export", args=["cong-khai", "csv"]), {"ky": "2026-03"}).status_code == 200


def test_api_score_and_errors(client, data, leader_a, specialist_a):
    client.force_login(leader_a)
    body = client.get("/api/v1/index/score", {"ky": "2026-03"}).json()
    assert body["total"] == 48.0 and body["max_total"] == 120.0
    response = client.get("/api/v1/index/score", {"ky": "2026-13"})
    assert response.status_code == 422 and response.json()["code"] == "index_bad_period"
    rows = client.get("/api/v1/index/table", {"ky": "2026-03", "by": "unit"}).json()
    assert [r["total"] for r in rows] == [48.0]
    client.force_login(specialist_a)
    response = client.get("/api/v1/index/score")
    assert response.status_code == 404 and response.json()["code"] == "index_not_found"
    client.logout()
    assert client.get("/api/v1/index/public", {"ky": "2026-03"}).json()["total"] == 60.0


def test_a_row_opens_its_card_within_reach(client, data, leader_a, agency_a, agency_b, commune_a):
    url = reverse("serviceindex:home_of", args=["agency", agency_a.pk])
    response = _get(client, leader_a, url, ky="2026-03")
    assert response.status_code == 200
    assert 'id="total">48,00' in response.content.decode()
    assert _get(client, leader_a, reverse("serviceindex:home_of", args=["agency", agency_b.pk])).status_code == 404
    assert _get(client, leader_a, reverse("serviceindex:home_of", args=["unit", commune_a.pk])).status_code == 200
    assert _get(client, leader_a, reverse("serviceindex:home_of", args=["other", agency_a.pk])).status_code == 404


def test_definitions_page_lists_versions(client, data, leader_a):
    html = _get(client, leader_a, reverse("serviceindex:definitions")).content.decode()
    assert "Quyết định 766/QĐ-TTg ngày 23/6/2022" in html and "Văn bản thử" in html
    assert "cần rà soát" in html


def test_workspace_links_leader_to_the_index(leader_a):
    from motcua.portal.workspace import workspace_panels

    links = [url for panel in workspace_panels(leader_a) for _label, url in panel.links]
    assert reverse("serviceindex:home") in links
