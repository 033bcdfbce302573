"""The scope rules in motcua.core.scope: the department officer's narrow view (issue 12), the wide
view's reason (limits at, just below and just above), its audit rows, and the desk's card lookup."""

import pytest

from motcua.core import scope, selectors
from motcua.core.errors import DomainError, NotFound
from motcua.core.models import AgencyKind, AuditEvent, Role
from motcua.dossiers.models import Channel, Dossier, DossierStatus
from tests.factories import (
    AgencyFactory,
    CommuneFactory,
    OfficerFactory,
    PersonFactory,
    ProcedureFactory,
    ProvinceFactory,
    grant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    province = ProvinceFactory()
    commune_a, commune_b = CommuneFactory(parent=province), CommuneFactory(parent=province)
    justice = AgencyFactory(unit=province, name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT)
    centre = AgencyFactory(unit=province, name="Trung tâm PVHCC", kind=AgencyKind.PROVINCE_CENTRE)
    applicant = PersonFactory(unit=commune_b, full_name="Lê Thị Nộp")
    resident = PersonFactory(unit=commune_a, full_name="Phạm Văn Dân")
    Dossier.objects.create(
        code=f"{justice.code}-260316-0001",
        procedure=ProcedureFactory(),
        status=DossierStatus.PROCESSING,
        channel=Channel.ONLINE,
        applicant_person=applicant,
        applicant_name=applicant.full_name,
        receiving_agency=justice,
        current_agency=justice,
    )
    specialist = OfficerFactory(username="chuyenvien.stp")
    grant(specialist, Role.SPECIALIST, agency=justice)
    manager = OfficerFactory(username="quanly.tinh")
    grant(manager, Role.MANAGER, unit=province)
    desk = OfficerFactory(username="tiepnhan.tinh")
    grant(desk, Role.RECEPTIONIST, agency=centre)
    return {
        "commune_a": commune_a,
        "applicant": applicant,
        "resident": resident,
        "specialist": specialist,
        "manager": manager,
        "desk": desk,
    }


# --- the department officer (issue 12) ------------------------------------------------------------


def test_department_officer_reads_only_the_people_of_its_own_dossiers(client, world):
    client.force_login(world["specialist"])
    body = client.get("/api/v1/people").json()
    assert [p["full_name"] for p in body["items"]] == ["Lê Thị Nộp"]
    assert client.get(f"/api/v1/people/{world['applicant'].pk}").status_code == 200
    response = client.get(f"/api/v1/people/{world['resident'].pk}")
    assert response.status_code == 404 and response.json()["code"] == "person_not_found"
    # A reason opens nothing for someone without the wide view.
    response = client.get(f"/api/v1/people/{world['resident'].pk}", {"reason": "x" * 20})
    assert response.status_code == 404
    assert scope.area_unit_ids(world["specialist"]) == set()
    assert not scope.has_wide_person_view(world["specialist"])


# --- the reason: limits and refusals ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("reason", "ok"),
    [
        ("", False),
        ("a" * 9, False),  # just below REASON_MIN_LENGTH = 10
        ("a" * 10, True),  # at
        ("a" * 11, True),  # just above
        ("  a  b  c  d  e  ", False),  # spaces squeezed: "a b c d e" is 9 characters
        ("a" * 500, True),  # at REASON_MAX_LENGTH = 500
        ("a" * 499, True),
        ("a" * 501, False),  # just above
    ],
)
def test_reason_limits(world, reason, ok):
    assert (scope.REASON_MIN_LENGTH, scope.REASON_MAX_LENGTH) == (10, 500)
    person = world["resident"]
    if ok:
        assert selectors.person_get_for(world["manager"], person.pk, reason=reason) == person
        event = AuditEvent.objects.get(action="person.read_wide")
        assert (event.actor, event.object_id, event.data["reason"]) == (world["manager"], str(person.pk), reason)
        return
    with pytest.raises(DomainError) as exc:
        selectors.person_get_for(world["manager"], person.pk, reason=reason)
    assert exc.value.code == ("reason_too_long" if len(reason) > 500 else "reason_required")
    assert not AuditEvent.objects.filter(object_type="person").exists()


def test_api_refuses_a_wide_read_without_reason_and_audits_one_with(client, world):
    client.force_login(world["manager"])
    url = f"/api/v1/people/{world['resident'].pk}"
    response = client.get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "reason_required" and "lý do" in response.json()["message"]
    # Refused before the lookup: a missing person gives the same answer, so nothing is revealed.
    assert client.get("/api/v1/people/999999").json()["code"] == "reason_required"
    assert client.get("/api/v1/people/999999", {"reason": "Kiểm tra đơn thư"}).status_code == 404
    response = client.get(url, {"reason": "a" * 501})
    assert response.status_code == 422 and response.json()["code"] == "reason_too_long"
    response = client.get(url, {"reason": "Kiểm tra đơn thư số 3"})
    assert response.status_code == 200 and response.json()["full_name"] == "Phạm Văn Dân"
    event = AuditEvent.objects.get(action="person.read_wide", object_id=str(world["resident"].pk))
    assert event.data == {"reason": "Kiểm tra đơn thư số 3", "via": "api", "q": ""}
    assert event.actor == world["manager"] and event.at is not None


def test_api_list_without_reason_is_narrow_and_with_reason_is_wide_and_audited(client, world):
    client.force_login(world["manager"])
    assert client.get("/api/v1/people").json()["count"] == 0
    assert client.get("/api/v1/people", {"reason": "ngắn"}).json()["code"] == "reason_required"
    body = client.get("/api/v1/people", {"reason": "Rà soát danh sách hộ nghèo", "q": "pham"}).json()
    assert [p["full_name"] for p in body["items"]] == ["Phạm Văn Dân"]
    event = AuditEvent.objects.get(action="person.search_wide")
    assert event.data == {"reason": "Rà soát danh sách hộ nghèo", "via": "api", "q": "pham"}


def test_person_page_asks_for_a_reason_first(client, world):
    client.force_login(world["manager"])
    url = f"/can-bo/cong-dan/{world['resident'].pk}/"
    response = client.get(url)
    assert response.status_code == 403
    page = response.content.decode()
    assert 'name="reason"' in page and "Phạm Văn Dân" not in page
    response = client.get(url, {"reason": "ngắn"})
    assert response.status_code == 403 and "ít nhất 10 ký tự" in response.content.decode()
    response = client.get(url, {"reason": "Xác minh hồ sơ hộ nghèo"})
    assert response.status_code == 200 and "Phạm Văn Dân" in response.content.decode()
    assert AuditEvent.objects.get(action="person.read_wide").data["via"] == "page"


def test_people_list_page_shows_the_reason_box_to_wide_view_holders_only(client, world):
    client.force_login(world["manager"])
    page = client.get("/can-bo/cong-dan/").content.decode()
    assert 'id="person-reason"' in page and "Phạm Văn Dân" not in page
    page = client.get("/can-bo/cong-dan/", {"reason": "ngắn"}).content.decode()
    assert "ít nhất 10 ký tự" in page and "Phạm Văn Dân" not in page
    page = client.get("/can-bo/cong-dan/", {"reason": "Rà soát hộ nghèo năm 2026"}).content.decode()
    assert "Phạm Văn Dân" in page and "reason=R%C3%A0" in page  # the detail links carry the reason
    client.force_login(world["specialist"])
    assert 'id="person-reason"' not in client.get("/can-bo/cong-dan/").content.decode()


# --- the one-stop desk: a card in hand ------------------------------------------------------------


def test_a_province_desk_finds_the_card_holder_by_the_complete_number_only(world):
    desk, resident = world["desk"], world["resident"]
    assert list(selectors.person_list_for(desk, q=resident.personal_id)) == []
    assert selectors.person_find_by_card(desk, resident.personal_id[:11]) is None  # 11 digits
    assert selectors.person_find_by_card(desk, resident.personal_id + "0") is None  # 13 digits
    assert selectors.person_find_by_card(desk, resident.full_name) is None
    assert selectors.person_find_by_card(desk, resident.personal_id) == resident  # 12 digits
    assert (
        AuditEvent.objects.filter(action="person.counter_lookup", object_id=str(resident.pk), actor=desk).count() == 1
    )
    # Only a receptionist holds a card at a desk.
    assert selectors.person_find_by_card(world["specialist"], resident.personal_id) is None
    with pytest.raises(NotFound):
        selectors.person_get_at_counter(desk, resident.pk, personal_id=world["applicant"].personal_id)
    assert selectors.person_get_at_counter(desk, resident.pk, personal_id=resident.personal_id) == resident


def test_desk_page_finds_and_opens_a_card_holder_from_another_commune(client, world):
    client.force_login(world["desk"])
    resident = world["resident"]
    page = client.get("/ho-so/mot-cua/tiep-nhan/", {"q": resident.personal_id}).content.decode()
    assert "Phạm Văn Dân" in page and f"cccd={resident.personal_id}" in page
    assert "Phạm Văn Dân" not in client.get("/ho-so/mot-cua/tiep-nhan/", {"q": "Phạm"}).content.decode()
    url = "/ho-so/mot-cua/tiep-nhan/"
    assert client.get(url, {"person": resident.pk, "cccd": resident.personal_id}).status_code == 200
    assert client.get(url, {"person": resident.pk}).status_code == 404
