"""Reads of e-receipts, with the access check inside.

- An officer sees the receipts of the agencies their roles cover (the same rule as dossiers:
  `agencies_covered_by`), a superuser every receipt.
- A citizen sees the receipts of their own dossiers (applicant or submitter).
- Anyone, without an account, may check a receipt by the token printed in its QR code, and sees
  only what proves it: number, agency, amount, date, status and a masked payer name.
Anything outside is "not found" (never 403).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from motcua.core.errors import NotFound
from motcua.core.selectors.rows import filter_given, row_get_by_id
from motcua.dossiers.selectors import agencies_covered_by

from ..models import CollectionAccount, Receipt, ReceiptStatus
from .words import format_amount, mask_name


def agency_collection_account(agency_id: int) -> CollectionAccount | None:
    """The account a receipt names for the agency: its active one (the newest), else its newest."""
    return CollectionAccount.objects.filter(agency_id=agency_id).order_by("-is_active", "-id").first()


def collector_tax_code(agency_id: int) -> str:
    """The tax code of the agency's collection account (printed on its receipts), or ""."""
    account = agency_collection_account(agency_id)
    return account.tax_code if account is not None else ""


def receipts_visible_to(user) -> QuerySet[Receipt]:
    receipts = Receipt.objects.select_related("series__agency", "dossier", "replaces__series")
    if not getattr(user, "is_authenticated", False):
        return receipts.none()
    if user.is_superuser:
        return receipts.all()
    condition = Q(dossier__submitted_by=user)
    if user.person_id:
        condition |= Q(dossier__applicant_person_id=user.person_id)
    if user.is_officer:
        condition |= Q(series__agency__in=agencies_covered_by(user))
    return receipts.filter(condition)


def receipt_list_for(
    user,
    *,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    status: str | None = None,
    dossier_code: str | None = None,
    agency_id: int | None = None,
) -> QuerySet[Receipt]:
    """Receipts this user may see, newest first; dates are local calendar days, both included."""
    receipts = filter_given(
        receipts_visible_to(user),
        issued_at__date__gte=date_from,
        issued_at__date__lte=date_to,
        status=status,
        dossier__code=dossier_code,
        series__agency_id=agency_id,
    )
    return receipts.order_by("-issued_at", "-id")


def receipt_get_for(user, receipt_id) -> Receipt:
    return row_get_by_id(
        receipts_visible_to(user), receipt_id, code="receipt_not_found", message=_("Không tìm thấy biên lai.")
    )


@dataclass(frozen=True)
class PublicReceipt:
    """What the public verification page shows. No personal data beyond the masked name."""

    genuine: bool
    status: str
    status_label: str
    agency: str
    form: str
    symbol: str
    number: str
    amount: int
    amount_text: str
    issued_at: datetime.datetime
    payer_masked: str
    cancel_reason: str
    cancelled_at: datetime.datetime | None
    replaced_by: str | None
    replaces: str | None
    pdf_sha256: str
    tax_code: str = ""  # the collecting unit's mã số thuế, as printed on the receipt


def _label(receipt: Receipt) -> str:
    return f"{receipt.series.form} {receipt.series.symbol} {receipt.number:07d}"


def receipt_verify(token: str) -> PublicReceipt:
    """The public facts of the receipt with this QR token; NotFound means it is not one of ours."""
    token = (token or "").strip()
    receipt = (
        Receipt.objects.select_related("series__agency", "replaces__series").filter(verify_token=token).first()
        if 0 < len(token) <= 32
        else None
    )
    if receipt is None:
        raise NotFound(_("Không tìm thấy biên lai với mã kiểm tra này."), code="receipt_not_found")
    successor = (
        Receipt.objects.select_related("series").filter(replaces=receipt).first()
        if receipt.status == ReceiptStatus.REPLACED
        else None
    )
    return PublicReceipt(
        genuine=True,
        status=receipt.status,
        status_label=receipt.get_status_display(),
        agency=receipt.series.agency.name,
        form=receipt.series.form,
        symbol=receipt.series.symbol,
        number=f"{receipt.number:07d}",
        amount=receipt.amount,
        amount_text=format_amount(receipt.amount),
        issued_at=receipt.issued_at,
        payer_masked=mask_name(receipt.payer_name),
        cancel_reason=receipt.cancel_reason if receipt.status != ReceiptStatus.ISSUED else "",
        cancelled_at=receipt.cancelled_at,
        replaced_by=_label(successor) if successor else None,
        replaces=_label(receipt.replaces) if receipt.replaces_id else None,
        pdf_sha256=receipt.pdf_sha256,
        tax_code=receipt.collector_tax_code,
    )
