"""The managers' figures: a scope's total equal to the sum of its parts, the deadline boundary, months
bucketed by local date, a bounded number of queries, scope, the drill-down list, SVG and Excel."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from motcua.core.errors import DomainError
from motcua.core.models import AgencyKind, Role
from motcua.dossiers import selectors
from motcua.dossiers.models import Channel, DossierStatus
from motcua.dossiers.selectors import figures as selectors_figures
from motcua.dossiers.selectors.figures import FIGURES, Period, period_from_params
from motcua.dossiers.selectors.measures import MEASURES
from tests.dossiers.conftest import MONDAY_10, TZ
from tests.factories import AgencyFactory, CommuneFactory, OfficerFactory, grant

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
NOW = MONDAY_10 + 10 * DAY  # 2026-03-26
S = DossierStatus
YEAR_2026 = Period(
    kind="year",
    date_from=datetime.date(2026, 1, 1),
    date_to=datetime.date(2026, 12, 31),
    year=2026,
    month=3,
    quarter=1,
)
DERIVED = ("finished", "in_progress")


@pytest.fixture
def manager(province):
    user = OfficerFactory(username="manager_province", first_name="Quản lý tỉnh")
    grant(user, Role.MANAGER, unit=province)
    return user


@pytest.fixture
def department(province):
    return AgencyFactory(unit=province, name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT)


@pytest.fixture
def spread(make_dossier, agency_a, agency_b, police_a, department):
    """Dossiers at four agencies in two communes and the province level, of every kind the figures count."""
    r = MONDAY_10
    made = []
    for agency, n in ((agency_a, 3), (agency_b, 2), (police_a, 1), (department, 2)):
        for i in range(n):
            made.append(
                make_dossier(
                    receiving_agency=agency,
                    status=S.RETURNED,
                    channel=Channel.COUNTER if i % 2 else Channel.ONLINE,
                    received_at=r,
                    due_at=r + 3 * DAY,
                    resolved_at=r + (2 if i % 2 == 0 else 5) * DAY,
                )
            )
        made.append(
            make_dossier(
                receiving_agency=agency,
                status=S.PROCESSING,
                channel=Channel.ASSISTED,
                received_at=r + DAY,
                due_at=NOW - DAY,
            )
        )
        made.append(make_dossier(receiving_agency=agency, status=S.PROCESSING, received_at=r + DAY, due_at=NOW + DAY))
    # Never counted: a draft-like registration and last year's finished dossier.
    make_dossier(status=S.REGISTERED)
    make_dossier(
        status=S.RETURNED,
        received_at=datetime.datetime(2025, 6, 2, 9, tzinfo=TZ),
        due_at=datetime.datetime(2025, 6, 5, 9, tzinfo=TZ),
        resolved_at=datetime.datetime(2025, 6, 4, 9, tzinfo=TZ),
    )
    return made


def _figures(user, period=YEAR_2026, **kwargs):
    return selectors_figures.figures_for(user, period=period, now=NOW, **kwargs)


# --- totals and parts ----------------------------------------------------------------------------


def test_province_total_equals_the_sum_of_agencies_and_of_communes(spread, manager):
    data = _figures(manager)
    totals = data["totals"]
    assert data["scope_label"] == "Tỉnh Cà Mau" and data["agency_count"] == 4
    assert totals["received"] == 16  # 8 finished + 8 in progress, all received in March 2026
    assert (totals["finished_on_time"], totals["finished_late"]) == (5, 3)
    assert (totals["in_progress_on_time"], totals["in_progress_overdue"]) == (4, 4)
    for key in (*FIGURES, *DERIVED):
        assert sum(row[key] for row in data["by_agency"]) == totals[key], key
        assert sum(row[key] for row in data["by_unit"]) == totals[key], key
    assert totals["on_time_rate"] == 62.5
    assert sum(row["received"] for row in data["channels"]) == totals["received"]
    channels = {row["channel"]: row["received"] for row in data["channels"]}
    # Finished: even ones online, odd ones at the counter; in progress: one assisted, one online per agency.
    assert channels == {"online": 9, "counter": 3, "post": 0, "assisted": 4}
    # Months: everything was received and finished in March; the trend adds up to the year.
    march = next(m for m in data["trend"] if m["label"] == "03/2026")
    assert (march["received"], march["finished_on_time"], march["finished_late"]) == (16, 5, 3)
    assert sum(m["received"] for m in data["trend"]) == totals["received"]


def test_communes_group_their_agencies(spread, manager, commune_a, province):
    units = {row["name"]: row for row in _figures(manager)["by_unit"]}
    assert set(units) == {"Xã Tân Thành", "Xã Lý Văn Lâm", "Tỉnh Cà Mau"}
    assert units["Xã Tân Thành"]["agencies"] == 2  # the committee and the police
    assert units["Xã Tân Thành"]["received"] == 5 + 3


def test_ranking_sorts(spread, manager, agency_a, agency_b, police_a, department):
    by_rate = _figures(manager, sort="on_time_rate")["by_agency"]
    rates = [row["on_time_rate"] for row in by_rate]
    assert rates == sorted(rates, reverse=True) and [row["rank"] for row in by_rate] == [1, 2, 3, 4]
    by_volume = _figures(manager, sort="volume")["by_agency"]
    assert by_volume[0]["code"] == agency_a.code and by_volume[-1]["code"] == police_a.code
    by_overdue = _figures(manager, sort="overdue")["by_agency"]
    assert all(row["in_progress_overdue"] == 1 for row in by_overdue)
    assert _figures(manager, sort="nonsense")["sort"] == "on_time_rate"


def test_commune_officer_sees_their_commune_total_only(spread, leader_a, agency_a, police_a):
    data = _figures(leader_a)
    assert data["scope_label"] == "Xã Tân Thành"
    assert {row["code"] for row in data["by_agency"]} == {agency_a.code, police_a.code}
    assert data["totals"]["received"] == 8  # agency A 3 + 2, the police 1 + 2


# --- the deadline boundary ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("resolved", "late"),
    [
        (datetime.timedelta(hours=-3), False),  # the deadline day, before the hour
        (datetime.timedelta(0), False),  # at the deadline itself
        (datetime.timedelta(seconds=1), True),
        (DAY, True),  # the day after
    ],
)
@pytest.mark.parametrize("flagged", [False, True])
def test_finished_on_the_deadline_is_on_time_and_a_day_later_is_late(make_dossier, manager, resolved, late, flagged):
    due = datetime.datetime(2026, 3, 19, 17, 0, tzinfo=TZ)
    make_dossier(
        status=S.RESOLVED,
        received_at=MONDAY_10,
        due_at=due,
        resolved_at=due + resolved,
        # The workflow's own flag when it marked the dossier (now > due_at), or none yet.
        finished_late=(due + resolved > due) if flagged else None,
    )
    totals = _figures(manager)["totals"]
    assert (totals["finished_late"], totals["finished_on_time"]) == ((1, 0) if late else (0, 1))


# --- months ----------------------------------------------------------------------------------------------


def test_months_are_local_months(make_dossier, manager):
    # 23:30 on 31 January and 00:10 on 1 February in Vietnam are both 31 January in UTC.
    make_dossier(status=S.PROCESSING, received_at=datetime.datetime(2026, 1, 31, 23, 30, tzinfo=TZ))
    make_dossier(status=S.PROCESSING, received_at=datetime.datetime(2026, 2, 1, 0, 10, tzinfo=TZ))
    make_dossier(
        status=S.RETURNED,
        received_at=datetime.datetime(2026, 1, 5, 9, tzinfo=TZ),
        due_at=datetime.datetime(2026, 2, 10, 9, tzinfo=TZ),
        resolved_at=datetime.datetime(2026, 2, 1, 0, 0, tzinfo=TZ),
    )
    trend = {m["label"]: m for m in _figures(manager)["trend"]}
    assert len(trend) == 12 and list(trend)[0] == "01/2026" and list(trend)[-1] == "12/2026"
    assert trend["01/2026"]["received"] == 2 and trend["02/2026"]["received"] == 1
    assert trend["01/2026"]["finished"] == 0 and trend["02/2026"]["finished_on_time"] == 1
    # The same boundary for a month's period.
    january = period_from_params({"period": "month", "year": "2026", "month": "1"})
    assert _figures(manager, period=january)["totals"]["received"] == 2


def test_trend_is_the_twelve_months_up_to_the_period(manager, agency_a):
    period = period_from_params({"period": "month", "year": "2026", "month": "3"})
    labels = [m["label"] for m in _figures(manager, period=period)["trend"]]
    assert labels[0] == "04/2025" and labels[-1] == "03/2026" and len(labels) == 12


# --- period ------------------------------------------------------------------------------------------------


def test_period_parsing():
    today = datetime.date(2026, 5, 20)
    year = period_from_params({}, today=today)
    assert (year.kind, year.date_from, year.date_to) == ("year", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    quarter = period_from_params({"period": "quarter"}, today=today)
    assert (quarter.date_from, quarter.date_to) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    february = period_from_params({"period": "month", "month": "2", "year": "2028"}, today=today)
    assert february.date_to == datetime.date(2028, 2, 29)
    custom = period_from_params({"from": "2026-03-01", "to": "2026-03-01"}, today=today)
    assert (custom.kind, custom.date_from, custom.date_to) == (
        "custom",
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 1),
    )
    for bad in (
        {"period": "week"},
        {"period": "month", "month": "13"},
        {"period": "month", "month": "0"},
        {"period": "quarter", "quarter": "5"},
        {"period": "year", "year": "abc"},
        {"period": "year", "year": "1999"},
        {"from": "nope"},
        {"from": "2026-03-02", "to": "2026-03-01"},
    ):
        with pytest.raises(DomainError):
            period_from_params(bad, today=today)
    assert period_from_params({"period": "month", "month": "12"}, today=today).date_to == datetime.date(2026, 12, 31)


# --- queries -------------------------------------------------------------------------------------------------


def _count_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        _figures(user)
    return len(queries)


def test_queries_do_not_grow_with_agencies(spread, manager, make_dossier, province):
    few = _count_queries(manager)
    assert few <= 6
    for _ in range(10):
        agency = AgencyFactory(unit=CommuneFactory(parent=province))
        make_dossier(receiving_agency=agency, status=S.PROCESSING, received_at=MONDAY_10, due_at=NOW + DAY)
    assert _count_queries(manager) == few
    assert _figures(manager)["agency_count"] == 14


# --- drill-down -------------------------------------------------------------------------------------------


def _queue(user, **filters) -> list:
    items, cursor = selectors.dossier_queue(user, queue="office", limit=200, now=NOW, **filters)
    assert cursor is None
    return items


def test_every_figure_lists_the_dossiers_it_counts(spread, manager, agency_b, commune_a):
    data = _figures(manager)
    period = {"date_from": YEAR_2026.date_from, "date_to": YEAR_2026.date_to}
    for measure in MEASURES:
        assert len(_queue(manager, measure=measure, **period)) == data["totals"][measure], measure
    row_b = next(row for row in data["by_agency"] if row["code"] == agency_b.code)
    for measure in MEASURES:
        assert len(_queue(manager, measure=measure, agency=agency_b.code, **period)) == row_b[measure]
    unit_a = next(row for row in data["by_unit"] if row["id"] == commune_a.pk)
    assert len(_queue(manager, measure="received", unit=str(commune_a.pk), **period)) == unit_a["received"]
    for row in data["channels"]:
        assert len(_queue(manager, measure="received", channel=row["channel"], **period)) == row["received"]


def test_commune_a_cannot_drill_into_commune_b(spread, leader_a, agency_b, commune_b):
    period = {"date_from": YEAR_2026.date_from, "date_to": YEAR_2026.date_to}
    assert _queue(leader_a, measure="received", agency=agency_b.code, **period) == []
    assert _queue(leader_a, measure="received", unit=commune_b.pk, **period) == []
    mine = _queue(leader_a, measure="received", **period)
    assert mine and all(d.receiving_agency.unit_id != commune_b.pk for d in mine)


def test_drill_down_refuses_bad_filters(manager):
    period = {"date_from": YEAR_2026.date_from, "date_to": YEAR_2026.date_to}
    for bad in ({"measure": "everything", **period}, {"measure": "received"}, {"unit": "x"}, {"channel": "fax"}):
        with pytest.raises(DomainError):
            _queue(manager, **bad)


def test_drill_down_page(client, spread, leader_a, agency_a, agency_b):
    client.force_login(leader_a)
    url = reverse("dossiers:queue")
    page = client.get(url, {"measure": "finished_late", "from": "2026-01-01", "to": "2026-12-31"}).content.decode()
    listed = re.findall(r">([0-9A-Za-z.]+-\d{6}-\d{4,})</a>", page)
    assert len(listed) == 1 and listed[0].startswith(agency_a.code) and agency_b.code not in page
    other = client.get(url, {"measure": "received", "from": "2026-01-01", "to": "2026-12-31", "agency": agency_b.code})
    assert other.status_code == 200 and re.findall(r">([0-9A-Za-z.]+-\d{6}-\d{4,})</a>", other.content.decode()) == []
    bad = client.get(url, {"measure": "received", "from": "31/12/2026"})
    assert bad.status_code == 200 and "Ngày không hợp lệ" in bad.content.decode()


# --- pages ---------------------------------------------------------------------------------------------------


def test_page_scope_and_access(client, spread, manager, leader_a, agency_b, citizen):
    url = reverse("dossiers:stats")
    assert client.get(url).status_code == 302  # to sign-in
    client.force_login(citizen)
    assert client.get(url).status_code == 403
    assert client.get(reverse("dossiers:stats_xlsx")).status_code == 403
    client.force_login(leader_a)
    page = client.get(url, {"period": "year", "year": "2026"}).content.decode()
    assert "Xã Tân Thành" in page and agency_b.name not in page
    assert client.get(url, {"agency": agency_b.code}).status_code == 404  # commune B's detail: not found
    workbook = load_workbook(io.BytesIO(client.get(reverse("dossiers:stats_xlsx"), {"year": "2026"}).content))
    names = {row[2] for row in workbook["Theo cơ quan"].iter_rows(min_row=3, values_only=True)}
    assert names == {"UBND xã Tân Thành", "Công an xã Tân Thành"}
    client.force_login(manager)
    page = client.get(url, {"period": "year", "year": "2026"}).content.decode()
    assert agency_b.name in page and "Tỉnh Cà Mau" in page
    assert reverse("ratings:stats") in page


def test_page_figures_link_to_their_dossiers_and_charts_are_labelled(client, spread, manager):
    client.force_login(manager)
    page = client.get(reverse("dossiers:stats"), {"period": "year", "year": "2026"}).content.decode()
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="group"') == 2  # bars link
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 2
    assert re.search(r'aria-labelledby="chart\d+-t chart\d+-d"><title id="chart\d+-t">Xếp hạng cơ quan', page)
    assert "<title>Sở Tư pháp: " in page  # every bar has its label and value
    assert "measure=in_progress_overdue&amp;from=2026-01-01&amp;to=2026-12-31" in page
    assert "measure=received&amp;from=2026-03-01&amp;to=2026-03-31" in page  # March's row of the trend


def test_page_bad_period_is_a_message(client, manager):
    client.force_login(manager)
    response = client.get(reverse("dossiers:stats"), {"period": "month", "month": "13"})
    assert response.status_code == 422 and "Tháng phải là số từ 1 đến 12." in response.content.decode()
    response = client.get(reverse("dossiers:stats_xlsx"), {"from": "2026-13-01"})
    assert response.status_code == 422 and "Ngày bắt đầu không hợp lệ" in response.content.decode()


def test_excel_has_the_page_figures(client, spread, manager):
    client.force_login(manager)
    response = client.get(reverse("dossiers:stats_xlsx"), {"period": "year", "year": "2026", "sort": "volume"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Theo cơ quan", "Theo địa bàn", "12 tháng"]
    data = _figures(manager, sort="volume")
    columns = ("received", "finished", "finished_on_time", "finished_late", "on_time_rate", "in_progress")
    summary = list(workbook["Tổng hợp"].iter_rows(values_only=True))
    total_row = next(row for row in summary if row[0] == "Tỉnh Cà Mau")
    assert list(total_row[1:7]) == [data["totals"][key] for key in columns]
    agencies = [row for row in workbook["Theo cơ quan"].iter_rows(min_row=3, values_only=True)]
    assert [(row[1], row[3]) for row in agencies] == [(row["code"], row["received"]) for row in data["by_agency"]]
    assert sum(row[3] for row in agencies) == data["totals"]["received"]
    months = {row[0]: row for row in workbook["12 tháng"].iter_rows(min_row=2, values_only=True)}
    assert months["03/2026"][1:5] == (16, 8, 5, 3)


def test_existing_agency_detail_still_works(client, spread, manager, agency_a):
    client.force_login(manager)
    page = client.get(reverse("dossiers:stats"), {"agency": agency_a.code, "from": "2026-03-01", "to": "2026-03-31"})
    assert page.status_code == 200 and "Đăng ký khai sinh" in page.content.decode()
    assert client.get(reverse("dossiers:stats"), {"agency": "nope"}).status_code == 404


def test_page_queries_do_not_grow_with_agencies(client, spread, manager, make_dossier, province):
    client.force_login(manager)
    url, params = reverse("dossiers:stats"), {"period": "year", "year": "2026"}
    with CaptureQueriesContext(connection) as few:
        assert client.get(url, params).status_code == 200
    for _ in range(10):
        agency = AgencyFactory(unit=CommuneFactory(parent=province))
        make_dossier(receiving_agency=agency, status=S.RETURNED, received_at=MONDAY_10, resolved_at=MONDAY_10 + DAY)
    with CaptureQueriesContext(connection) as many:
        page = client.get(url, params).content.decode()
    assert len(many) == len(few) and page.count('<th scope="row" class="name">') == 14 + 13  # agencies + units


def test_officer_without_roles_sees_no_one(client, spread):
    officer = OfficerFactory(username="no_roles")
    data = _figures(officer)
    assert data["agency_count"] == 0 and data["totals"]["received"] == 0 and data["by_agency"] == []
    assert _queue(officer, measure="received", date_from=YEAR_2026.date_from, date_to=YEAR_2026.date_to) == []
    client.force_login(officer)
    response = client.get(reverse("dossiers:stats"))
    assert response.status_code == 200 and "không có cơ quan trong phạm vi" in response.content.decode()
