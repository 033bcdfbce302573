"""Reads for the payment channels (statements, gateway transactions), with the access check inside.

Who sees a bank statement: the cashiers (and receptionists and managers, who may stand in for
them) whose roles cover the agency owning the collection account, the same coverage rule as for
dossiers (`motcua.core.scope.covered_agencies`) but counting only those roles. A
superuser sees all. Anything else is "not found", never 403.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import NotFound, PermissionDenied
from motcua.core.models import Agency, Role
from motcua.core.selectors.rows import row_get_by_id
from motcua.dossiers.selectors import dossiers_visible_to

from ..models import BankStatementImport, BankStatementLine, CollectionAccount, GatewayTransaction, PaymentRequest

MONEY_ROLES = (Role.CASHIER, Role.RECEPTIONIST, Role.MANAGER)


def agencies_collected_by(user) -> QuerySet[Agency]:
    """Agencies whose money this officer may reconcile (lazy)."""
    if not getattr(user, "is_authenticated", False):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    return scope.covered_agencies(user, roles=MONEY_ROLES)


def accounts_for(user) -> QuerySet[CollectionAccount]:
    return CollectionAccount.objects.filter(agency__in=agencies_collected_by(user)).select_related("agency")


def account_get_for(user, account_id) -> CollectionAccount:
    return row_get_by_id(
        accounts_for(user), account_id, code="account_not_found", message=_("Không tìm thấy tài khoản thu.")
    )


def require_money_officer(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(code="unauthenticated")
    if not (user.is_superuser or scope.has_role(user, MONEY_ROLES)):
        raise PermissionDenied(_("Chỉ thu ngân hoặc cán bộ một cửa được đối soát sao kê."), code="not_cashier")


def statements_for(user) -> QuerySet[BankStatementImport]:
    return BankStatementImport.objects.filter(account__in=accounts_for(user)).select_related("account__agency")


def statement_get_for(user, statement_id) -> BankStatementImport:
    return row_get_by_id(
        statements_for(user), statement_id, code="statement_not_found", message=_("Không tìm thấy sao kê.")
    )


def statement_lines(statement: BankStatementImport, *, outcome: str | None = None) -> QuerySet[BankStatementLine]:
    lines = statement.lines.select_related("request").order_by("line_no")
    return lines.filter(outcome=outcome) if outcome else lines


def request_for_citizen(user, reference: str) -> PaymentRequest:
    """A payment request the signed-in user may pay online: their own dossier's (or any, for officers)."""
    found = (
        PaymentRequest.objects.filter(
            reference=(reference or "").strip().upper(), dossier__in=dossiers_visible_to(user)
        )
        .select_related("dossier", "agency")
        .first()
    )
    if found is None:
        raise NotFound(_("Không tìm thấy yêu cầu nộp phí."), code="payment_request_not_found")
    return found


def gateway_transaction_by_ref(txn_ref: str) -> GatewayTransaction | None:
    return GatewayTransaction.objects.select_related("request__dossier").filter(txn_ref=txn_ref).first()
