"""Field reports answered on time, worked by hand: counted by the handling agency and the month of
the deadline, once answered or past the deadline; refused and merged reports are not counted."""

import datetime
from decimal import Decimal

from motcua.fieldreports.models import ReportStatus
from motcua.serviceindex import selectors
from motcua.serviceindex.periods import Period
from motcua.serviceindex.scoring import q2
from tests.factories import FieldReportFactory

from .conftest import at

MARCH = Period("month", datetime.date(2026, 3, 1), 1)
APRIL = Period("month", datetime.date(2026, 4, 1), 1)


def test_reports_answered_on_time_worked_by_hand(small_definition, agency_a, commune_a, manager_province):
    def report(due, answered=None, status=None):
        return FieldReportFactory(
            unit=commune_a, agency=agency_a, due_at=due, answered_at=answered,
            status=status or (ReportStatus.ANSWERED if answered else ReportStatus.ACCEPTED),
        )  # fmt: skip

    on_time = report(at("2026-03-10"), at("2026-03-09"))
    late = report(at("2026-03-12"), at("2026-03-15"))
    unanswered = report(at("2026-03-20"))  # past its deadline, never answered: late
    report(at("2026-03-25"), status=ReportStatus.REFUSED)  # refused: not counted
    report(at("2026-03-26"), status=ReportStatus.MERGED)  # merged into another: not counted
    report(at("2026-04-02"), at("2026-03-30"))  # April's (month of the deadline)
    report(at("2099-03-10"))  # still within its time: not counted yet
    # March, agency A: reports_on_time 1/3 -> 33.33 % < 100 % -> 1/3 x 20 = 6.67 of group "other" (20);
    # no dossiers, so the other groups are excluded: total = 6.67 x 120 / 20 = 40.
    card = selectors.card_for(MARCH, {agency_a.pk})
    item = next(i for i in card.indicators() if i.indicator.measure == "reports_on_time")
    assert (item.numerator, item.denominator) == (1, 3)
    assert q2(card.total) == Decimal("40.00")
    # April: 1/1 -> full points, total 120; the comparison table shows March as the previous period.
    row = next(r for r in selectors.table(APRIL, by="agency") if r.key == agency_a.pk)
    assert q2(row.total) == Decimal("120.00") and q2(row.previous) == Decimal("40.00")
    assert q2(selectors.overview(APRIL, {agency_a.pk}).previous) == Decimal("40.00")
    # Not yet due: nothing to count in that month.
    assert selectors.card_for(Period("month", datetime.date(2099, 3, 1), 1), {agency_a.pk}).total is None
    # The reports behind the figures.
    kind, listed = selectors.drill_records(manager_province, measure="reports_on_time", period=MARCH, side="tu-so")
    assert kind == "report" and list(listed) == [on_time]
    _kind, listed = selectors.drill_records(manager_province, measure="reports_on_time", period=MARCH, side="chua-dat")
    assert set(listed) == {late, unanswered}


def test_reports_drill_page_and_csv(client, small_definition, agency_a, commune_a, manager_province):
    from django.urls import reverse

    shown = FieldReportFactory(
        unit=commune_a, agency=agency_a, due_at=at("2026-03-10"), answered_at=at("2026-03-09"),
        status=ReportStatus.ANSWERED,
    )  # fmt: skip
    client.force_login(manager_province)
    url = reverse("serviceindex:drill", args=["reports_on_time", "tu-so"])
    html = client.get(url, {"ky": "2026-03"}).content.decode()
    assert shown.code in html and shown.title in html
    response = client.get(url, {"ky": "2026-03", "dinh_dang": "csv"})
    assert response.status_code == 200 and shown.code in response.content.decode("utf-8-sig")
