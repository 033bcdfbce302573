"""A demo collection account is marked "tài khoản thử nghiệm" on the VietQR page and in the API."""

import pytest
from django.test import Client
from django.urls import reverse

from motcua.payments.models import CollectionAccount

pytestmark = pytest.mark.django_db

DEMO = "Tài khoản thử nghiệm"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_demo_account_is_marked_on_the_page_and_in_the_api(waiting, pay_request, citizen, account_a):
    CollectionAccount.objects.filter(pk=account_a.pk).update(is_demo=True)
    body = _client(citizen).get(reverse("payments:dossier_pay", args=[waiting.code])).content.decode()
    assert DEMO in body and "tài khoản thử nghiệm" in body and 'id="demo-account"' in body
    api = _client(citizen).get(f"/api/v1/payments/requests/{pay_request.reference}/vietqr").json()
    assert api["is_demo"] is True


def test_real_account_is_not_marked(waiting, pay_request, citizen):
    body = _client(citizen).get(reverse("payments:dossier_pay", args=[waiting.code])).content.decode()
    assert DEMO not in body and 'id="demo-account"' not in body
    api = _client(citizen).get(f"/api/v1/payments/requests/{pay_request.reference}/vietqr").json()
    assert api["is_demo"] is False
