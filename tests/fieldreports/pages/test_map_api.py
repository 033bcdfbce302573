"""The map data endpoint: clusters from MapCell at wide zooms, points close up, filters, bounded queries."""

import json
import random

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.fieldreports.models import FieldReport, ReportStatus
from motcua.fieldreports.selectors.map import POINT_LIMIT
from motcua.fieldreports.services.mapcells import mapcells_rebuild
from tests.factories import AgencyFactory, FieldReportFactory

PROVINCE_BBOX = "104.7,8.55,105.9,9.65"
URL = "/api/v1/phan-anh/ban-do"


def _bulk(n, *, category, unit, agency, lat0=9.17, lon0=105.15, spread=0.3, seed=1, **fields):
    rng = random.Random(seed)
    now = timezone.now()
    start = FieldReport.objects.count()
    rows = [
        FieldReportFactory.build(
            code=f"PA-990101-{start + i:05d}",
            category=category,
            unit=unit,
            agency=agency,
            submitted_at=now,
            lat=lat0 + rng.uniform(-spread, spread),
            lon=lon0 + rng.uniform(-spread, spread),
            **fields,
        )
        for i in range(n)
    ]
    FieldReport.objects.bulk_create(rows, batch_size=500)
    mapcells_rebuild()


@pytest.fixture
def many(categories, commune_a, agency_a):
    _bulk(POINT_LIMIT + 100, category=categories["rac-thai"], unit=commune_a, agency=agency_a)


def _get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_url_is_the_documented_one():
    assert reverse("api:fieldreports_map") == URL


def test_wide_viewport_returns_clusters_with_counts(client, many, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        data = _get(client, bbox=PROVINCE_BBOX, zoom=9)
    assert data["k"] == "c"
    assert data["n"] == POINT_LIMIT + 100 == sum(c[2] for c in data["c"])
    assert all(8.5 < c[0] < 9.7 and 104.7 < c[1] < 105.9 for c in data["c"])
    assert len(data["c"]) <= 64 * 64


def test_close_viewport_returns_points_without_contact(client, make_report):
    report = make_report(reporter_phone="0912345678")
    lat, lon = report.lat, report.lon
    bbox = f"{lon - 0.005},{lat - 0.005},{lon + 0.005},{lat + 0.005}"
    response = client.get(URL, {"bbox": bbox, "zoom": 17})
    data = json.loads(response.content)
    assert data["k"] == "p" and data["n"] == 1
    code, plat, plon, category, status, overdue, title = data["p"][0]
    assert code == report.code and category == "rac-thai" and status == "submitted" and overdue == 0
    assert abs(plat - lat) < 1e-5 and abs(plon - lon) < 1e-5
    body = response.content.decode()
    assert "0912345678" not in body and report.reporter.person.full_name not in body
    assert response["Cache-Control"].startswith("public")


def test_few_reports_in_a_wide_viewport_are_points(client, make_report):
    report = make_report()
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9)
    assert data["k"] == "p" and [p[0] for p in data["p"]] == [report.code]


def test_filters_category_status_use_the_rollup(client, many, categories, commune_a, agency_a):
    _bulk(10, category=categories["tieng-on"], unit=commune_a, agency=agency_a, seed=2, status=ReportStatus.CLOSED)
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, category="tieng-on")
    assert data["k"] == "p" and data["n"] == 10
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, status="closed")
    assert data["n"] == 10
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, status="open")
    assert data["k"] == "c" and data["n"] == POINT_LIMIT + 100
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, category="moi-truong")  # a group: both its leaves
    assert data["n"] == POINT_LIMIT + 110


def test_commune_and_period_filters_fall_back_to_sql_grouping(
    client, many, categories, commune_b, django_assert_max_num_queries
):
    agency_b = AgencyFactory(unit=commune_b)
    _bulk(POINT_LIMIT + 1, category=categories["rac-thai"], unit=commune_b, agency=agency_b, seed=3)
    with django_assert_max_num_queries(3):
        data = _get(client, bbox=PROVINCE_BBOX, zoom=9, unit=commune_b.pk)
    assert data["k"] == "c" and data["n"] == POINT_LIMIT + 1
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, date_from="2000-01-01", date_to="2000-12-31")
    assert data["k"] == "p" and data["n"] == 0
    some = list(FieldReport.objects.filter(unit=commune_b).values_list("pk", flat=True)[:3])
    FieldReport.objects.filter(pk__in=some).update(overdue=True)
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9, status="overdue")
    assert data["k"] == "p" and data["n"] == 3 and all(p[5] == 1 for p in data["p"])


def test_hidden_and_unreviewed_are_not_on_the_map(client, make_report, handler_a):
    from motcua.fieldreports.services.handling import report_act

    hidden = make_report()
    report_act(report=hidden, actor=handler_a, action="hide", reason="Sai")
    make_report(description="Gọi 0912345678 ngay")  # flagged: waits for review
    data = _get(client, bbox=PROVINCE_BBOX, zoom=9)
    assert data["n"] == 0 and data["p"] == []


def test_cluster_query_count_is_flat(client, categories, commune_a, agency_a, django_assert_num_queries):
    _bulk(POINT_LIMIT + 10, category=categories["rac-thai"], unit=commune_a, agency=agency_a, seed=4)
    with django_assert_num_queries(1):
        small = _get(client, bbox=PROVINCE_BBOX, zoom=9)
    _bulk(POINT_LIMIT * 2, category=categories["rac-thai"], unit=commune_a, agency=agency_a, seed=5)
    with django_assert_num_queries(1):
        big = _get(client, bbox=PROVINCE_BBOX, zoom=9)
    assert small["k"] == big["k"] == "c" and big["n"] == POINT_LIMIT * 3 + 10


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"bbox": "1,2,3"}, "bbox_invalid"),
        ({"bbox": "105,9,104,10"}, "bbox_invalid"),
        ({"bbox": "a,b,c,d"}, "bbox_invalid"),
        ({"bbox": "nan,1,2,3"}, "bbox_invalid"),
        ({"bbox": PROVINCE_BBOX, "category": "khong-co"}, "category_invalid"),
        ({"bbox": PROVINCE_BBOX, "status": "xyz"}, "status_invalid"),
        ({"bbox": PROVINCE_BBOX, "date_from": "hôm qua"}, "period_invalid"),
    ],
)
def test_bad_parameters_are_422_with_a_code(client, categories, params, code):
    response = client.get(URL, params)
    assert response.status_code == 422
    assert json.loads(response.content)["code"] == code


def test_dense_street_stays_clustered_until_the_closest_zoom(client, categories, commune_a, agency_a):
    _bulk(POINT_LIMIT + 20, category=categories["rac-thai"], unit=commune_a, agency=agency_a, spread=0.002, seed=6)
    street = "105.146,9.164,105.154,9.176"
    data = _get(client, bbox=street, zoom=16)
    assert data["k"] == "c" and data["l"] == 12 and data["n"] == POINT_LIMIT + 20
    data = _get(client, bbox=street, zoom=18)
    assert data["k"] == "p" and len(data["p"]) == POINT_LIMIT and data["more"] is True
