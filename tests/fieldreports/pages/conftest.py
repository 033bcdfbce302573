"""Fixtures for the field-report pages (on top of tests/fieldreports/conftest.py)."""

import pytest
from django.test import Client

from motcua.fieldreports.services.handling import report_act


@pytest.fixture(autouse=True)
def _no_tiles(settings):
    # Tests never fetch map tiles: an empty URL means "no tile layer"; the pages must still work.
    settings.MAP_TILE_URL = ""


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def answered_report(make_report, handler_a):
    report = make_report(reporter_phone="0912345678", reporter_name="Trần Thị Bí Mật")
    report = report_act(report=report, actor=handler_a, action="accept")
    return report_act(report=report, actor=handler_a, action="answer", text="Đã thu gom rác xong.", outcome="resolved")
