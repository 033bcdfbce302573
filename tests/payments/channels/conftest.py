"""Fixtures for the payment-channel tests: the dossier fixtures, collection accounts, payment requests."""
# ruff: noqa: F811  (fixtures imported from the dossier tests are used as parameters)

import pytest

from motcua.payments.models import CollectionAccount, PaymentRequest
from motcua.payments.services.references import reference_new
from tests.dossiers.conftest import (  # noqa: F401  (fixtures re-exported for this folder)
    _fast_passwords,
    agency_a,
    agency_b,
    citizen,
    commune_a,
    commune_b,
    make_dossier,
    office_a,
    office_b,
    officers,
    procedure,
    province,
)


@pytest.fixture
def cashier_a(officers):
    return officers["a"]["cashier"]


@pytest.fixture
def cashier_b(officers):
    return officers["b"]["cashier"]


@pytest.fixture
def account_a(agency_a):
    return CollectionAccount.objects.create(
        agency=agency_a, bank_bin="970405", bank_name="Agribank", account_number="7800201000123",
        account_name="UBND XA TAN THANH",
    )


@pytest.fixture
def account_b(agency_b):
    return CollectionAccount.objects.create(
        agency=agency_b, bank_bin="970405", bank_name="Agribank", account_number="7800201000999",
        account_name="UBND XA LY VAN LAM",
    )


@pytest.fixture
def make_request(make_dossier, agency_a):
    def make(amount_due: int = 8000, **overrides) -> PaymentRequest:
        dossier = overrides.pop("dossier", None) or make_dossier()
        return PaymentRequest.objects.create(
            dossier=dossier, agency=overrides.pop("agency", agency_a), reference=reference_new(),
            amount_due=amount_due, items=[{"name": "Lệ phí", "amount": amount_due}], **overrides,
        )

    return make
