"""The calendar admin's year filter reads a year a date can hold; anything else lists every row."""

import datetime

import pytest

from motcua.core.models import CalendarOverride, OverrideKind
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/quan-tri/core/calendaroverride/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


@pytest.fixture
def rows(db):
    for day in (datetime.date(2026, 3, 11), datetime.date(2027, 3, 11)):
        CalendarOverride.objects.create(date=day, kind=OverrideKind.DAY_OFF, reason=f"Nghỉ thử {day.year}")


def test_a_year_filters_the_rows(admin_client, rows):
    page = admin_client.get(URL, {"nam": "2027"}).content.decode()
    assert "Nghỉ thử 2027" in page and "Nghỉ thử 2026" not in page


@pytest.mark.parametrize("year", ["²", "٣", "0", "10000", "999999999999999999"])
def test_a_year_no_date_holds_is_no_filter(admin_client, rows, year):
    page = admin_client.get(URL, {"nam": year}).content.decode()
    assert "Nghỉ thử 2027" in page and "Nghỉ thử 2026" in page
