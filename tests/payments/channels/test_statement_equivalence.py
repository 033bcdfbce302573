"""A bank statement imported in bulk counts money exactly as `payment_record` does line by line.

`statement_import` re-implements `payment_record`'s counting in bulk for speed. The same world (dossiers
waiting for their fee, one request already paid, one transaction already recorded by a bank
notification) is built once; the statement is imported in bulk inside a savepoint, everything it wrote
is read back, the savepoint is rolled back (the copy of the same data), and the same lines go one by
one through `payment_record`. Totals and statuses per request, payments, receipts (count, amounts,
items, the numbers' sequence) and the dossiers resumed must be the same.
"""

import datetime
from collections import Counter

import pytest
from django.db import transaction
from django.utils import timezone

from motcua.core.models import AuditEvent
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.channels.services.statement_parse import statement_parse
from motcua.payments.channels.services.statements import statement_import
from motcua.payments.models import Payment, PaymentMethod, PaymentRequest, PaymentRequestStatus, Receipt
from motcua.payments.services.apply import payment_record
from tests.dossiers.conftest import make_received_dossier, receptionist_a, specialist_a  # noqa: F401

from .test_statements import csv_bytes

pytestmark = pytest.mark.django_db

FEE = 8000  # the procedure's fee (tests/dossiers/conftest.py)


class _Rollback(Exception):
    pass


# One instant for the whole test, inside working hours. The two paths resume the dossiers at different
# moments; with a running clock the working time paused (and the due date it pushes) differed between
# them by the seconds the bulk pass took, and only during working hours.
NOW = datetime.datetime(2026, 11, 6, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture(autouse=True)
def _no_receipt_pdf(settings):
    # Receipt PDFs are built when first opened, as a bulk import does; they have tests of their own.
    settings.RECEIPT_PDF_ON_ISSUE = False


@pytest.fixture
def world(make_received_dossier, specialist_a, cashier_a):  # noqa: F811
    """Eight dossiers asked to pay their fee through `request_fees`; the eighth already paid in cash;
    one transfer (FT-PRE) already recorded by a bank notification for the seventh."""
    requests = []
    for _ in range(8):
        dossier = make_received_dossier()
        dossier_act(dossier=dossier, actor=specialist_a, action="request_fees")
        requests.append(PaymentRequest.objects.get(dossier=dossier))
    assert {r.amount_due for r in requests} == {FEE}
    payment_record(method=PaymentMethod.CASH, amount=FEE, external_id="TM-1", request=requests[7], actor=cashier_a)
    payment_record(
        method=PaymentMethod.BANK_TRANSFER,
        amount=3000,
        external_id="FT-PRE",
        description=f"{requests[6].reference} chuyen truoc",
    )
    return requests


def _rows(requests):
    r = [request.reference for request in requests]
    day = "05/11/2026"
    return [
        [1, day, "FT01", "", "8.000", f"{r[0]} NOP LE PHI"],  # exact
        [2, day, "FT02", "", "5.000", f"nop phi {r[1].lower()}"],  # partial, stays partial
        [3, day, "FT03", "", "12.000", f"IBFT {r[2]}"],  # over-payment
        [4, day, "FT04", "", "20.000", "chuyen tien khong ghi ma"],  # unmatched: no reference
        [5, day, "FT01", "", "8.000", f"{r[0]} lap lai"],  # duplicate inside the file
        [6, day, "FT-PRE", "", "3.000", f"{r[6]} chuyen truoc"],  # duplicate of the bank notification
        [7, day, "FT07", "", "3.000", f"{r[3]} lan 1"],  # several lines for one request:
        [8, day, "FT08", "", "3.000", f"{r[3]} lan 2"],  # partly, partly,
        [9, day, "FT09", "", "4.000", f"{r[3]} lan 3"],  # then over-paid (10.000)
        [10, day, "FT10", "", "4.000", f"{r[4]} lan 1"],  # half,
        [11, day, "FT11", "", "4.000", f"{r[4]} lan 2"],  # then exactly paid,
        [12, day, "FT12", "", "1.000", f"{r[4]} lan 3"],  # then no longer waiting: unmatched
        [13, day, "FT13", "", "8.000", f"{r[7]} nop lai"],  # a request already paid: unmatched
        [14, day, "FT14", "", "8.000", f"{r[5]} {r[0]}"],  # two references: unmatched
        [15, day, "FT15", "", "5.000", f"{r[6]} phan con lai"],  # completes FT-PRE's request exactly
        [16, day, "FT16", "", "8.000", "MCZZZZZZZZ khong co"],  # a reference that does not exist
        [17, day, "FT17", "11.000", "", "phi dich vu"],  # a debit: not money in
    ]


def _snapshot(requests) -> dict:
    """What the counting wrote, in terms that do not depend on row ids or the clock."""
    by_pk = {request.pk: index for index, request in enumerate(requests)}
    state = []
    for request in requests:
        request.refresh_from_db()
        dossier = request.dossier
        dossier.refresh_from_db()
        resumed = list(dossier.events.filter(action="fees_paid").values_list("actor_id", "data"))
        state.append(
            (
                request.status,
                request.amount_paid,
                request.paid_at is not None,
                dossier.status,
                dossier.paused_at is None,
                resumed,
            )
        )
    payments = [
        (p.external_id, p.method, p.status, p.amount, by_pk.get(p.request_id))
        for p in Payment.objects.order_by("external_id")
    ]
    receipts = [
        (
            r.series_id,
            r.number,
            r.amount,
            r.items,
            r.payment.external_id,
            by_pk.get(r.request_id),
            r.dossier_id,
            r.payer_name,
            r.method,
            r.status,
            r.collector_tax_code,
        )
        for r in Receipt.objects.select_related("payment").order_by("series_id", "number")
    ]
    audit = Counter(
        AuditEvent.objects.filter(action__in=("payment.record", "receipt.issue")).values_list("action", flat=True)
    )
    return {"requests": state, "payments": payments, "receipts": receipts, "audit": audit}


def test_bulk_import_counts_like_payment_record_line_by_line(world, account_a, cashier_a):
    content = csv_bytes(_rows(world))
    before = _snapshot(world)

    try:
        with transaction.atomic():
            statement_import(account=account_a, file_name="sk.csv", content=content, actor=cashier_a)
            bulk = _snapshot(world)
            raise _Rollback
    except _Rollback:
        pass
    assert _snapshot(world) == before  # the copy: exactly the data the bulk import started from

    for line in statement_parse(file_name="sk.csv", content=content):
        if line.error or not (line.credit or 0) > 0:
            continue
        payment_record(
            method=PaymentMethod.BANK_TRANSFER,
            amount=line.credit,
            external_id=line.bank_txn_id,
            description=line.description,
            received_at=line.booked_at,
            actor=cashier_a,
        )
    one_by_one = _snapshot(world)

    assert bulk["requests"] == one_by_one["requests"]
    assert bulk["payments"] == one_by_one["payments"]
    assert bulk["receipts"] == one_by_one["receipts"]
    assert bulk["audit"] == one_by_one["audit"]

    # And what both mean, so that two equal mistakes cannot pass.
    s = PaymentRequestStatus
    assert [(status, paid) for status, paid, *_ in one_by_one["requests"]] == [
        (s.PAID, 8000),
        (s.PARTLY_PAID, 5000),
        (s.OVERPAID, 12000),
        (s.OVERPAID, 10000),
        (s.PAID, 8000),
        (s.OPEN, 0),
        (s.PAID, 8000),
        (s.PAID, 8000),
    ]
    resumed = [index for index, (*_, dossier_status, _, events) in enumerate(one_by_one["requests"]) if events]
    assert resumed == [0, 2, 3, 4, 6, 7]  # the eighth by its cash payment, before the statement
    for index in resumed:
        assert one_by_one["requests"][index][3] != DossierStatus.PAYMENT_REQUESTED
    assert one_by_one["requests"][1][3] == DossierStatus.PAYMENT_REQUESTED
    unmatched = {p[0] for p in one_by_one["payments"] if p[2] == "unmatched"}
    assert unmatched == {"FT04", "FT12", "FT13", "FT14", "FT16"}
    numbers = [number for _, number, *_ in one_by_one["receipts"]]
    assert numbers == list(range(1, len(numbers) + 1))  # one series, no gap, no repeat
    assert [(r[4], r[2]) for r in one_by_one["receipts"]] == [
        ("TM-1", 8000),
        ("FT-PRE", 3000),
        ("FT01", 8000),
        ("FT02", 5000),
        ("FT03", 12000),
        ("FT07", 3000),
        ("FT08", 3000),
        ("FT09", 4000),
        ("FT10", 4000),
        ("FT11", 4000),
        ("FT15", 5000),
    ]
