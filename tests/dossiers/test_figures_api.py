"""`GET /api/v1/dossiers/figures`: the statistics page's numbers for integrators and dashboards, with the
page's scope, its period rules and its refusals."""

import pytest

from motcua.dossiers.selectors import figures as selectors_figures
from tests.dossiers.test_figures import YEAR_2026, department, manager, spread  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/figures"


def test_a_manager_gets_the_same_numbers_as_the_page(client, spread, manager):  # noqa: F811
    client.force_login(manager)
    response = client.get(URL, {"period": "year", "year": 2026})
    assert response.status_code == 200
    body = response.json()
    page = selectors_figures.figures_for(manager, period=YEAR_2026)
    assert (body["period"], body["date_from"], body["date_to"]) == ("year", "2026-01-01", "2026-12-31")
    assert body["scope"] == "Tỉnh Cà Mau" and body["agency_count"] == 4
    assert body["totals"]["received"] == 16
    assert body["totals"] == {key: page["totals"][key] for key in body["totals"]}
    assert [row["code"] for row in body["by_agency"]] == [row["code"] for row in page["by_agency"]]
    assert [row["rank"] for row in body["by_agency"]] == [1, 2, 3, 4]
    assert sum(row["received"] for row in body["by_unit"]) == 16
    assert sum(row["received"] for row in body["channels"]) == 16
    assert len(body["trend"]) == 12 and body["trend"][-1]["month"] == "2026-12-01"


def test_a_commune_officer_sees_only_their_commune(client, spread, specialist_a, agency_a, agency_b):  # noqa: F811
    client.force_login(specialist_a)
    body = client.get(URL, {"period": "year", "year": 2026}).json()
    codes = {row["code"] for row in body["by_agency"]}
    assert agency_a.code in codes and agency_b.code not in codes


def test_sorting_by_volume_ranks_the_busiest_first(client, spread, manager):  # noqa: F811
    client.force_login(manager)
    rows = client.get(URL, {"period": "year", "year": 2026, "sort": "volume"}).json()["by_agency"]
    received = [row["received"] for row in rows]
    assert received == sorted(received, reverse=True) and received[0] == 5


@pytest.mark.parametrize(
    "params",
    [
        {"period": "week"},
        {"period": "month", "year": 2026, "month": 13},
        {"period": "month", "year": 2026, "month": 0},
        {"period": "quarter", "year": 2026, "quarter": 5},
        {"period": "year", "year": 1999},
        {"period": "custom", "from": "2026-03-31", "to": "2026-03-01"},
    ],
)
def test_a_bad_period_is_a_422_with_its_code(client, manager, params):  # noqa: F811
    client.force_login(manager)
    response = client.get(URL, params)
    assert response.status_code == 422 and response.json()["code"] in ("invalid_period", "validation_error")


def test_the_edges_of_a_valid_period_are_accepted(client, manager):  # noqa: F811
    client.force_login(manager)
    for params in (
        {"period": "month", "year": 2026, "month": 1},
        {"period": "month", "year": 2026, "month": 12},
        {"period": "quarter", "year": 2026, "quarter": 4},
        {"period": "year", "year": 2000},
    ):
        assert client.get(URL, params).status_code == 200, params


def test_citizens_are_refused_and_visitors_asked_to_sign_in(client, citizen):
    assert client.get(URL).status_code == 401
    client.force_login(citizen)
    response = client.get(URL)
    assert response.status_code == 403 and response.json()["code"] == "officers_only"
