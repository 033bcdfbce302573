"""Money arriving at the same moment (PostgreSQL row locks under threads): counted once each, never lost."""

import threading

import pytest
from django.db import connections

from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus
from motcua.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentRequestStatus
from motcua.payments.services.apply import payment_record

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def _together(calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, kwargs):
        try:
            barrier.wait(timeout=10)
            results[i] = payment_record(**kwargs)
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_same_bank_transaction_twice_at_once_counts_once(pay_request, waiting):
    call = {"method": PaymentMethod.BANK_TRANSFER, "amount": 8000, "external_id": "FT-RACE",
            "description": pay_request.reference}
    results = _together([call, dict(call)])
    assert all(not isinstance(r, Exception) for r in results), results
    assert sorted(r.created for r in results) == [False, True]
    assert Payment.objects.count() == 1
    assert PaymentRequest.objects.get(pk=pay_request.pk).amount_paid == 8000
    assert Dossier.objects.get(pk=waiting.pk).status == DossierStatus.PROCESSING
    assert DossierEvent.objects.filter(dossier=waiting, action="fees_paid").count() == 1


def test_two_halves_at_once_both_count_and_settle_once(pay_request, waiting):
    calls = [
        {"method": PaymentMethod.BANK_TRANSFER, "amount": 4000, "external_id": f"FT-H{i}",
         "description": pay_request.reference}
        for i in range(2)
    ]
    results = _together(calls)
    assert all(r.created for r in results), results
    settled = PaymentRequest.objects.get(pk=pay_request.pk)
    assert settled.amount_paid == 8000 and settled.status == PaymentRequestStatus.PAID
    assert DossierEvent.objects.filter(dossier=waiting, action="fees_paid").count() == 1
