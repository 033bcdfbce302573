"""Calendar endpoints and the admin pages for overrides and office hours."""

import pytest

from motcua.core.models import AuditEvent, CalendarOverride, OfficeHours
from tests.factories import UserFactory

ADD = "/api/v1/calendar/add-working-days"
BETWEEN = "/api/v1/calendar/working-days-between"


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.mark.django_db
def test_add_working_days_over_the_hung_kings_substitute_day(client):
    response = client.get(ADD, {"start": "2026-04-24T16:00:00", "days": "2"})
    assert response.status_code == 200
    body = response.json()
    assert body["start"] == "2026-04-24T16:00:00+07:00"
    assert body["due_at"] == "2026-04-29T16:00:00+07:00"
    assert body["days"] == 2
    assert body["working_dates"] == ["2026-04-24", "2026-04-28", "2026-04-29"]


@pytest.mark.django_db
def test_paper_dossier_after_cutoff_and_half_a_day(client):
    response = client.get(ADD, {"start": "2026-04-24T09:00:00Z", "days": "0.5", "paper": "true"})
    assert response.status_code == 200
    body = response.json()
    # 09:00 UTC is 16:00 in Vietnam: after the cut-off, so counting starts Tuesday 28/4 07:00.
    assert body["effective_start"] == "2026-04-28T07:00:00+07:00"
    assert body["due_at"] == "2026-04-28T11:00:00+07:00"


@pytest.mark.django_db
def test_working_days_between_endpoint(client):
    response = client.get(BETWEEN, {"start": "2026-04-29T10:00:00+07:00", "end": "2026-04-24T16:00:00"})
    assert response.status_code == 200
    assert response.json()["working_days"] == -1.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"start": "hôm qua", "days": "1"}, "invalid_start"),
        ({"start": "2026-04-24", "days": "-1"}, "validation_error"),
        ({"start": "2026-04-24", "days": "366"}, "validation_error"),
        ({"start": "2026-04-24", "days": "NaN"}, "validation_error"),
        ({"start": "2026-04-24", "days": "mười"}, "validation_error"),
        ({"days": "1"}, "validation_error"),
        ({"start": "9999-12-31T23:59:59", "days": "365"}, "date_out_of_range"),
        ({"start": "0001-01-01T00:00:00+14:00", "days": "1"}, "date_out_of_range"),
    ],
)
def test_bad_input_is_a_vietnamese_json_error(client, params, code):
    response = client.get(ADD, params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert body["message"]
    assert "không" in body["message"] or "ngoài" in body["message"]


@pytest.mark.django_db
def test_between_rejects_a_bad_end(client):
    response = client.get(BETWEEN, {"start": "2026-04-24T16:00:00", "end": "24/4/2026"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_end"


@pytest.mark.django_db
def test_openapi_documents_the_calendar_endpoints_and_their_errors(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (ADD, BETWEEN):
        responses = paths[path]["get"]["responses"]
        assert "200" in responses
        assert responses["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    names = {parameter["name"] for parameter in paths[ADD]["get"]["parameters"]}
    assert names == {"start", "days", "paper", "office_hours"}


@pytest.mark.django_db
def test_an_override_added_in_the_admin_changes_the_result(admin_client):
    params = {"start": "2026-03-02T10:00:00+07:00", "days": "1"}
    assert admin_client.get(ADD, params).json()["due_at"] == "2026-03-03T10:00:00+07:00"

    response = admin_client.post(
        "/quan-tri/core/calendaroverride/add/",
        {"date": "2026-03-03", "kind": "day_off", "reason": "Nghỉ thêm theo quyết định của UBND tỉnh Cà Mau", "legal_basis": "Quyết định số 1/QĐ-UBND"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    override = CalendarOverride.objects.get(date="2026-03-03")
    assert AuditEvent.objects.filter(action="calendar_override.create", object_id=str(override.pk)).exists()
    assert admin_client.get(ADD, params).json()["due_at"] == "2026-03-04T10:00:00+07:00"

    # A Saturday made a working day in the admin shortens a deadline over that weekend.
    friday = {"start": "2026-03-06T10:00:00+07:00", "days": "1"}
    assert admin_client.get(ADD, friday).json()["due_at"] == "2026-03-09T10:00:00+07:00"
    admin_client.post(
        "/quan-tri/core/calendaroverride/add/",
        {"date": "2026-03-07", "kind": "working_day", "reason": "Làm bù", "legal_basis": "Thử"},
    )
    assert admin_client.get(ADD, friday).json()["due_at"] == "2026-03-07T10:00:00+07:00"

    response = admin_client.post(f"/quan-tri/core/calendaroverride/{override.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert admin_client.get(ADD, params).json()["due_at"] == "2026-03-03T10:00:00+07:00"
    assert AuditEvent.objects.filter(action="calendar_override.delete").exists()


@pytest.mark.django_db
def test_admin_rejects_a_second_override_for_the_same_date_and_an_empty_reason(admin_client):
    url = "/quan-tri/core/calendaroverride/add/"
    basis = {"legal_basis": "Quyết định số 1/QĐ-UBND"}
    admin_client.post(url, {"date": "2026-03-03", "kind": "day_off", "reason": "Nghỉ thêm", **basis})
    duplicate = admin_client.post(url, {"date": "2026-03-03", "kind": "working_day", "reason": "Làm bù", **basis})
    assert duplicate.status_code == 200
    blank = admin_client.post(url, {"date": "2026-03-04", "kind": "day_off", "reason": "   ", **basis})
    assert blank.status_code == 200
    no_basis = admin_client.post(url, {"date": "2026-03-05", "kind": "day_off", "reason": "Nghỉ thêm"})
    assert no_basis.status_code == 200
    assert CalendarOverride.objects.filter(date__month=3, date__year=2026).count() == 1


@pytest.mark.django_db
def test_admin_list_shows_the_national_calendar(admin_client):
    admin_client.post(
        "/quan-tri/core/calendaroverride/add/",
        {"date": "2026-03-16", "kind": "working_day", "reason": "Thử nghiệm", "legal_basis": "Thử"},
    )
    page = admin_client.get("/quan-tri/core/calendaroverride/").content.decode()
    assert "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)" in page
    assert "Thứ Hai" in page


@pytest.mark.django_db
def test_office_hours_is_a_single_row_edited_in_the_admin(admin_client):
    response = admin_client.get("/quan-tri/core/officehours/")
    assert response.status_code == 302
    hours = OfficeHours.objects.get()
    assert response["Location"].endswith(f"/quan-tri/core/officehours/{hours.pk}/change/")
    assert admin_client.get("/quan-tri/core/officehours/add/").status_code == 403

    form = {
        "morning_start": "07:30",
        "morning_end": "11:30",
        "afternoon_start": "13:30",
        "afternoon_end": "17:00",
        "paper_cutoff": "15:00",
    }
    assert admin_client.post(response["Location"], form).status_code == 302
    # 7.5 h days now: Monday 07:30 + 1 day ends at 17:00.
    assert admin_client.get(ADD, {"start": "2026-03-02T07:00:00", "days": "1"}).json()["due_at"] == (
        "2026-03-02T17:00:00+07:00"
    )

    overlapping = {**form, "morning_end": "14:00"}
    assert admin_client.post(response["Location"], overlapping).status_code == 200
    assert OfficeHours.objects.get().morning_end.hour == 11
