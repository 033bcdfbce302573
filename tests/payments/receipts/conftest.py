"""Fixtures for e-receipt tests.

The dossier fixtures come from tests/dossiers/conftest.py. Payments are made the way every channel
makes them: a PaymentRequest created with the ORM, then `payment_record(...)`.

`dossier_settle` (called when a request is paid in full) is replaced by a
no-op here: these tests are about the receipt, and must not depend on the dossier's pause/resume.
"""

import pytest

from motcua.dossiers.models import DossierStatus
from motcua.payments.models import PaymentMethod, PaymentRequest
from motcua.payments.services.apply import payment_record
from motcua.payments.services.references import reference_new
from tests.dossiers import conftest as dossier_fixtures

# The dossier fixtures, re-exported so pytest finds them in this directory.
_fast_passwords = dossier_fixtures._fast_passwords
agency_a = dossier_fixtures.agency_a
agency_b = dossier_fixtures.agency_b
cashier_a = dossier_fixtures.cashier_a
citizen = dossier_fixtures.citizen
commune_a = dossier_fixtures.commune_a
commune_b = dossier_fixtures.commune_b
leader_a = dossier_fixtures.leader_a
make_dossier = dossier_fixtures.make_dossier
make_received_dossier = dossier_fixtures.make_received_dossier
office_a = dossier_fixtures.office_a
office_b = dossier_fixtures.office_b
officers = dossier_fixtures.officers
procedure = dossier_fixtures.procedure
province = dossier_fixtures.province
receptionist_a = dossier_fixtures.receptionist_a
receptionist_b = dossier_fixtures.receptionist_b
specialist_a = dossier_fixtures.specialist_a

ITEMS = [
    {"name": "Lệ phí đăng ký", "amount": 100000, "exempt": False},
    {"name": "Phí cấp bản sao", "amount": 50000, "exempt": False},
    {"name": "Lệ phí miễn", "amount": 20000, "exempt": True, "exemption": "Hộ nghèo"},
]


@pytest.fixture(autouse=True)
def _receipt_env(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PUBLIC_BASE_URL = "https://dichvucong.camau.test"
    settings.ROOT_URLCONF = "tests.payments.receipts.urls"
    monkeypatch.setattr("motcua.payments.services.dossier_link.dossier_settle", lambda **kwargs: None)


@pytest.fixture
def cashier_b(officers):
    return officers["b"]["cashier"]


@pytest.fixture
def make_request(make_dossier, agency_a):
    def make(dossier=None, *, agency=None, items=None, amount_due=None) -> PaymentRequest:
        agency = agency or agency_a
        if dossier is None:
            dossier = make_dossier(status=DossierStatus.PAYMENT_REQUESTED, receiving_agency=agency)
        items = ITEMS if items is None else items
        due = amount_due if amount_due is not None else sum(i["amount"] for i in items if not i.get("exempt"))
        return PaymentRequest.objects.create(
            dossier=dossier, agency=agency, reference=reference_new(), items=items, amount_due=due
        )

    return make


@pytest.fixture
def pay(make_request):
    """Pay a request (a new one by default) in full or `amount`; returns the Payment."""

    def run(request=None, *, amount=None, method=PaymentMethod.CASH, actor=None, payer_name="", **request_kwargs):
        request = request or make_request(**request_kwargs)
        recorded = payment_record(
            method=method,
            amount=amount if amount is not None else request.amount_due,
            request=request,
            actor=actor,
            payer_name=payer_name,
        )
        return recorded.payment

    return run


@pytest.fixture
def receipt_of():
    def get(payment):
        return payment.receipts.select_related("series__agency").get()

    return get
