import datetime

import pytest
from django.utils import timezone

from motcua.core.errors import NotFound
from motcua.fieldreports.models import FieldReport, RoutingRule
from motcua.fieldreports.selectors.reports import (
    PUBLIC_FIELDS,
    category_tree,
    report_get_for,
    report_get_public,
    report_list_for,
    report_public_dict,
    report_public_qs,
    reports_nearby,
)
from motcua.fieldreports.services.handling import report_act
from motcua.fieldreports.services.routing import route_agency
from tests.factories import AgencyFactory
from tests.fieldreports.conftest import POINT_A, POINT_B

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_reports(make_report, commune_b, agency_b, citizen2):
    a = make_report()
    b = make_report(lat=POINT_B[0], lon=POINT_B[1], unit=commune_b, reporter=citizen2)
    return a, b


def test_officer_sees_only_their_agency(two_reports, handler_a, handler_b):
    a, b = two_reports
    assert list(report_list_for(handler_a)) == [a]
    assert list(report_list_for(handler_b)) == [b]
    with pytest.raises(NotFound):
        report_get_for(handler_a, b.code)


def test_supervisor_sees_their_units_province_manager_all(two_reports, supervisor_a, province_manager):
    a, b = two_reports
    assert list(report_list_for(supervisor_a)) == [a]
    assert set(report_list_for(province_manager)) == {a, b}


def test_reporter_sees_only_their_own(two_reports, citizen, citizen2):
    a, b = two_reports
    assert list(report_list_for(citizen)) == [a]
    with pytest.raises(NotFound):
        report_get_for(citizen, b.code)
    assert report_get_for(citizen2, b.code) == b


def test_anonymous_user_sees_nothing_scoped(two_reports):
    from django.contrib.auth.models import AnonymousUser

    assert list(report_list_for(AnonymousUser())) == []


def test_public_output_has_no_reporter_contact(make_report):
    report = make_report(reporter_phone="0912345678", reporter_email="mai@example.vn", reporter_name="Trần Thị Mai")
    data = report_public_dict(report_get_public(report.code))
    assert not any(name.startswith("reporter") for name in PUBLIC_FIELDS)
    text = repr(data)
    assert "0912345678" not in text and "mai@example.vn" not in text and "Trần Thị Mai" not in text


def test_public_excludes_hidden_flagged_and_merged(make_report, handler_a):
    clean, flagged, merged = make_report(), make_report(description="SĐT 0912345678"), make_report()
    report_act(report=merged, actor=handler_a, action="merge", into=clean.code)
    assert list(report_public_qs()) == [clean]
    with pytest.raises(NotFound):
        report_get_public(flagged.code)


def test_nearby_same_category_open_recent_within_radius(make_report, categories, handler_a):
    here = make_report()
    make_report(lat=POINT_A[0] + 0.002)  # ~220 m away
    make_report(category=categories["tieng-on"])  # other category
    old = make_report()
    FieldReport.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=15))
    closed = make_report()
    report_act(report=closed, actor=handler_a, action="refuse", reason="out_of_scope")
    found = reports_nearby(category=categories["rac-thai"], lat=POINT_A[0] + 0.0002, lon=POINT_A[1])
    assert found == [here]


def test_category_tree_has_groups_with_leaves(categories):
    tree = category_tree()
    assert len(tree) == 10
    assert all(2 <= len(group.active_children) <= 4 for group in tree)
    assert tree[0].name == "Môi trường"


def test_routing_most_specific_wins(categories, commune_a, agency_a, police_a):
    leaf = categories["tu-tap-gay-roi"]
    assert route_agency(category=leaf, unit=commune_a) == agency_a  # default: commune committee
    province_dept = AgencyFactory(unit=commune_a.parent, name="Sở Xây dựng")
    RoutingRule.objects.create(unit=commune_a, agency=AgencyFactory(unit=commune_a, name="Ban quản lý"))
    RoutingRule.objects.create(category=leaf.parent, agency=province_dept)
    assert route_agency(category=leaf, unit=commune_a) == province_dept  # category beats unit alone
    RoutingRule.objects.create(category=leaf, unit=commune_a, agency=police_a)
    assert route_agency(category=leaf, unit=commune_a) == police_a  # category + unit beats all


def test_categories_loader_is_idempotent(categories):
    from motcua.fieldreports.services.setup import categories_load

    assert categories_load() == {"created": 0, "updated": 0, "unchanged": len(categories)}
