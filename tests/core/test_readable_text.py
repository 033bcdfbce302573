"""Issue #14: one way to write a person's name, a date and a point on the map."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from motcua.core.models import User
from motcua.core.text import display_name, format_coordinates

TZ = timezone.get_fixed_timezone(7 * 60)


def test_full_name_is_family_middle_given():
    assert User(first_name="Hải", last_name="Nguyễn Hoàng").get_full_name() == "Nguyễn Hoàng Hải"
    # Citizens' accounts hold the whole name in first_name.
    assert User(first_name="Nguyễn Văn An", last_name="").get_full_name() == "Nguyễn Văn An"
    assert User(first_name=" Mai ", last_name=" Trần Thị ").get_full_name() == "Trần Thị Mai"
    assert User(first_name="", last_name="").get_full_name() == ""


def test_display_name_falls_back_to_the_username():
    assert display_name(User(username="canbo01", first_name="Hải", last_name="Nguyễn Hoàng")) == "Nguyễn Hoàng Hải"
    assert display_name(User(username="canbo01")) == "canbo01"
    assert display_name(None) == ""


def test_display_name_filter():
    template = Template("{% load records %}[{{ user|display_name }}][{{ nobody|display_name }}]")
    user = User(username="u", first_name="Hải", last_name="Nguyễn Hoàng")
    assert template.render(Context({"user": user, "nobody": None})) == "[Nguyễn Hoàng Hải][]"


@pytest.mark.parametrize(
    ("lat", "lon", "text"),
    [
        (9.1769, 105.1524, "9.17690, 105.15240"),
        (Decimal("8.6"), Decimal("104.7"), "8.60000, 104.70000"),
        ("9.5", "105", "9.50000, 105.00000"),
        (-0.000001, 0, "-0.00000, 0.00000"),
        (None, 105.1, ""),
        ("abc", 105.1, ""),
    ],
)
def test_coordinates(lat, lon, text):
    assert format_coordinates(lat, lon) == text


def test_coordinates_filter_on_a_record_and_on_two_values():
    class Place:
        lat, lon = 9.1769, 105.1524

    template = Template("{% load records %}{{ place|coordinates }}|{{ lat|coordinates:lon }}")
    assert template.render(Context({"place": Place(), "lat": 9.1, "lon": 105.2})) == (
        "9.17690, 105.15240|9.10000, 105.20000"
    )


def test_dates_are_day_month_year_and_times_24_hours(settings):
    settings.LANGUAGE_CODE = "vi"
    moment = datetime.datetime(2026, 3, 5, 15, 7, tzinfo=TZ)
    rendered = Template("{{ d|date }}|{{ d|date:'SHORT_DATETIME_FORMAT' }}|{{ day }}|{{ d|time }}").render(
        Context({"d": moment, "day": datetime.date(2026, 3, 5)})
    )
    assert rendered == "05/03/2026|05/03/2026 15:07|05/03/2026|15:07"
