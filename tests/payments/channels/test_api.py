"""The channels API: statement upload and results, gateway start, IPN and bank webhook in the schema."""

import io

import pytest

from motcua.payments.channels.services.bank_notify import sign
from motcua.payments.models import (
    BankStatementImport,
    GatewayTransaction,
    Payment,
    PaymentMethod,
    PaymentStatus,
)

from .test_statements import csv_bytes

pytestmark = pytest.mark.django_db


def test_statement_upload_and_lines(client, make_request, account_a, cashier_a, cashier_b):
    request = make_request(8000)
    client.force_login(cashier_a)
    upload = io.BytesIO(
        csv_bytes(
            [
                [1, "05/11/2026", "FT1", "", "8.000", request.reference],
                [2, "05/11/2026", "FT2", "", "oops", "x"],
            ]
        )
    )
    upload.name = "sk.csv"
    created = client.post("/api/v1/payments/statements", {"file": upload, "account_id": account_a.pk})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["summary"]["matched"] == 1 and body["summary"]["invalid"] == 1

    detail = client.get(f"/api/v1/payments/statements/{body['id']}?outcome=invalid").json()
    assert [line["bank_txn_id"] for line in detail["lines"]] == ["FT2"]
    assert "không hợp lệ" in detail["lines"][0]["error"]

    upload.seek(0)
    again = client.post("/api/v1/payments/statements", {"file": upload, "account_id": account_a.pk})
    assert again.status_code == 409 and again.json()["code"] == "statement_already_imported"

    client.force_login(cashier_b)
    assert client.get(f"/api/v1/payments/statements/{body['id']}").status_code == 404
    assert client.get("/api/v1/payments/statements").json() == []


def test_transaction_recorded_during_the_import_is_a_409_conflict_not_a_500(
    client, monkeypatch, make_request, account_a, cashier_a
):
    # A bank notification records FT9 after the import looked for recorded ids and before it wrote its
    # payments: the unique (method, external_id) refuses the write (inside COPY on PostgreSQL).
    request = make_request(8000)
    monkeypatch.setattr("motcua.payments.channels.services.statements._recorded_ids", lambda ids: set())
    Payment.objects.create(
        request=request,
        method=PaymentMethod.BANK_TRANSFER,
        status=PaymentStatus.SUCCEEDED,
        amount=8000,
        external_id="FT9",
        received_at="2026-11-05T08:00:00+07:00",
    )
    client.force_login(cashier_a)
    upload = io.BytesIO(csv_bytes([[1, "05/11/2026", "FT9", "", "8.000", request.reference]]))
    upload.name = "sk.csv"
    response = client.post("/api/v1/payments/statements", {"file": upload, "account_id": account_a.pk})
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "statement_conflict"
    assert not BankStatementImport.objects.exists()
    assert Payment.objects.count() == 1

    # Nothing was kept: importing the same file again works, and the line is the duplicate it is.
    monkeypatch.undo()
    upload.seek(0)
    again = client.post("/api/v1/payments/statements", {"file": upload, "account_id": account_a.pk})
    assert again.status_code == 201, again.content
    assert again.json()["summary"]["duplicate"] == 1


def test_gateway_start_and_ipn(client, settings, make_request, citizen):
    settings.PAYMENT_GATEWAY, settings.PAYMENT_GATEWAY_URL = "sandbox", ""
    request = make_request(8000)
    client.force_login(citizen)
    started = client.post(f"/api/v1/payments/gateway/start/{request.reference}")
    assert started.status_code == 201
    assert "/thanh-toan/kenh/sandbox/vpcpay.html?" in started.json()["redirect_url"]
    assert GatewayTransaction.objects.get().txn_ref == started.json()["txn_ref"]
    forged = client.get(
        "/api/v1/payments/gateway/ipn", {"vnp_TxnRef": started.json()["txn_ref"], "vnp_SecureHash": "00"}
    )
    assert forged.json()["RspCode"] == "97"


def test_bank_webhook_and_schema(client, settings):
    settings.BANK_WEBHOOK_SECRET = "k"
    raw = b'{"transactionId": "FT77", "amount": 1000, "description": "x"}'
    ok = client.post(
        "/api/v1/payments/bank/notifications",
        data=raw,
        content_type="application/json",
        headers={"X-Signature": sign(raw, "k")},
    )
    assert ok.json()["code"] == "recorded"
    bad = client.post(
        "/api/v1/payments/bank/notifications", data=raw, content_type="application/json", headers={"X-Signature": "x"}
    )
    assert bad.status_code == 401 and bad.json()["code"] == "signature_invalid"
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/payments/statements",
        "/api/v1/payments/statements/{statement_id}",
        "/api/v1/payments/gateway/start/{reference}",
        "/api/v1/payments/gateway/ipn",
        "/api/v1/payments/bank/notifications",
    ):
        assert path in paths
