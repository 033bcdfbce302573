import datetime

import pytest

from motcua.core import selectors
from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.models import AuditEvent, Person, Role
from motcua.core.services import accounts as services
from tests.factories import (
    AgencyFactory,
    CitizenUserFactory,
    CommuneFactory,
    HamletFactory,
    OfficerFactory,
    PersonFactory,
    ProvinceFactory,
    grant,
)

REASON = "Xác minh đơn khiếu nại số 12/2026"


@pytest.fixture
def area():
    """Two communes of one province, one resident each, and officers at each level."""
    province = ProvinceFactory()
    commune_a = CommuneFactory(parent=province, name="Xã Tân Thành")
    commune_b = CommuneFactory(parent=province, name="Xã Lý Văn Lâm")
    person_a = PersonFactory(unit=commune_a, full_name="Nguyễn Văn Ất", phone="0912000001")
    person_b = PersonFactory(unit=commune_b, full_name="Trần Thị Bính", phone="0912000002")
    officer_a = OfficerFactory()
    grant(officer_a, Role.RECEPTIONIST, agency=AgencyFactory(unit=commune_a))
    manager = OfficerFactory()
    grant(manager, Role.MANAGER, unit=province)
    citizen = CitizenUserFactory(person=person_a)
    return {
        "province": province,
        "a": commune_a,
        "b": commune_b,
        "person_a": person_a,
        "person_b": person_b,
        "officer_a": officer_a,
        "manager": manager,
        "citizen": citizen,
    }


# --- selectors --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_scope_units(area):
    assert selectors.user_scope_units(area["officer_a"]) == {area["a"].pk}
    assert selectors.user_scope_units(area["manager"]) == {area["province"].pk, area["a"].pk, area["b"].pk}
    assert selectors.user_scope_units(area["citizen"]) == set()


@pytest.mark.django_db
def test_commune_officer_cannot_list_or_get_another_commune(area):
    officer = area["officer_a"]
    assert list(selectors.person_list_for(officer)) == [area["person_a"]]
    assert selectors.person_get_for(officer, area["person_a"].pk) == area["person_a"]
    with pytest.raises(NotFound):
        selectors.person_get_for(officer, area["person_b"].pk)
    assert list(selectors.person_list_for(officer, q="Bính")) == []


@pytest.mark.django_db
def test_citizen_sees_only_themselves(area):
    citizen = area["citizen"]
    PersonFactory(unit=area["a"])  # a neighbour in the same commune
    assert list(selectors.person_list_for(citizen)) == [area["person_a"]]
    with pytest.raises(NotFound):
        selectors.person_get_for(citizen, area["person_b"].pk)


@pytest.mark.django_db
def test_provincial_manager_sees_both_communes_only_with_a_reason(area):
    # The wide view is an explicit permission: without a reason the manager reaches nobody...
    assert list(selectors.person_list_for(area["manager"])) == []
    with pytest.raises(DomainError) as exc:
        selectors.person_get_for(area["manager"], area["person_b"].pk)
    assert exc.value.code == "reason_required"
    assert not AuditEvent.objects.filter(object_type="person").exists()
    # ...with one, everyone of the province, and each read is audited (who, when, why).
    people = set(selectors.person_list_for(area["manager"], reason=REASON))
    assert people == {area["person_a"], area["person_b"], area["citizen"].person}
    assert selectors.person_get_for(area["manager"], area["person_b"].pk, reason=REASON) == area["person_b"]
    events = list(AuditEvent.objects.filter(object_type="person").order_by("id"))
    assert [(e.action, e.object_id, e.actor, e.data["reason"]) for e in events] == [
        ("person.search_wide", "", area["manager"], REASON),
        ("person.read_wide", str(area["person_b"].pk), area["manager"], REASON),
    ]


@pytest.mark.django_db
def test_people_without_a_unit_only_for_superusers_and_province_administrators(area):
    drifter = PersonFactory(unit=None)
    admin = OfficerFactory()
    grant(admin, Role.ADMINISTRATOR, unit=area["province"])
    commune_admin = OfficerFactory()
    grant(commune_admin, Role.ADMINISTRATOR, unit=area["a"])
    assert drifter in selectors.person_list_for(admin, reason=REASON)
    assert drifter in selectors.person_list_for(OfficerFactory(is_superuser=True), reason=REASON)
    assert drifter not in selectors.person_list_for(area["manager"], reason=REASON)
    assert drifter not in selectors.person_list_for(commune_admin, reason=REASON)


@pytest.mark.django_db
def test_roles_do_not_count_on_a_citizen_account(area):
    citizen = area["citizen"]
    grant(citizen, Role.MANAGER, unit=area["province"])
    assert list(selectors.person_list_for(citizen)) == [area["person_a"]]


@pytest.mark.django_db
def test_anonymous_sees_nobody(area):
    from django.contrib.auth.models import AnonymousUser

    assert list(selectors.person_list_for(AnonymousUser())) == []
    with pytest.raises(NotFound):
        selectors.person_get_for(AnonymousUser(), area["person_a"].pk)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("q", "expected"),
    [("nguyen van at", "person_a"), ("Trần", "person_b"), ("0912000002", "person_b"), ("+84 912 000 001", "person_a")],
)
def test_search_by_folded_name_and_phone(area, q, expected):
    assert list(selectors.person_list_for(area["manager"], q=q, reason=REASON)) == [area[expected]]


@pytest.mark.django_db
def test_search_by_personal_id_prefix(area):
    assert list(selectors.person_list_for(area["manager"], q=area["person_b"].personal_id, reason=REASON)) == [
        area["person_b"]
    ]


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_people(area, django_assert_num_queries):
    for _n in range(5):
        PersonFactory(unit=area["b"])
    # roles for "administrator?" + roles for the wide view + the audit row + the people query
    with django_assert_num_queries(4):
        people = list(selectors.person_list_for(area["manager"], reason=REASON))
    assert len(people) == 7
    assert all(p.unit.name for p in people)


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_list_page_is_scoped(client, area):
    client.force_login(area["officer_a"])
    page = client.get("/can-bo/cong-dan/").content.decode()
    assert "Nguyễn Văn Ất" in page
    assert "Trần Thị Bính" not in page
    assert client.get(f"/can-bo/cong-dan/{area['person_a'].pk}/").status_code == 200
    assert client.get(f"/can-bo/cong-dan/{area['person_b'].pk}/").status_code == 404


@pytest.mark.django_db
def test_person_list_page_for_the_manager_and_search(client, area):
    client.force_login(area["manager"])
    page = client.get("/can-bo/cong-dan/", {"reason": REASON}).content.decode()
    assert "Nguyễn Văn Ất" in page and "Trần Thị Bính" in page
    page = client.get("/can-bo/cong-dan/", {"q": "binh", "reason": REASON}).content.decode()
    assert "Trần Thị Bính" in page and "Nguyễn Văn Ất" not in page


@pytest.mark.django_db
def test_officer_pages_refuse_citizens_and_send_anonymous_to_login(client, area):
    response = client.get("/can-bo/cong-dan/")
    assert response.status_code == 302
    assert response.url.startswith("/dang-nhap/?next=")
    client.force_login(area["citizen"])
    assert client.get("/can-bo/cong-dan/").status_code == 403
    assert client.get(f"/can-bo/cong-dan/{area['person_a'].pk}/").status_code == 403


@pytest.mark.django_db
def test_account_page_shows_the_citizen_only(client, area):
    client.force_login(area["citizen"])
    page = client.get("/tai-khoan/").content.decode()
    assert "Nguyễn Văn Ất" in page
    assert "Trần Thị Bính" not in page


# --- API --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_api_people_is_scoped(client, area):
    client.force_login(area["officer_a"])
    body = client.get("/api/v1/people").json()
    assert body["count"] == 1
    assert [p["full_name"] for p in body["items"]] == ["Nguyễn Văn Ất"]
    assert body["items"][0]["unit_name"] == "Xã Tân Thành"
    response = client.get(f"/api/v1/people/{area['person_b'].pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "person_not_found"
    assert client.get(f"/api/v1/people/{area['person_a'].pk}").json()["personal_id"] == area["person_a"].personal_id


@pytest.mark.django_db
def test_api_people_for_citizen_and_manager(client, area):
    client.force_login(area["citizen"])
    assert [p["id"] for p in client.get("/api/v1/people").json()["items"]] == [area["person_a"].pk]
    assert client.get(f"/api/v1/people/{area['person_b'].pk}").status_code == 404
    client.force_login(area["manager"])
    body = client.get("/api/v1/people", {"q": "tran thi", "reason": REASON}).json()
    assert [p["id"] for p in body["items"]] == [area["person_b"].pk]


@pytest.mark.django_db
def test_api_people_anonymous_gets_401_json(client, area):
    response = client.get("/api/v1/people")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert client.get(f"/api/v1/people/{area['person_a'].pk}").status_code == 401


@pytest.mark.django_db
def test_api_chip_qr(client):
    text = "096085000123||Nguyễn Văn An|15061985|Nam|Ấp 1, xã Tân Thành|10082021\r\n"
    response = client.post("/api/v1/identity/chip-qr", {"text": text}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "personal_id": "096085000123",
        "old_id": "",
        "full_name": "Nguyễn Văn An",
        "date_of_birth": "1985-06-15",
        "sex": "M",
        "address": "Ấp 1, xã Tân Thành",
        "issued_on": "2021-08-10",
    }
    response = client.post("/api/v1/identity/chip-qr", {"text": "không phải mã QR"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_chip_qr"
    assert client.post("/api/v1/identity/chip-qr", {}, content_type="application/json").status_code == 422


@pytest.mark.django_db
def test_openapi_documents_people_errors(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"200", "401", "404"} <= set(paths["/api/v1/people/{person_id}"]["get"]["responses"])
    assert "422" in paths["/api/v1/identity/chip-qr"]["post"]["responses"]


# --- creating people --------------------------------------------------------------------------


@pytest.mark.django_db
def test_person_create_in_scope(area):
    hamlet = HamletFactory(unit=area["a"])
    person = services.person_create(
        actor=area["officer_a"],
        full_name=" Phạm  Văn Cường ",
        unit=area["a"],
        hamlet=hamlet,
        personal_id="096090000555",
        date_of_birth=datetime.date(1990, 1, 1),
        sex="M",
        phone="84 939 111 222",
    )
    assert person.full_name == "Phạm Văn Cường"
    assert person.phone == "0939111222"
    assert AuditEvent.objects.filter(
        action="person.created", object_id=str(person.pk), actor=area["officer_a"]
    ).exists()


@pytest.mark.django_db
def test_person_create_outside_scope_or_by_citizen_is_refused(area):
    with pytest.raises(PermissionDenied) as exc:
        services.person_create(actor=area["officer_a"], full_name="Người Xã Khác", unit=area["b"])
    assert exc.value.code == "unit_out_of_scope"
    with pytest.raises(PermissionDenied):
        services.person_create(actor=area["citizen"], full_name="Ai Đó", unit=area["a"])
    assert services.person_create(actor=area["manager"], full_name="Người Xã Khác", unit=area["b"]).unit == area["b"]


@pytest.mark.django_db
def test_person_create_validates_everything_and_writes_nothing_on_error(area):
    before = Person.objects.count()
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=area["officer_a"],
            full_name="Ng Văn 3",
            unit=area["a"],
            personal_id="096185000555",
            date_of_birth=datetime.date(1985, 1, 1),
            sex="M",
            phone="0201234567",
            hamlet=HamletFactory(unit=area["b"]),
        )
    assert set(exc.value.details["fields"]) == {"full_name", "personal_id", "phone", "hamlet"}
    with pytest.raises(DomainError) as exc:
        services.person_create(
            actor=area["officer_a"], full_name="Trùng Số", unit=area["a"], personal_id=area["person_b"].personal_id
        )
    assert "đã có trong hệ thống" in exc.value.details["fields"]["personal_id"][0]
    assert Person.objects.count() == before


QR = "096185000321|381999888|Võ Thị Cẩm|20111985|Nữ|Ấp 3, xã Tân Thành, tỉnh Cà Mau|05052022"


@pytest.mark.django_db
def test_person_create_page_prefills_from_qr_then_saves(client, area):
    client.force_login(area["officer_a"])
    page = client.get("/can-bo/cong-dan/moi/").content.decode()
    assert "motcua/chipqr.js" in page
    assert "Xã Lý Văn Lâm" not in page  # only communes in the officer's scope are offered

    response = client.post("/can-bo/cong-dan/moi/", {"chip_qr": QR + "\r\n", "unit": area["a"].pk, "action": "fill"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="096185000321"' in page
    assert 'value="Võ Thị Cẩm"' in page
    assert 'value="1985-11-20"' in page
    assert 'value="2022-05-05"' in page
    assert '<option value="F" selected>' in page
    assert not Person.objects.filter(personal_id="096185000321").exists()

    form = {
        "personal_id": "096185000321",
        "old_id": "381999888",
        "full_name": "Võ Thị Cẩm",
        "date_of_birth": "1985-11-20",
        "sex": "F",
        "address": "Ấp 3, xã Tân Thành, tỉnh Cà Mau",
        "id_issued_on": "2022-05-05",
        "unit": area["a"].pk,
        "phone": "",
        "email": "",
        "hamlet": "",
        "chip_qr": "",
        "action": "save",
    }
    response = client.post("/can-bo/cong-dan/moi/", form)
    person = Person.objects.get(personal_id="096185000321")
    assert response.status_code == 302
    assert response.url == f"/can-bo/cong-dan/{person.pk}/"
    assert person.old_id == "381999888" and person.id_issued_on == datetime.date(2022, 5, 5)


@pytest.mark.django_db
def test_person_create_page_bad_qr_and_out_of_scope_unit(client, area):
    client.force_login(area["officer_a"])
    page = client.post("/can-bo/cong-dan/moi/", {"chip_qr": "rác", "full_name": "Giữ Lại"}).content.decode()
    assert "không phải mã QR" in page
    assert 'value="Giữ Lại"' in page
    response = client.post("/can-bo/cong-dan/moi/", {"full_name": "Người Xã Khác", "unit": area["b"].pk})
    assert response.status_code == 200
    assert not Person.objects.filter(full_name="Người Xã Khác").exists()
