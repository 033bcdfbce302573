"""Ratings of answered field reports (recorded when the reporter confirms, through `fieldreport.confirmed`)."""

import pytest
from django.utils import timezone

from motcua.core.errors import DomainError, NotFound
from motcua.fieldreports.models import FieldReport, ReportCategory
from motcua.ratings import services
from motcua.ratings.models import RatingRollup
from tests.factories import CitizenUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(commune_a, agency_a, specialist_a, citizen):
    category = ReportCategory.objects.create(code="duong-hu", name="Đường hư hỏng")
    return FieldReport.objects.create(
        code="PA-0001",
        category=category,
        title="Ổ gà trên đường ấp 2",
        description="Ổ gà lớn",
        lat=9.17,
        lon=105.15,
        unit=commune_a,
        agency=agency_a,
        assignee=specialist_a,
        reporter=citizen,
        submitted_at=timezone.now(),
    )


def test_reporter_rates_the_answer(report, citizen, specialist_a, agency_a):
    rating = services.rating_submit(field_report=report, actor=citizen, level=3, reason_codes=[], channel="portal")
    assert (rating.officer, rating.agency, rating.unit_id, rating.procedure) == (
        specialist_a,
        agency_a,
        report.unit_id,
        None,
    )
    rows = RatingRollup.objects.filter(subject="field_report")
    assert set(rows.values_list("dimension", flat=True)) == {"officer", "agency", "unit"}
    assert not RatingRollup.objects.filter(subject="dossier").exists()
    with pytest.raises(DomainError) as err:
        services.rating_submit(field_report=report, actor=citizen, level=4, channel="portal")
    assert err.value.code == "rating_already_done"


def test_only_the_reporter(report, commune_a):
    from tests.factories import PersonFactory

    other = CitizenUserFactory(person=PersonFactory(unit=commune_a))
    with pytest.raises(NotFound):
        services.rating_submit(field_report=report, actor=other, level=4, channel="portal")


def test_field_report_token(report):
    _invitation, token = services.invitation_create(field_report=report)
    rating = services.rating_submit(token=token, level=4, channel="sms")
    assert rating.field_report == report


def test_field_report_ratings_have_their_own_statistics(client, report, citizen, manager_a, specialist_a):
    services.rating_submit(field_report=report, actor=citizen, level=1, reason_codes=["cho-doi-lau"], channel="portal")
    client.force_login(manager_a)
    reports_page = client.get("/danh-gia/thong-ke/", {"doi_tuong": "phan-anh"}).content.decode()
    assert specialist_a.first_name in reports_page and "0,00%" in reports_page
    dossiers_page = client.get("/danh-gia/thong-ke/").content.decode()
    assert specialist_a.first_name not in dossiers_page


def test_openapi_lists_the_rating_operations(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/ratings/reasons",
        "/api/v1/ratings/token/{token}",
        "/api/v1/ratings/dossiers/{code}",
        "/api/v1/ratings/stats",
    ):
        assert path in paths
