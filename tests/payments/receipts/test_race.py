"""Many payments recorded at the same moment: every receipt gets its own number, none skipped."""

import threading

import pytest
from django.db import connections

from motcua.payments.models import PaymentMethod, Receipt, ReceiptSeries
from motcua.payments.services.apply import payment_record

THREADS = 6


def _race(calls):
    barrier = threading.Barrier(len(calls))
    errors = []

    def run(call):
        try:
            barrier.wait(timeout=10)
            call()
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_take_consecutive_numbers(make_request, agency_a, agency_b):
    # The first receipts of the year also race to create the default series.
    requests = [make_request(agency=agency_a if i % 3 else agency_b) for i in range(THREADS)]

    def pay(request):
        return lambda: payment_record(method=PaymentMethod.CASH, amount=request.amount_due, request=request)

    errors = _race([pay(r) for r in requests])

    assert errors == []
    for agency in (agency_a, agency_b):
        numbers = sorted(Receipt.objects.filter(series__agency=agency).values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        series = ReceiptSeries.objects.get(agency=agency)
        assert series.last_number == len(numbers)
    assert Receipt.objects.count() == THREADS
