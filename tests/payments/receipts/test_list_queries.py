"""The receipts API list shows each receipt's successor without a query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.payments.receipts.services import receipt_replace

pytestmark = pytest.mark.django_db


def _list(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/receipts")
    return response.json()["items"], len(queries)


def test_list_query_count_does_not_grow_with_rows(client, pay, receipt_of, cashier_a):
    client.force_login(cashier_a)
    first = receipt_of(pay())
    new = receipt_replace(receipt=first, actor=cashier_a, reason="Sai tên người nộp", payer_name="Trần Thị Mai")
    items, few = _list(client)
    assert {i["id"]: i["replaced_by_id"] for i in items} == {first.pk: new.pk, new.pk: None}
    for _ in range(3):
        pay()
    items, many = _list(client)
    assert len(items) == 5 and many == few
