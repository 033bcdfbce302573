"""Demo fees for the demo province, made through the real services.

Every commune agency gets a collection account at a real NAPAS bank (demo account numbers, a made-up
tax code that passes the check digit, marked `is_demo` so the payment page says so). In each
commune a few dossiers being processed whose procedure charges a fee are asked to pay
(`request_fees`, which pauses their clock); one is then paid in cash at the desk, one by a bank
transfer that names its reference, and the rest wait. One transfer per province names no
dossier, for the cashier's unmatched list.

Idempotent: accounts are created once per agency; a dossier that already has a request is left
alone; the demo transfers carry fixed transaction ids, so `payment_record` never counts them twice.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction

from motcua.core.errors import DomainError
from motcua.core.identity import tax_check_digit
from motcua.core.models import COMMUNE_KINDS, Agency, Role, RoleAssignment, User
from motcua.core.text import strip_accents
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.services.workflow import dossier_act
from motcua.payments.models import CollectionAccount, PaymentMethod, PaymentRequest
from motcua.payments.services.apply import payment_record
from motcua.payments.services.cash import cash_record

# Real NAPAS BINs of banks that hold commune budget accounts; the account numbers are made up.
BANKS = (
    ("970405", "Agribank"),
    ("970418", "BIDV"),
    ("970415", "VietinBank"),
    ("970436", "Vietcombank"),
)
PER_AGENCY = 3
MAX_AGENCIES = 12


@dataclass
class DemoPaymentsResult:
    accounts: int = 0
    requests: int = 0
    paid: int = 0


def _holder(agency: Agency, *roles: str) -> User | None:
    for role in roles:
        found = (
            RoleAssignment.objects.filter(role=role, agency=agency, user__is_active=True)
            .select_related("user")
            .order_by("user__username")
            .first()
        )
        if found:
            return found.user
    return None


def demo_tax_code(rng: random.Random) -> str:
    """A made-up tax code that passes the check digit (2000xxxxx: the range of Cà Mau's units)."""
    while True:
        first_nine = "2000" + "".join(str(rng.randint(0, 9)) for _ in range(5))
        check = tax_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def _account_for(agency: Agency, rng: random.Random) -> tuple[CollectionAccount, bool]:
    bank_bin, bank_name = rng.choice(BANKS)
    number = "79" + "".join(str(rng.randint(0, 9)) for _ in range(11))
    name = strip_accents(agency.name).upper()[:120]
    account, created = CollectionAccount.objects.get_or_create(
        agency=agency,
        defaults={
            "bank_bin": bank_bin,
            "bank_name": bank_name,
            "account_number": number,
            "account_name": name,
            "tax_code": demo_tax_code(rng),
            "is_demo": True,
        },
    )
    if not created and not account.tax_code:  # made by an earlier version of the demo
        account.tax_code, account.is_demo = demo_tax_code(rng), True
        account.save(update_fields=["tax_code", "is_demo", "updated_at"])
    return account, created


def demo_payments_build(*, seed: int, province_code: str | None = None) -> DemoPaymentsResult:
    return _build(seed=seed, province_code=province_code)


def _build(*, seed: int, province_code: str | None) -> DemoPaymentsResult:
    result = DemoPaymentsResult()
    agencies = Agency.objects.filter(unit__kind__in=COMMUNE_KINDS, is_active=True)
    if province_code:
        agencies = agencies.filter(unit__parent__code=province_code)
    agencies = list(agencies.order_by("code")[:MAX_AGENCIES])
    for agency in agencies:
        rng = random.Random(f"{seed}-{agency.code}")
        _account, created = _account_for(agency, rng)
        result.accounts += int(created)
        specialist = _holder(agency, Role.SPECIALIST)
        cashier = _holder(agency, Role.CASHIER, Role.RECEPTIONIST)
        if specialist is None:
            continue
        asked = PaymentRequest.objects.filter(agency=agency).values("dossier_id")
        if PaymentRequest.objects.filter(agency=agency).count() >= PER_AGENCY:
            continue
        candidates = (
            Dossier.objects.filter(
                receiving_agency=agency,
                status__in=(DossierStatus.RECEIVED, DossierStatus.PROCESSING),
                procedure__fees__isnull=False,
            )
            .exclude(pk__in=asked)
            .distinct()
            .order_by("code")[:PER_AGENCY]
        )
        for n, dossier in enumerate(candidates):
            with transaction.atomic():
                try:
                    dossier = dossier_act(
                        dossier=dossier,
                        actor=specialist,
                        action="request_fees",
                        note="Dữ liệu mẫu: yêu cầu nộp phí, lệ phí.",
                    )
                except DomainError:  # a demo dossier the specialist may not act on is skipped
                    continue
                request = PaymentRequest.objects.get(dossier=dossier, status__in=("open", "partly_paid"))
                result.requests += 1
                if n == 0 and cashier is not None:
                    cash_record(
                        request=request,
                        actor=cashier,
                        amount=request.amount_due,
                        slip_id=f"DEMO-TM-{request.reference}",
                    )
                    result.paid += 1
                elif n == 1:
                    payment_record(
                        method=PaymentMethod.BANK_TRANSFER,
                        amount=request.amount_due,
                        external_id=f"DEMO-CK-{request.reference}",
                        description=f"{request.dossier.applicant_name} chuyen tien {request.reference}",
                        payer_name=request.dossier.applicant_name,
                    )
                    result.paid += 1
    if agencies:
        # Money with no reference in its content: waits in the cashier's unmatched list.
        payment_record(
            method=PaymentMethod.BANK_TRANSFER,
            amount=25000,
            external_id=f"DEMO-CK-UNMATCHED-{seed}",
            description="NGUYEN VAN A CHUYEN TIEN LE PHI HO SO",
            payer_name="NGUYEN VAN A",
        )
    return result
