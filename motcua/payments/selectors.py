"""Reads of payment requests and payments, with who may see what in the same function.

- A citizen sees the requests of their own dossiers; an officer those of the dossiers they may
  read (the dossiers' own rule, `dossiers.selectors.dossiers_visible_to`).
- The cash desk (cashier or receptionist) sees the requests collected by its agencies, and the
  payments that belong to them: counted toward or released from one of their requests, or
  arrived on one of their collection accounts. Money that names no agency at all is shown to
  the province's cash desk (a cash role scoped to the province unit) and to superusers.
Anything outside is NotFound, never 403, so a typed reference does not reveal what exists.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from motcua.core import scope
from motcua.core.errors import NotFound
from motcua.core.models import PROVINCE_KINDS, Agency, Role
from motcua.core.selectors.rows import row_get_by_id
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.selectors import dossier_get_for, dossiers_visible_to

from .models import Payment, PaymentRequest, PaymentRequestStatus, PaymentStatus

CASH_ROLES = (Role.CASHIER, Role.RECEPTIONIST)
LIVE = (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID)
DESK_STATUSES = (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID, PaymentRequestStatus.OVERPAID)
MAX_ROWS = 200


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def cash_desk_agencies(user) -> QuerySet[Agency]:
    """The agencies whose fees this user collects (cash roles), a unit role covering the unit and below."""
    if not _authenticated(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    if not user.is_officer:
        return Agency.objects.none()
    return scope.covered_agencies(user, roles=CASH_ROLES, commune_siblings=False)


def user_is_cash_desk(user) -> bool:
    return cash_desk_agencies(user).exists()


def _sees_unattributed(user) -> bool:
    if user.is_superuser:
        return True
    return scope.assignments(user, roles=CASH_ROLES).filter(unit__isnull=False, unit__kind__in=PROVINCE_KINDS).exists()


def _with_relations(requests: QuerySet[PaymentRequest]) -> QuerySet[PaymentRequest]:
    return requests.select_related("dossier", "dossier__procedure", "agency")


# --- citizens and officers reading a dossier -----------------------------------------------------


def live_request_for(dossier) -> PaymentRequest | None:
    """The dossier's open or partly paid request (the caller has already checked the dossier)."""
    return PaymentRequest.objects.filter(dossier=dossier, status__in=LIVE).first()


def dossier_payment_for(user, code: str):
    """(dossier, request): the dossier if the user may read it, and its live request, else its latest."""
    dossier = dossier_get_for(user, code)
    request = live_request_for(dossier) or PaymentRequest.objects.filter(dossier=dossier).first()
    if request is None:
        raise NotFound(code="payment_request_not_found")
    return dossier, request


def request_get_for(user, reference: str) -> PaymentRequest:
    """A request by reference for anyone who may read its dossier, or its agency's cash desk."""
    reference = (reference or "").strip().upper()
    if not _authenticated(user) or not reference:
        raise NotFound(code="payment_request_not_found")
    condition = Q(dossier__in=dossiers_visible_to(user)) | Q(agency__in=cash_desk_agencies(user))
    request = _with_relations(PaymentRequest.objects.filter(condition, reference=reference)).first()
    if request is None:
        raise NotFound(code="payment_request_not_found")
    return request


# --- the cash desk -------------------------------------------------------------------------------


def desk_requests_for(user, *, status: str | None = None, q: str = "") -> QuerySet[PaymentRequest]:
    """Requests of the user's agencies waiting for money or refund (open, partly paid, over-paid)."""
    requests = PaymentRequest.objects.filter(agency__in=cash_desk_agencies(user))
    if status in PaymentRequestStatus.values:
        requests = requests.filter(status=status)
    else:
        requests = requests.filter(status__in=DESK_STATUSES)
    q = (q or "").strip()
    if q:
        requests = requests.filter(
            Q(reference__iexact=q.upper()) | Q(dossier__code__iexact=q) | Q(dossier__applicant_name__icontains=q)
        )
    return _with_relations(requests).order_by("-created_at", "-id")


def desk_request_get(user, reference: str) -> PaymentRequest:
    request = _with_relations(
        PaymentRequest.objects.filter(agency__in=cash_desk_agencies(user), reference=(reference or "").upper())
    ).first()
    if request is None:
        raise NotFound(code="payment_request_not_found")
    return request


def _payment_scope(user) -> Q:
    agencies = cash_desk_agencies(user)
    condition = (
        Q(request__agency__in=agencies)
        | Q(statement_line__statement__account__agency__in=agencies)
        | Q(gateway_transaction__request__agency__in=agencies)
    )
    if _sees_unattributed(user):
        condition |= Q(request__isnull=True, gateway_transaction__isnull=True) & (
            Q(statement_line__isnull=True) | Q(statement_line__statement__account__isnull=True)
        )
    return condition


def payments_for(user) -> QuerySet[Payment]:
    if not user_is_cash_desk(user):
        return Payment.objects.none()
    return Payment.objects.filter(_payment_scope(user)).select_related("request", "request__dossier").distinct()


def unmatched_payments_for(user) -> QuerySet[Payment]:
    """Money the cash desk must resolve: assign it to a request or hand it back."""
    return payments_for(user).filter(status=PaymentStatus.UNMATCHED).order_by("-received_at", "-id")


def payment_get_for(user, payment_id) -> Payment:
    return row_get_by_id(payments_for(user), payment_id, code="payment_not_found")


def request_payments(request: PaymentRequest) -> list[Payment]:
    return list(request.payments.order_by("received_at", "id"))


def assignable_requests_for(user, *, limit: int = 50) -> list[PaymentRequest]:
    """Live requests of the user's agencies, for the assign form's choices."""
    return list(
        _with_relations(PaymentRequest.objects.filter(agency__in=cash_desk_agencies(user), status__in=LIVE)).order_by(
            "-created_at"
        )[:limit]
    )


def dossiers_waiting_without_request(user, *, limit: int = 50):
    """Dossiers of the user's agencies waiting for payment with no live request (data from before
    payment requests existed): the cash desk creates one for them."""
    live = PaymentRequest.objects.filter(status__in=LIVE).values("dossier_id")
    return list(
        Dossier.objects.filter(status=DossierStatus.PAYMENT_REQUESTED, receiving_agency__in=cash_desk_agencies(user))
        .exclude(pk__in=live)
        .select_related("procedure")
        .order_by("paused_at", "pk")[:limit]
    )


def desk_dossier_get(user, code: str):
    """A dossier of the user's cash-desk agencies (for creating its request at the desk)."""
    dossier = Dossier.objects.filter(code=code, receiving_agency__in=cash_desk_agencies(user)).first()
    if dossier is None:
        raise NotFound(code="dossier_not_found")
    return dossier
