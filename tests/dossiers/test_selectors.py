"""Access to dossiers: who may read which, through the selector, the page and the API."""

import pytest
from django.urls import reverse

from motcua.core.errors import NotFound
from motcua.core.models import Role
from motcua.dossiers import selectors
from motcua.dossiers.models import DossierStatus, DossierStep
from tests.factories import CitizenUserFactory, OfficerFactory, PersonFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier_a(make_dossier):
    return make_dossier(status=DossierStatus.PROCESSING)


@pytest.fixture
def other_citizen(commune_b):
    return CitizenUserFactory(person=PersonFactory(unit=commune_b, full_name="Lê Văn Bình"))


@pytest.fixture
def dossier_b(make_dossier, agency_b, other_citizen):
    return make_dossier(
        status=DossierStatus.PROCESSING,
        receiving_agency=agency_b,
        applicant_person=other_citizen.person,
        submitted_by=other_citizen,
    )


@pytest.fixture
def province_manager(province):
    user = OfficerFactory(username="manager_province")
    grant(user, Role.MANAGER, unit=province)
    return user


def test_officer_sees_own_commune_not_the_other(receptionist_a, dossier_a, dossier_b):
    assert selectors.dossier_get_for(receptionist_a, dossier_a.code) == dossier_a
    with pytest.raises(NotFound):
        selectors.dossier_get_for(receptionist_a, dossier_b.code)
    items, _cursor = selectors.dossier_queue(receptionist_a, queue="office")
    assert [d.code for d in items] == [dossier_a.code]


def test_step_at_an_agency_in_scope_gives_access(receptionist_a, agency_a, dossier_b):
    DossierStep.objects.create(
        dossier=dossier_b,
        order=2,
        kind="appraise",
        name="Thẩm định liên thông",
        role=Role.SPECIALIST,
        agency=agency_a,
        duration_days=1,
    )
    assert selectors.dossier_get_for(receptionist_a, dossier_b.code) == dossier_b


def test_citizen_sees_only_their_own(citizen, other_citizen, dossier_a, dossier_b):
    assert selectors.dossier_get_for(citizen, dossier_a.code) == dossier_a
    with pytest.raises(NotFound):
        selectors.dossier_get_for(citizen, dossier_b.code)
    assert list(selectors.dossier_list_for_citizen(citizen)) == [dossier_a]
    assert list(selectors.dossier_list_for_citizen(other_citizen)) == [dossier_b]


def test_province_manager_sees_both(province_manager, dossier_a, dossier_b):
    assert selectors.dossier_get_for(province_manager, dossier_a.code) == dossier_a
    assert selectors.dossier_get_for(province_manager, dossier_b.code) == dossier_b
    items, _cursor = selectors.dossier_queue(province_manager, queue="office")
    assert {d.code for d in items} == {dossier_a.code, dossier_b.code}


def test_anonymous_and_malformed_codes_are_not_found(dossier_a, receptionist_a):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFound):
        selectors.dossier_get_for(AnonymousUser(), dossier_a.code)
    with pytest.raises(NotFound):
        selectors.dossier_get_for(receptionist_a, "can-bo")


def test_drafts_are_not_visible_to_officers(make_dossier, receptionist_a, citizen):
    draft = make_dossier(status=DossierStatus.DRAFT, code=None)
    assert not selectors.dossiers_visible_to(receptionist_a).filter(pk=draft.pk).exists()
    assert selectors.dossier_list_for_citizen(citizen).filter(pk=draft.pk).exists()


def test_detail_page_access(client, receptionist_a, citizen, dossier_a, dossier_b):
    url_a, url_b = reverse("dossiers:detail", args=[dossier_a.code]), reverse("dossiers:detail", args=[dossier_b.code])
    assert client.get(url_a).status_code == 302  # to sign-in
    client.force_login(receptionist_a)
    assert client.get(url_a).status_code == 200
    assert client.get(url_b).status_code == 404
    client.force_login(citizen)
    response = client.get(url_a)
    assert response.status_code == 200
    assert "Trần Thị Mai" in response.content.decode()
    assert client.get(url_b).status_code == 404


def test_fixed_paths_are_not_taken_for_codes():
    assert reverse("dossiers:lookup") == "/ho-so/tra-cuu/"
    assert reverse("dossiers:queue") == "/ho-so/can-bo/"
    from django.urls import resolve

    for fixed in ("/ho-so/can-bo/", "/ho-so/tra-cuu/", "/ho-so/can-bo/thong-ke/"):
        assert resolve(fixed).url_name != "detail"
    assert resolve("/ho-so/000.00.20.H12-260315-0007/").url_name == "detail"


def test_api_detail_access(client, receptionist_a, citizen, dossier_a, dossier_b):
    url_a, url_b = f"/api/v1/dossiers/{dossier_a.code}", f"/api/v1/dossiers/{dossier_b.code}"
    anonymous = client.get(url_a)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthenticated"
    client.force_login(receptionist_a)
    body = client.get(url_a).json()
    assert body["code"] == dossier_a.code and body["status"] == "processing" and body["national_status_code"] == 4
    missing = client.get(url_b)
    assert missing.status_code == 404 and missing.json()["code"] == "dossier_not_found"
    client.force_login(citizen)
    assert client.get(url_a).status_code == 200
    assert client.get(url_b).status_code == 404


def test_api_list(client, receptionist_a, citizen, province_manager, dossier_a, dossier_b):
    client.force_login(citizen)
    assert [d["code"] for d in client.get("/api/v1/dossiers").json()["items"]] == [dossier_a.code]
    client.force_login(receptionist_a)
    assert [d["code"] for d in client.get("/api/v1/dossiers?queue=office").json()["items"]] == [dossier_a.code]
    client.force_login(province_manager)
    codes = {d["code"] for d in client.get("/api/v1/dossiers?queue=office").json()["items"]}
    assert codes == {dossier_a.code, dossier_b.code}
    bad = client.get("/api/v1/dossiers?queue=nowhere")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_queue"
    assert client.get("/api/v1/dossiers?after=%%%").json()["code"] == "invalid_cursor"
