"""Office statistics: received, finished on time / late, in progress on time / overdue, by procedure."""

import datetime

import pytest
from django.urls import reverse

from motcua.core.errors import NotFound
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.selectors import stats as selectors_stats
from tests.dossiers.conftest import MONDAY_10
from tests.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOW = MONDAY_10 + 10 * DAY  # 2026-03-26


@pytest.fixture
def figures(make_dossier, agency_b):
    other = ProcedureFactory(name="Chứng thực bản sao", code="9.999001")
    r = MONDAY_10
    # Finished on time, finished late (flag), late by two supplement requests, late unflagged past due.
    make_dossier(
        status=DossierStatus.RETURNED, received_at=r, due_at=r + 3 * DAY, resolved_at=r + 2 * DAY, finished_late=False
    )
    make_dossier(
        status=DossierStatus.RESOLVED, received_at=r, due_at=r + 3 * DAY, resolved_at=r + 5 * DAY, finished_late=True
    )
    make_dossier(
        status=DossierStatus.RETURNED,
        received_at=r,
        due_at=r + 3 * DAY,
        resolved_at=r + 2 * DAY,
        finished_late=False,
        supplement_count=2,
        procedure=other,
    )
    make_dossier(status=DossierStatus.RESOLVED, received_at=r, due_at=r + 3 * DAY, resolved_at=r + 4 * DAY)
    # In progress: on time, overdue, and paused past the date (not overdue: waiting for the citizen).
    make_dossier(status=DossierStatus.PROCESSING, received_at=r + DAY, due_at=NOW + DAY)
    make_dossier(status=DossierStatus.PROCESSING, received_at=r + DAY, due_at=NOW - DAY, procedure=other)
    make_dossier(status=DossierStatus.SUPPLEMENT_REQUESTED, received_at=r + DAY, due_at=NOW - DAY)
    # Outside the period, another agency, not received.
    make_dossier(status=DossierStatus.RETURNED, received_at=r - 40 * DAY, due_at=r - 37 * DAY, resolved_at=r - 38 * DAY)
    make_dossier(status=DossierStatus.PROCESSING, receiving_agency=agency_b, received_at=r, due_at=NOW + DAY)
    make_dossier(status=DossierStatus.REGISTERED)
    return other


def test_figures(figures, leader_a, agency_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        stats = selectors_stats.office_statistics(
            leader_a,
            agency=agency_a,
            date_from=datetime.date(2026, 3, 1),
            date_to=datetime.date(2026, 3, 31),
            now=NOW,
        )
    assert stats["received"] == 7
    assert (stats["finished_on_time"], stats["finished_late"]) == (1, 3)
    assert (stats["in_progress_on_time"], stats["in_progress_overdue"]) == (2, 1)
    rows = {row["procedure_name"]: row for row in stats["by_procedure"]}
    assert rows["Chứng thực bản sao"]["finished_late"] == 1
    assert rows["Chứng thực bản sao"]["in_progress_overdue"] == 1
    assert rows["Đăng ký khai sinh"]["received"] == 5
    assert sum(row["received"] for row in rows.values()) == stats["received"]


def test_other_commune_is_not_found(figures, leader_b, agency_a):
    with pytest.raises(NotFound):
        selectors_stats.office_statistics(
            leader_b, agency=agency_a, date_from=datetime.date(2026, 3, 1), date_to=datetime.date(2026, 3, 31)
        )


def test_api_and_page(client, figures, leader_a, leader_b, agency_a):
    params = {"agency": agency_a.code, "from": "2026-03-01", "to": "2026-03-31"}
    assert client.get("/api/v1/dossiers/stats", params).status_code == 401
    client.force_login(leader_a)
    body = client.get("/api/v1/dossiers/stats", params).json()
    assert body["agency"] == agency_a.code and body["received"] == 7 and body["finished"] == 4
    page = client.get(reverse("dossiers:stats"), params)
    assert page.status_code == 200 and "Chứng thực bản sao" in page.content.decode()
    client.force_login(leader_b)
    assert client.get("/api/v1/dossiers/stats", params).status_code == 404
    assert client.get("/api/v1/dossiers/stats", {**params, "from": "nope"}).status_code == 422
