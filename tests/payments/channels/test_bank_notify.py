"""Bank notifications: signed, idempotent on the bank's transaction id, and known to statement imports."""

import pytest
from django.urls import reverse

from motcua.fakes.bank import notification_body
from motcua.payments.channels.services.bank_notify import sign
from motcua.payments.channels.services.statements import statement_import
from motcua.payments.models import LineOutcome, Payment, PaymentRequestStatus

from .test_statements import csv_bytes

pytestmark = pytest.mark.django_db
SECRET = "bi-mat-ngan-hang"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.BANK_WEBHOOK_SECRET = SECRET


def _post(client, raw: bytes, signature: str):
    return client.post(
        reverse("payment_channels:bank_notify"),
        data=raw,
        content_type="application/json",
        headers={"X-Signature": signature},
    )


def test_signed_notification_is_counted_once(client, make_request, account_a, cashier_a):
    request = make_request(8000)
    raw = notification_body(
        transaction_id="FT9001",
        amount=8000,
        description=f"{request.reference} nop phi",
        transaction_date="2026-11-22T09:15:00+07:00",
        payer_name="TRAN THI MAI",
    )
    first = _post(client, raw, sign(raw, SECRET))
    assert first.status_code == 200 and first.json()["code"] == "recorded"
    again = _post(client, raw, sign(raw, SECRET))
    assert again.json() == {**first.json(), "code": "duplicate"}
    request.refresh_from_db()
    assert (request.status, request.amount_paid) == (PaymentRequestStatus.PAID, 8000)
    assert Payment.objects.count() == 1

    # The same transaction later appears in the imported statement: a duplicate line, not money twice.
    statement = statement_import(
        account=account_a,
        file_name="s.csv",
        actor=cashier_a,
        content=csv_bytes([[1, "22/11/2026", "FT9001", "", "8.000", request.reference]]),
    )
    assert statement.lines.get().outcome == LineOutcome.DUPLICATE
    assert Payment.objects.count() == 1


def test_bad_signature_and_bad_body(client, make_request):
    raw = notification_body(transaction_id="FT9002", amount=8000, description=make_request().reference)
    response = _post(client, raw, sign(raw, "sai-bi-mat"))
    assert response.status_code == 401 and response.json()["code"] == "signature_invalid"
    assert _post(client, raw, "").status_code == 401
    tampered = raw.replace(b"8000", b"80000")
    assert _post(client, tampered, sign(raw, SECRET)).status_code == 401
    junk = b"not json"
    assert _post(client, junk, sign(junk, SECRET)).status_code == 400
    assert not Payment.objects.exists()


def test_debit_is_ignored_and_unknown_reference_kept_unmatched(client):
    debit = notification_body(transaction_id="FT9003", amount=5000, description="phi", credit=False)
    assert _post(client, debit, sign(debit, SECRET)).json()["code"] == "ignored"
    stray = notification_body(transaction_id="FT9004", amount=5000, description="chuyen tien")
    body = _post(client, stray, sign(stray, SECRET)).json()
    assert body["code"] == "recorded" and body["status"] == "unmatched"


def test_a_digit_that_is_not_a_number_is_a_400(client):
    # "²" passes str.isdigit() but not int(): a clear refusal, not a 500.
    raw = notification_body(transaction_id="FT9100", amount="²", description="x")
    response = _post(client, raw, sign(raw, SECRET))
    assert response.status_code == 400 and response.json()["code"] == "amount_invalid"
