"""Average handling time against the limit (`avg_time`), worked by hand: the rate is the minutes
allowed over the minutes used, summed over the dossiers finished in the month (from the start of
their clock, or their reception, to their due date and to their resolution)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from motcua.dossiers.models import DossierStatus
from motcua.serviceindex.measures import time_weights
from motcua.serviceindex.models import IndexMark, IndexRollup
from motcua.serviceindex.periods import Period
from motcua.serviceindex.selectors import card_for, figures_for
from motcua.serviceindex.services import dossier_cells_refresh, rollups_rebuild

from .conftest import at

pytestmark = pytest.mark.django_db

MARCH = Period(kind="month", start=datetime.date(2026, 3, 1), months=1)
DAY = 24 * 60  # minutes


@pytest.fixture
def finished(make_dossier, agency_b):
    """Agency A, March 2026 (all times 08:00):
      1. clock from 2/3, due 12/3, resolved 7/3:  allowed 10 days, used 5 days
      2. clock from 2/3, due 6/3, resolved 15/3:  allowed 4 days, used 13 days (late)
      3. no clock start (reception 9/3), due 11/3, resolved 11/3 08:00: allowed 2, used 2 (at the limit)
      4. resolved 10/3 without a due date: not counted
    Agency B: one dossier resolved in March, allowed 1 day, used 1 day (another cell).
    Agency A: allowed 16 days, used 20 days -> 16/20 = 80%."""

    def make(received, clock, due, resolved, **extra):
        return make_dossier(
            status=DossierStatus.RESOLVED, received_at=received, clock_started_at=clock, due_at=due,
            resolved_at=resolved, **extra,
        )  # fmt: skip

    return [
        make(at("2026-03-02", 8), at("2026-03-02", 8), at("2026-03-12", 8), at("2026-03-07", 8)),
        make(at("2026-03-02", 8), at("2026-03-02", 8), at("2026-03-06", 8), at("2026-03-15", 8), finished_late=True),
        make(at("2026-03-09", 8), None, at("2026-03-11", 8), at("2026-03-11", 8)),
        make(at("2026-03-02", 8), at("2026-03-02", 8), None, at("2026-03-10", 8)),
        make(
            at("2026-03-03", 8),
            at("2026-03-03", 8),
            at("2026-03-04", 8),
            at("2026-03-04", 8),
            receiving_agency=agency_b,
        ),
    ]


def test_time_weights_by_hand():
    assert time_weights(at("2026-03-02", 8), at("2026-03-01", 8), at("2026-03-12", 8), at("2026-03-07", 8)) == (
        10 * DAY,
        5 * DAY,
    )
    # No clock start: from the reception. A date missing: nothing.
    assert time_weights(None, at("2026-03-09", 8), at("2026-03-11", 8), at("2026-03-11", 8)) == (2 * DAY, 2 * DAY)
    assert time_weights(None, at("2026-03-09", 8), None, at("2026-03-11", 8)) == (0, 0)
    assert time_weights(None, at("2026-03-09", 8), at("2026-03-11", 8), None) == (0, 0)


def test_avg_time_worked_by_hand_incremental_equals_rebuilt(finished, agency_a, agency_b):
    for dossier in finished:
        dossier_cells_refresh(dossier)
    cell = IndexRollup.objects.get(agency=agency_a, measure="avg_time", month="2026-03-01")
    assert (cell.numerator, cell.denominator) == (2, 3)  # within the limit / finished with a limit
    assert (cell.weight_numerator, cell.weight_denominator) == (16 * DAY, 20 * DAY)
    other = IndexRollup.objects.get(agency=agency_b, measure="avg_time", month="2026-03-01")
    assert (other.weight_numerator, other.weight_denominator) == (DAY, DAY)
    assert not IndexMark.objects.filter(dossier=finished[3], measure="avg_time").exists()

    def snapshot():
        cells = IndexRollup.objects.filter(measure="avg_time").values_list(
            "agency_id", "month", "numerator", "denominator", "weight_numerator", "weight_denominator"
        )
        marks = IndexMark.objects.filter(measure="avg_time").values_list(
            "dossier_id", "month", "numerator", "weight_numerator", "weight_denominator"
        )
        return sorted(cells), sorted(marks)

    incremental = snapshot()
    rollups_rebuild()
    assert snapshot() == incremental

    # The score: the shipped definition (766) gives avg_time 6 points at a target of 100%:
    # 80% -> 80/100 x 6 = 4.8 points before the group's re-weighting.
    assert figures_for(MARCH, [agency_a.pk])["avg_time"] == (16 * DAY, 20 * DAY)
    item = next(i for i in card_for(MARCH, [agency_a.pk]).indicators() if i.indicator.measure == "avg_time")
    assert item.measured and item.rate == Decimal("80.00") and item.raw == Decimal("4.8")
    # The province: (16 + 1) / (20 + 1) days.
    assert figures_for(MARCH)["avg_time"] == (17 * DAY, 21 * DAY)

    # A later event moving dossier 2's resolution back to 13/3 (used 11 days) updates the sums only.
    finished[1].resolved_at = at("2026-03-13", 8)
    finished[1].save()
    dossier_cells_refresh(finished[1])
    cell = IndexRollup.objects.get(agency=agency_a, measure="avg_time", month="2026-03-01")  # rebuilt: a new row
    assert (cell.denominator, cell.weight_numerator, cell.weight_denominator) == (3, 16 * DAY, 18 * DAY)
    incremental = snapshot()
    rollups_rebuild(since=datetime.date(2026, 3, 1))
    assert snapshot() == incremental


def test_avg_time_drill_down_lists_the_dossiers_behind_it(client, finished, leader_a):
    rollups_rebuild()
    client.force_login(leader_a)

    def codes(side):
        url = reverse("serviceindex:drill", args=["avg_time", side])
        response = client.get(url, {"ky": "2026-03"})
        assert response.status_code == 200
        html = response.content.decode()
        return [d.code for d in finished if d.code in html]

    assert codes("mau-so") == [d.code for d in finished[:3]]  # not the one without a due date, not B's
    assert codes("tu-so") == [finished[0].code, finished[2].code]
    assert codes("chua-dat") == [finished[1].code]


def test_avg_time_on_the_leader_page_in_minutes(client, finished, leader_a):
    """The card shows the two sums in minutes, both linking to the dossiers behind them."""
    rollups_rebuild()
    client.force_login(leader_a)
    html = client.get(reverse("serviceindex:home"), {"ky": "2026-03"}).content.decode()
    row = html[html.index('data-code="avg_time"') :]
    row = row[: row.index("</tr>")]
    assert f">{16 * DAY}</a> phút" in row and f">{20 * DAY}</a> phút" in row
    assert "tu-so" not in row and row.count("/avg_time/mau-so/") == 2
    assert "80" in row  # the rate, 80,00% or 80.00%
