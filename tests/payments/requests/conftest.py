"""Fixtures for the payment-request tests: the dossier fixtures, a collection account, a dossier
waiting for payment through the real `request_fees` action, and the cash desk's officers."""

import pytest

from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import CollectionAccount, PaymentRequest
from tests.dossiers.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    MONDAY_10,
    TZ,
    _fast_passwords,
    agency_a,
    agency_b,
    cashier_a,
    citizen,
    commune_a,
    commune_b,
    leader_a,
    make_dossier,
    make_received_dossier,
    office_a,
    office_b,
    officers,
    procedure,
    province,
    received_dossier,
    receptionist_a,
    receptionist_b,
    specialist_a,
    specialist_b,
)


@pytest.fixture(autouse=True)
def _no_receipt_pdf(settings):
    # The receipt PDF has tests of its own (and is slow); these tests are about the money.
    settings.RECEIPT_PDF_ON_ISSUE = False


@pytest.fixture
def cashier_b(officers):  # noqa: F811
    return officers["b"]["cashier"]


@pytest.fixture
def account_a(agency_a):  # noqa: F811
    return CollectionAccount.objects.create(
        agency=agency_a,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="7900123456789",
        account_name="UBND XA TAN THANH",
    )


@pytest.fixture
def account_b(agency_b):  # noqa: F811
    return CollectionAccount.objects.create(
        agency=agency_b,
        bank_bin="970418",
        bank_name="BIDV",
        account_number="31410001234567",
        account_name="UBND XA LY VAN LAM",
    )


@pytest.fixture
def waiting(make_received_dossier, specialist_a, account_a):  # noqa: F811
    """A dossier received Monday 10:00 and asked to pay its fee (8.000 đ) on Tuesday 10:00."""
    import datetime

    dossier = make_received_dossier(at=MONDAY_10)
    dossier = dossier_act(
        dossier=dossier, actor=specialist_a, action="request_fees", now=MONDAY_10 + datetime.timedelta(days=1)
    )
    return dossier


@pytest.fixture
def pay_request(waiting):
    return PaymentRequest.objects.get(dossier=waiting)
