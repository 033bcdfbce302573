"""Who sees which requests and payments (pages and API), and the API's errors."""

import pytest
from django.test import Client
from django.urls import reverse

from motcua.payments.models import PaymentMethod, PaymentRequestStatus, PaymentStatus
from motcua.payments.services.apply import payment_record
from motcua.payments.services.cash import cash_record
from motcua.payments.services.vietqr import decode
from tests.factories import CitizenUserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/payments"


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


# --- access --------------------------------------------------------------------------------------


def test_citizen_sees_their_own_request_page_with_a_qr(waiting, pay_request, citizen):
    response = _client(citizen).get(reverse("payments:dossier_pay", args=[waiting.code]))
    assert response.status_code == 200
    body = response.content.decode()
    assert pay_request.reference in body and "7900123456789" in body and "<svg" in body
    detail = _client(citizen).get(reverse("dossiers:detail", args=[waiting.code])).content.decode()
    assert reverse("payments:dossier_pay", args=[waiting.code]) in detail


def test_another_citizen_gets_404(waiting, pay_request, commune_a):
    stranger = CitizenUserFactory()
    client = _client(stranger)
    assert client.get(reverse("payments:dossier_pay", args=[waiting.code])).status_code == 404
    assert client.get(reverse("payments:qr_png", args=[pay_request.reference])).status_code == 404
    assert client.get(f"{API}/dossiers/{waiting.code}/request").status_code == 404
    assert client.get(f"{API}/requests/{pay_request.reference}/vietqr").status_code == 404


def test_cashier_of_another_commune_sees_nothing(waiting, pay_request, cashier_b, account_b):
    released = payment_record(method=PaymentMethod.BANK_TRANSFER, amount=500, external_id="FT-A",
                              description=f"{pay_request.reference}")
    client = _client(cashier_b)
    assert client.get(reverse("payments:desk_request", args=[pay_request.reference])).status_code == 404
    listing = client.get(reverse("payments:desk")).content.decode()
    assert pay_request.reference not in listing
    assert client.get(f"{API}/requests/{pay_request.reference}").status_code == 404
    assert _post(client, f"{API}/requests/{pay_request.reference}/cash", {"amount": 8000}).status_code == 404
    assert _post(client, f"{API}/received/{released.payment.pk}/refund", {"note": "x"}).status_code == 404
    assert all(p["id"] != released.payment.pk for p in client.get(f"{API}/unmatched").json())
    assert client.get(reverse("payments:desk_unmatched")).status_code == 200


def test_cashier_desk_lists_and_records_cash(waiting, pay_request, cashier_a):
    client = _client(cashier_a)
    assert pay_request.reference in client.get(reverse("payments:desk")).content.decode()
    url = reverse("payments:desk_request", args=[pay_request.reference])
    page = client.get(url)
    assert page.status_code == 200
    slip = page.context["cash_form"].initial["slip_id"]
    for _ in range(2):  # a double submit records once
        response = client.post(url, {"action": "cash", "amount": "8000", "slip_id": slip, "payer_name": "Mai"})
        assert response.status_code == 302
    pay_request.refresh_from_db()
    assert pay_request.status == PaymentRequestStatus.PAID and pay_request.payments.count() == 1


def test_officers_without_a_cash_role_have_no_desk(specialist_a):
    assert _client(specialist_a).get(reverse("payments:desk")).status_code == 404


def test_unmatched_page_assigns_and_refunds(waiting, pay_request, cashier_a):
    first = payment_record(method=PaymentMethod.BANK_TRANSFER, amount=8000, external_id="FT-1", description="?")
    second = payment_record(method=PaymentMethod.BANK_TRANSFER, amount=500, external_id="FT-2", description="?")
    # Money with no agency at all is for the province's cash desk, not a commune's.
    assert "FT-1" not in _client(cashier_a).get(reverse("payments:desk_unmatched")).content.decode()
    first.payment.request = pay_request  # e.g. named a request that was cancelled later
    first.payment.save(update_fields=["request"])
    second.payment.request = pay_request
    second.payment.save(update_fields=["request"])
    client = _client(cashier_a)
    url = reverse("payments:desk_unmatched")
    assert "FT-1" in client.get(url).content.decode()
    client.post(url, {"action": "assign", "payment": first.payment.pk, "reference": pay_request.reference})
    client.post(url, {"action": "refund", "payment": second.payment.pk, "note": "Trả lại tiền mặt"})
    first.payment.refresh_from_db()
    second.payment.refresh_from_db()
    assert first.payment.status == PaymentStatus.SUCCEEDED and second.payment.status == PaymentStatus.REFUNDED


def test_desk_creates_a_request_for_old_data(make_received_dossier, specialist_a, cashier_a, account_a):
    from motcua.dossiers.models import DossierStatus
    from motcua.payments.models import PaymentRequest

    dossier = make_received_dossier()
    dossier.status, dossier.paused_at = DossierStatus.PAYMENT_REQUESTED, dossier.received_at
    dossier.save(update_fields=["status", "paused_at"])
    client = _client(cashier_a)
    assert dossier.code in client.get(reverse("payments:desk")).content.decode()
    url = reverse("payments:desk_create", args=[dossier.code])
    assert "Lệ phí đăng ký" in client.get(url).content.decode()
    preview = client.post(url, {"action": "preview", "use_0": "1", "quantity_0": "3"})
    assert preview.context["preview"].total == 24000 and not PaymentRequest.objects.exists()
    response = client.post(url, {"action": "create", "use_0": "1", "quantity_0": "2"})
    request = PaymentRequest.objects.get(dossier=dossier)
    assert response.status_code == 302 and request.amount_due == 16000


# --- API -----------------------------------------------------------------------------------------


def test_api_citizen_reads_request_and_vietqr(waiting, pay_request, citizen):
    client = _client(citizen)
    data = client.get(f"{API}/dossiers/{waiting.code}/request").json()
    assert data["reference"] == pay_request.reference and data["amount_outstanding"] == 8000
    qr = client.get(f"{API}/requests/{pay_request.reference}/vietqr").json()
    decoded = decode(qr["payload"])
    assert decoded.amount == 8000 and decoded.purpose == pay_request.reference and qr["content"] == decoded.purpose


def test_api_officer_creates_a_request_through_the_workflow(received_dossier, specialist_a, account_a):
    response = _post(_client(specialist_a), f"{API}/dossiers/{received_dossier.code}/request",
                     {"items": [{"index": 0, "quantity": 2}], "note": "Hai bản"})
    assert response.status_code == 201, response.content
    assert response.json()["amount_due"] == 16000
    received_dossier.refresh_from_db()
    assert received_dossier.status == "payment_requested" and received_dossier.paused_at


def test_api_cash_assign_refund(waiting, pay_request, cashier_a):
    client = _client(cashier_a)
    cash = _post(client, f"{API}/requests/{pay_request.reference}/cash", {"amount": 3000, "slip_id": "TM-9"})
    assert cash.status_code == 200 and cash.json()["request"]["status"] == "partly_paid"
    again = _post(client, f"{API}/requests/{pay_request.reference}/cash", {"amount": 3000, "slip_id": "TM-9"})
    assert again.json()["created"] is False
    loose = payment_record(method=PaymentMethod.BANK_TRANSFER, amount=5000, external_id="FT-L", description="?",
                           request=None)
    loose.payment.request = pay_request
    loose.payment.status = PaymentStatus.UNMATCHED
    loose.payment.save(update_fields=["request", "status"])
    assert any(p["id"] == loose.payment.pk for p in client.get(f"{API}/unmatched").json())
    assigned = _post(client, f"{API}/received/{loose.payment.pk}/assign", {"reference": pay_request.reference})
    assert assigned.status_code == 200 and assigned.json()["status"] == "succeeded"
    refund = _post(client, f"{API}/received/{loose.payment.pk}/refund", {"note": "x"})
    assert refund.status_code == 409 and refund.json()["code"] == "payment_not_unmatched"


@pytest.mark.parametrize("body, status, code", [
    ({"amount": 0}, 400, "amount_invalid"),
    ({"amount": "tám nghìn"}, 422, "validation_error"),
    ({}, 422, "validation_error"),
])
def test_api_cash_errors(pay_request, cashier_a, body, status, code):
    response = _post(_client(cashier_a), f"{API}/requests/{pay_request.reference}/cash", body)
    assert response.status_code == status and response.json()["code"] == code


def test_api_errors_for_the_wrong_people_and_states(waiting, pay_request, citizen, cashier_a):
    assert Client().get(f"{API}/dossiers/{waiting.code}/request").json()["code"] == "unauthenticated"
    create = _post(_client(citizen), f"{API}/dossiers/{waiting.code}/request", {"amount": 1})
    assert create.status_code == 403
    cash_record(request=pay_request, actor=cashier_a, amount=8000)
    closed = _post(_client(cashier_a), f"{API}/requests/{pay_request.reference}/cash", {"amount": 1})
    assert closed.status_code == 409 and closed.json()["code"] == "payment_request_closed"
    missing = _post(_client(cashier_a), f"{API}/received/999999/assign", {"reference": pay_request.reference})
    assert missing.status_code == 404 and missing.json()["code"] == "payment_not_found"
    unknown = _post(_client(cashier_a), f"{API}/requests/MC99999999/cancel", {"reason": "x"})
    assert unknown.status_code == 404


def test_desk_list_query_count_does_not_grow_with_rows(make_received_dossier, specialist_a, cashier_a, account_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers.services.workflow import dossier_act

    client = _client(cashier_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("payments:desk")).status_code == 200
        return len(ctx.captured_queries)

    dossier_act(dossier=make_received_dossier(), actor=specialist_a, action="request_fees")
    one = queries()
    for _ in range(4):
        dossier_act(dossier=make_received_dossier(), actor=specialist_a, action="request_fees")
    assert queries() == one


def test_the_api_never_passes_the_system_flag(waiting, citizen):
    response = _post(_client(citizen), f"/api/v1/dossiers/{waiting.code}/actions/fees_paid", {"system": True})
    assert response.status_code == 403 and response.json()["code"] == "action_forbidden"
    waiting.refresh_from_db()
    assert waiting.status == "payment_requested"
