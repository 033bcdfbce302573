"""Who sees which households: through the selector, the pages and the API."""

import pytest
from django.urls import reverse

from motcua.core.errors import NotFound
from motcua.outreach.selectors.area import outreach_aggregate_units_for
from motcua.outreach.selectors.households import household_get_for, household_list_for
from tests.outreach import helpers

area = helpers.area

pytestmark = pytest.mark.django_db


def _ids(user, **kwargs):
    return set(household_list_for(user, **kwargs).values_list("pk", flat=True))


def test_members_see_the_area_their_team_covers(area):
    assert _ids(area.member_a) == {area.household_a1.pk, area.household_a2.pk}
    assert _ids(area.member_h2) == {area.household_a2.pk}
    assert _ids(area.member_b) == {area.household_b.pk}


def test_commune_leader_sees_the_commune_and_provincial_manager_only_aggregates(area):
    assert _ids(area.leader_a) == {area.household_a1.pk, area.household_a2.pk}
    assert _ids(area.province_manager) == set()
    assert outreach_aggregate_units_for(area.province_manager) >= {area.commune_a.pk, area.commune_b.pk}
    with pytest.raises(NotFound):
        household_get_for(area.province_manager, area.household_a1.pk)


def test_member_of_commune_a_cannot_reach_commune_b_households(area, client):
    with pytest.raises(NotFound):
        household_get_for(area.member_a, area.household_b.pk)
    with pytest.raises(NotFound):
        household_get_for(area.member_h2, area.household_a1.pk)
    client.force_login(area.member_a)
    assert client.get(reverse("outreach:household", args=[area.household_b.pk])).status_code == 404
    assert client.get(reverse("outreach:record") + f"?ho={area.household_b.pk}").status_code == 404
    listing = client.get(reverse("outreach:households"))
    assert "Lê Văn Đạt" not in listing.content.decode() and "Nguyễn Văn Bình" in listing.content.decode()
    api = client.get(f"/api/v1/outreach/households/{area.household_b.pk}")
    assert api.status_code == 404 and api.json()["code"] == "household_not_found"
    assert {h["id"] for h in client.get("/api/v1/outreach/households").json()["items"]} == {
        area.household_a1.pk,
        area.household_a2.pk,
    }


def test_search_is_folded_and_stays_in_the_area(area):
    assert _ids(area.member_a, q="binh") == {area.household_a1.pk}
    assert _ids(area.member_a, q="0912 345 678") == {area.household_a1.pk}
    assert _ids(area.member_a, q="dat") == set()  # Lê Văn Đạt lives in commune B


def test_pages_refuse_outsiders_and_aggregate_only_users(area, client):
    client.force_login(area.province_manager)
    assert client.get(reverse("outreach:households")).status_code == 404
    assert client.get(reverse("outreach:household", args=[area.household_a1.pk])).status_code == 404
    assert client.get(reverse("outreach:home")).status_code == 200
    citizen = helpers.OfficerFactory(is_officer=False)
    client.force_login(citizen)
    assert client.get(reverse("outreach:home")).status_code == 404
    client.logout()
    assert client.get(reverse("outreach:record")).status_code == 302
    assert client.get("/api/v1/outreach/households").status_code == 401


@pytest.mark.parametrize("bad", ["²", "9" * 30, "abc"])
def test_odd_numbers_in_query_and_form_are_ignored_not_a_500(area, client, bad):
    client.force_login(area.leader_a)
    assert client.get(reverse("outreach:households"), {"ap": bad}).status_code == 200
    detail = reverse("outreach:household", args=[area.household_a1.pk])
    response = client.post(detail, {"action": "remove_member", "member": bad})
    assert response.status_code == 302
    assert client.get(reverse("outreach:record"), {"ho": bad}).status_code == 404
