"""Amounts no fee could reach are refused with a clear 400, not a database overflow (a 500)."""

import pytest
from django.urls import reverse

from motcua.payments.channels.services.statement_parse import parse_amount
from motcua.payments.models import Payment, PaymentRequest

from .test_access_api import API, _client, _post

pytestmark = pytest.mark.django_db
HUGE = 10**20


def test_api_cash_of_an_absurd_amount_is_a_400(pay_request, cashier_a):
    response = _post(_client(cashier_a), f"{API}/requests/{pay_request.reference}/cash", {"amount": HUGE})
    assert response.status_code == 400 and response.json()["code"] == "amount_invalid"
    assert not Payment.objects.exists()


def test_desk_cash_of_an_absurd_amount_is_a_message(pay_request, cashier_a):
    url = reverse("payments:desk_request", kwargs={"reference": pay_request.reference})
    response = _client(cashier_a).post(url, {"action": "cash", "amount": str(HUGE), "slip_id": "TM-X"})
    assert response.status_code == 302
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    "body, code",
    [
        ({"amount": HUGE}, "amount_invalid"),
        ({"items": [{"index": 0, "quantity": HUGE}]}, "quantity_invalid"),
    ],
)
def test_api_request_of_an_absurd_amount_is_a_400(received_dossier, specialist_a, account_a, body, code):
    response = _post(_client(specialist_a), f"{API}/dossiers/{received_dossier.code}/request", body)
    assert response.status_code == 400 and response.json()["code"] == code
    assert not PaymentRequest.objects.exists()


@pytest.mark.parametrize("value", [HUGE, str(HUGE), "100.000.000.000.000.000.000", float(HUGE)])
def test_statement_amount_beyond_any_account_is_an_invalid_cell(value):
    with pytest.raises(ValueError):
        parse_amount(value)
