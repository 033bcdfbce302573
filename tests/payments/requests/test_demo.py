"""The payments demo: accounts, requests paid by cash and transfer, one unmatched transfer; twice is once."""

import io

import pytest
from django.core.management import call_command

from motcua.payments.models import CollectionAccount, Payment, PaymentRequest, PaymentRequestStatus, PaymentStatus
from motcua.payments.services.vietqr import decode, payload_for_request

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent(province, make_received_dossier, officers, agency_b):
    for _ in range(4):
        make_received_dossier()
    call_command("load_payments_demo", seed=7, province=province.code, stdout=io.StringIO())
    counts = (CollectionAccount.objects.count(), PaymentRequest.objects.count(), Payment.objects.count())
    call_command("load_payments_demo", seed=7, province=province.code, stdout=io.StringIO())
    assert (CollectionAccount.objects.count(), PaymentRequest.objects.count(), Payment.objects.count()) == counts
    assert counts[0] == 2 and counts[1] == 3
    statuses = sorted(PaymentRequest.objects.values_list("status", flat=True))
    assert statuses == sorted([PaymentRequestStatus.PAID, PaymentRequestStatus.PAID, PaymentRequestStatus.OPEN])
    assert Payment.objects.filter(status=PaymentStatus.UNMATCHED).count() == 1
    open_request = PaymentRequest.objects.get(status=PaymentRequestStatus.OPEN)
    assert decode(payload_for_request(open_request)).bank_bin in {"970405", "970418", "970415", "970436"}


def test_demo_accounts_are_marked_demo_and_carry_a_valid_tax_code(province, make_received_dossier, officers):
    from motcua.core.identity import validate_tax_code

    make_received_dossier()
    call_command("load_payments_demo", seed=7, province=province.code, stdout=io.StringIO())
    accounts = list(CollectionAccount.objects.all())
    assert accounts and all(a.is_demo for a in accounts)
    assert all(validate_tax_code(a.tax_code) == a.tax_code for a in accounts)
