"""Public lookup by code and the last four phone digits: what it shows, what it hides, throttling."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from motcua.dossiers.models import DossierEvent, DossierStatus, DossierStep
from motcua.dossiers.selectors import lookup as selectors_lookup

pytestmark = pytest.mark.django_db

WRONG = "Không tìm thấy hồ sơ với mã và số điện thoại đã nhập"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dossier(make_dossier, agency_a, receptionist_a):
    from tests.dossiers.conftest import MONDAY_10

    dossier = make_dossier(
        status=DossierStatus.PROCESSING,
        received_at=MONDAY_10,
        due_at=MONDAY_10 + datetime.timedelta(days=3),
    )
    DossierStep.objects.create(
        dossier=dossier,
        order=1,
        kind="appraise",
        name="Thẩm định hồ sơ",
        role="specialist",
        agency=agency_a,
        duration_days=2,
        state=DossierStep.State.ACTIVE,
    )
    DossierEvent.objects.create(dossier=dossier, action="receive", to_status="received", actor=receptionist_a)
    DossierEvent.objects.create(dossier=dossier, action="forward", note="ghi chú nội bộ bí mật", public=False)
    return dossier


def test_right_phone_shows_status_and_public_history(client, dossier):
    phone4 = dossier.applicant_phone[-4:]
    response = client.get("/api/v1/lookup", {"code": dossier.code, "phone4": phone4})
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["status_label"] == "Đang xử lý" and body["national_status_code"] == 4
    assert body["current_step"] == "Thẩm định hồ sơ"
    assert body["procedure_name"] == "Đăng ký khai sinh"
    assert body["receiving_agency"] == "UBND xã Tân Thành"
    assert [event["label"] for event in body["history"]] == ["Tiếp nhận hồ sơ"]
    assert body["applicant_masked"] == "T*** T*** M***"
    raw = response.content.decode()
    for secret in (
        dossier.applicant_phone,
        dossier.applicant_personal_id,
        "Trần Thị Mai",
        "bí mật",
        dossier.applicant_address,
    ):
        assert secret not in raw


def test_wrong_phone_and_unknown_code_answer_the_same(client, dossier):
    wrong_phone = client.get("/api/v1/lookup", {"code": dossier.code, "phone4": "0000"})
    unknown = client.get(
        "/api/v1/lookup", {"code": "000.99.99.H12-260316-9999", "phone4": dossier.applicant_phone[-4:]}
    )
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()
    assert WRONG in wrong_phone.json()["message"]


def test_page_without_javascript(client, dossier):
    url = reverse("dossiers:lookup")
    assert client.get(url).status_code == 200
    page = client.get(url, {"code": dossier.code, "phone4": dossier.applicant_phone[-4:]}).content.decode()
    assert "Đang xử lý" in page and "Tiếp nhận hồ sơ" in page and dossier.applicant_phone not in page
    wrong = client.get(url, {"code": dossier.code, "phone4": "0000"}).content.decode()
    assert WRONG in wrong


def test_brute_force_is_throttled_per_client(client, dossier):
    right = {"code": dossier.code, "phone4": dossier.applicant_phone[-4:]}
    guesses = [f"{n:04d}" for n in range(100, 200) if f"{n:04d}" != right["phone4"]]
    for guess in guesses[: selectors_lookup.LOOKUP_MAX_FAILURES]:
        assert client.get("/api/v1/lookup", {"code": dossier.code, "phone4": guess}).status_code == 404
    blocked = client.get("/api/v1/lookup", right)
    assert blocked.status_code == 429
    assert blocked.json()["code"] == "too_many_attempts"
    page = client.get(reverse("dossiers:lookup"), right)
    assert page.status_code == 429
    assert "quá nhiều lần" in page.content.decode()
    # Another address is not affected.
    assert client.get("/api/v1/lookup", right, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_apology_date_is_the_expected_date(client, dossier):
    new_date = dossier.due_at + datetime.timedelta(days=5)
    dossier.apology_due_at = new_date
    dossier.save(update_fields=["apology_due_at"])
    body = client.get("/api/v1/lookup", {"code": dossier.code, "phone4": dossier.applicant_phone[-4:]}).json()
    assert body["apology"] is True
    assert datetime.datetime.fromisoformat(body["expected_at"]) == new_date


def test_lookup_page_follows_the_dossier_and_its_throttle_every_time(client, dossier):
    url, right = reverse("dossiers:lookup"), {"code": dossier.code, "phone4": dossier.applicant_phone[-4:]}
    first = client.get(url, right).content.decode()
    assert client.get(url, right).content.decode() == first
    DossierEvent.objects.create(dossier=dossier, action="resolve", to_status="resolved")
    assert "Tiếp nhận hồ sơ" in first and first.count("<li>") + 1 == client.get(url, right).content.decode().count(
        "<li>"
    )
    for n in range(selectors_lookup.LOOKUP_MAX_FAILURES):
        client.get(url, {"code": dossier.code, "phone4": f"{n:04d}" if f"{n:04d}" != right["phone4"] else "9999"})
    blocked = client.get(url, right)
    assert blocked.status_code == 429 and "quá nhiều lần" in blocked.content.decode()
