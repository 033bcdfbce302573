"""The portal's tests reuse the dossier fixtures (two communes A and B, one officer per role in
each), the payment-request fixtures and the outreach area."""

from tests.dossiers.conftest import *  # noqa: F403  (pytest fixtures)
from tests.outreach.helpers import area  # noqa: F401  (pytest fixture)
from tests.payments.requests.conftest import _no_receipt_pdf, account_a, pay_request, waiting  # noqa: F401
