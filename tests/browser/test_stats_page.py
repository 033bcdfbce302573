"""The managers' statistics page on a phone: figures, server-drawn charts and tables readable (the page
has no script of its own), no serious accessibility findings, and a figure's link opens its dossiers."""

import datetime

import pytest

from motcua.core.models import Role
from motcua.dossiers.models import Channel, DossierStatus
from tests.browser.conftest import assert_no_serious_axe_violations, sign_in
from tests.dossiers.conftest import (  # noqa: F401 (fixtures)
    TZ,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    make_dossier,
    office_a,
    procedure,
    province,
)
from tests.factories import OfficerFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_reads_the_figures_on_a_phone(page, live_server, province, make_dossier, agency_b):  # noqa: F811
    manager = OfficerFactory(username="manager_browser")
    grant(manager, Role.MANAGER, unit=province)
    received = datetime.datetime(2026, 3, 16, 10, tzinfo=TZ)
    for late in (False, True, False):
        make_dossier(
            status=DossierStatus.RETURNED,
            channel=Channel.COUNTER,
            received_at=received,
            due_at=received + datetime.timedelta(days=3),
            resolved_at=received + datetime.timedelta(days=5 if late else 1),
        )
    make_dossier(status=DossierStatus.PROCESSING, receiving_agency=agency_b, received_at=received, due_at=received)
    sign_in(page, live_server, manager)
    page.goto(f"{live_server.url}/ho-so/can-bo/thong-ke/?period=year&year=2026")
    text = page.locator("body").inner_text()
    assert "Tỉnh Cà Mau" in text and "Xếp hạng cơ quan" in text and "12 tháng gần nhất" in text
    assert page.get_by_role("group", name="Xếp hạng cơ quan: Tỷ lệ đúng hạn").count() == 1
    # The page itself does not scroll sideways on a phone; wide tables scroll inside their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_serious_axe_violations(page)
    page.locator(".stats-totals li", has_text="Giải quyết trễ hạn").get_by_role("link").click()
    page.wait_for_url("**measure=finished_late**")
    assert page.locator("table.queue tbody tr").count() == 1
