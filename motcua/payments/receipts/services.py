"""E-receipts (biên lai thu phí, lệ phí điện tử): issue, cancel, replace. Never delete.

Numbering. Each agency has a series per calendar year (Asia/Ho_Chi_Minh). A receipt's number is
the series' `last_number + 1`, taken under `select_for_update()` on the series row inside the
caller's transaction, so two payments recorded at the same moment wait for each other: numbers
never repeat and never skip (a rolled-back payment rolls its number back too). The numbering is
7 digits (0000001–9999999), as on the printed receipt.

Form and symbol of the default series, after Circular 78/2021/TT-BTC art. 6(3) (with Decree
123/2020 and Decree 11/2020 on State Treasury procedures for fee-collecting bodies):
- form (ký hiệu mẫu biên lai) "01BLP0-001": "01" the kind of receipt (biên lai thu phí, lệ phí
  without a pre-printed amount), "BLP" biên lai phí/lệ phí, "0" a reserved digit, "-001" the
  body's own template number within that kind;
- symbol (ký hiệu biên lai) "BL-26E": two capital letters the body chooses to tell its series
  apart, the last two digits of the year of issue, and "E" for electronic.
Real deployments in use (e.g. VNPT's and Viettel's biên lai services) show the same shapes
("01BLP0-001", "AA-22E"). An administrator can add another series (other letters) and mark it the
active one; the newest active series of the year is used.

Every receipt copies what it certifies (payer, items, amount, method) so it stays true when the
dossier or request is edited later. Cancel and replace need a reason and a cashier of the
receipt's agency; each action writes an `AuditEvent`.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import scope
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import Agency, AuditEvent, Role, User
from motcua.core.text import format_vnd
from motcua.core.transitions import audit_record
from motcua.dossiers.models import Dossier
from motcua.signing.services import receipt_sign_if_configured

from ..bulk import chunks, insert_rows
from ..models import Payment, PaymentStatus, Receipt, ReceiptSeries, ReceiptStatus
from .pdf import receipt_pdf
from .selectors import collector_tax_code

DEFAULT_FORM = "01BLP0-001"
DEFAULT_SYMBOL_LETTERS = "BL"
MAX_NUMBER = 9_999_999
# ids per IN (...) query: well inside SQLite's and PostgreSQL's parameter limits
IN_CHUNK = 5000
# ISSUED is the only state with a way out; CANCELLED and REPLACED are final.
TRANSITIONS = {
    "cancel": {ReceiptStatus.ISSUED: ReceiptStatus.CANCELLED},
    "replace": {ReceiptStatus.ISSUED: ReceiptStatus.REPLACED},
}


def default_symbol(year: int) -> str:
    return f"{DEFAULT_SYMBOL_LETTERS}-{year % 100:02d}E"


def _series_for(agency: Agency, year: int) -> ReceiptSeries:
    """The agency's active series for `year`, locked; the default one is made on first use."""
    series = (
        ReceiptSeries.objects.select_for_update()
        .filter(agency=agency, year=year, is_active=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if series is not None:
        return series
    if ReceiptSeries.objects.filter(agency=agency, year=year).exists():
        # The administrator closed every series of the year on purpose: do not invent one.
        raise DomainError(
            _("Cơ quan %(agency)s chưa có dải biên lai đang dùng cho năm %(year)d.")
            % {"agency": agency.name, "year": year},
            code="receipt_series_missing",
            status=409,
        )
    try:
        # A savepoint: a concurrent first receipt may create the same series a moment earlier.
        with transaction.atomic():
            ReceiptSeries.objects.create(agency=agency, year=year, form=DEFAULT_FORM, symbol=default_symbol(year))
    except IntegrityError:
        pass
    return ReceiptSeries.objects.select_for_update().get(
        agency=agency, year=year, form=DEFAULT_FORM, symbol=default_symbol(year)
    )


def _next_number(series: ReceiptSeries) -> int:
    """Take the next number of a series locked by the caller."""
    if series.last_number >= MAX_NUMBER:
        raise DomainError(
            _("Dải biên lai %(series)s đã hết số.") % {"series": str(series)}, code="receipt_series_full", status=409
        )
    series.last_number += 1
    series.save(update_fields=["last_number", "updated_at"])
    return series.last_number


def _items_for(payment: Payment) -> list[dict]:
    """The lines the receipt lists: the request's payable items when the payment covers them exactly,
    otherwise one line for the sum actually received (a part payment or an over-payment)."""
    request = payment.request
    payable = [
        {"name": str(item.get("name", "")), "amount": int(item.get("amount") or 0)}
        for item in (request.items or [] if request else [])
        if not item.get("exempt")
    ]
    if payable and sum(item["amount"] for item in payable) == payment.amount:
        return payable
    code = request.dossier.code if request and request.dossier_id else ""
    names = ", ".join(item["name"] for item in payable if item["name"])
    label = _("Phí, lệ phí hồ sơ %(code)s") % {"code": code} if code else _("Phí, lệ phí")
    if names:
        label = f"{label} ({names})"
    return [{"name": label, "amount": payment.amount}]


def _store_pdf(receipt: Receipt) -> None:
    data = receipt_pdf(receipt)
    _save_pdf_bytes(receipt, data)


def _save_pdf_bytes(receipt: Receipt, data: bytes) -> None:
    name = f"bien-lai-{receipt.series.symbol}-{receipt.number:07d}.pdf"
    receipt.pdf.save(name, ContentFile(data), save=False)
    receipt.pdf_sha256 = hashlib.sha256(data).hexdigest()
    receipt.save(update_fields=["pdf", "pdf_sha256", "updated_at"])


def _finish(receipt: Receipt) -> None:
    """Build the PDF and have it signed when the agency holds a certificate.

    With settings.RECEIPT_PDF_ON_ISSUE off (env MOTCUA_RECEIPT_PDF_ON_ISSUE=0,
    benchmarks) the PDF is built the first time someone opens it (`receipt_pdf_ensure`)."""
    if not getattr(settings, "RECEIPT_PDF_ON_ISSUE", True):
        return
    _store_pdf(receipt)
    _sign(receipt)


def _sign(receipt: Receipt) -> None:
    signed = receipt_sign_if_configured(receipt=receipt)
    # The contract allows the signer to hand back the signed bytes instead of storing them itself.
    if isinstance(signed, bytes | bytearray) and signed:
        _save_pdf_bytes(receipt, bytes(signed))


def _create(
    *, series: ReceiptSeries, payment: Payment, actor: User | None, replaces: Receipt | None = None, **values
) -> Receipt:
    return Receipt.objects.create(
        collector_tax_code=collector_tax_code(series.agency_id),
        series=series,
        number=_next_number(series),
        payment=payment,
        request=payment.request,
        dossier=payment.request.dossier if payment.request_id else None,
        method=payment.method,
        issued_at=timezone.now(),
        issued_by=actor if actor and actor.pk else None,
        replaces=replaces,
        **values,
    )


def _certified(payment: Payment, dossier) -> dict:
    """What a new receipt copies (payer, items, amount), so it stays true when the dossier is edited."""
    return {
        "payer_name": (payment.payer_name or dossier.applicant_name or _("Người nộp"))[:255],
        "payer_address": (dossier.applicant_address or "")[:255],
        "payer_personal_id": (dossier.applicant_personal_id or "")[:14],
        "items": _items_for(payment),
        "amount": payment.amount,
    }


def receipt_issue(*, payment: Payment, actor: User | None = None) -> Receipt | None:
    """Issue the e-receipt for a succeeded payment, inside the caller's transaction (`payment_record`).

    Idempotent: a payment that already has a current receipt gets that one back."""
    if payment.status != PaymentStatus.SUCCEEDED or not payment.request_id:
        return None
    with transaction.atomic():
        current = payment.receipts.filter(status=ReceiptStatus.ISSUED).first()
        if current is not None:
            return current
        request = payment.request
        dossier = request.dossier
        year = timezone.localdate().year
        series = _series_for(request.agency, year)
        receipt = _create(series=series, payment=payment, actor=actor, **_certified(payment, dossier))
        _audit(actor, "receipt.issue", receipt, {"number": receipt.number, "payment": payment.pk})
        _finish(receipt)
    return receipt


def receipts_issue_bulk(*, payments: list[Payment], actor: User | None = None) -> int:
    """`receipt_issue` for many payments at once (a bank statement import), inside the caller's
    transaction; returns how many receipts were issued.

    The same rules: succeeded payments with a request only, one current receipt per payment,
    numbers from the agency's locked series without gaps, the same copied facts (`_certified`) and an
    audit row each. What differs is the cost: each series is locked once and advanced by the whole
    batch, and rows are written as tuples by `payments.bulk` (COPY on PostgreSQL). `payments` may be
    `Payment`s or objects with the same attributes (the statement import's). PDFs (and their signatures) are always built when
    the receipt is first opened (`receipt_pdf_ensure`): tens of thousands of PDFs must not hold the
    import's transaction open."""
    wanted = [p for p in payments if p.status == PaymentStatus.SUCCEEDED and p.request_id]
    if not wanted:
        return 0
    done = _issued_payment_ids([p.pk for p in wanted])
    wanted = [p for p in wanted if p.pk not in done]
    dossier_ids = {p.request.dossier_id for p in wanted}
    dossiers = {}
    for chunk in chunks(sorted(dossier_ids), IN_CHUNK):
        for dossier in Dossier.objects.filter(pk__in=chunk).only(
            "pk", "code", "applicant_name", "applicant_address", "applicant_personal_id"
        ):
            dossiers[dossier.pk] = dossier
    by_agency: dict[int, list[Payment]] = {}
    for payment in wanted:
        payment.request.dossier = dossiers[payment.request.dossier_id]
        by_agency.setdefault(payment.request.agency_id, []).append(payment)
    now = timezone.now()
    year = timezone.localdate().year
    issued_by = actor.pk if actor and actor.pk else None
    new_token = Receipt._meta.get_field("verify_token").default
    rows: list[tuple] = []
    for agency_id, group in sorted(by_agency.items()):
        series = _series_for(Agency.objects.get(pk=agency_id), year)
        tax_code = collector_tax_code(agency_id)
        first = series.last_number + 1
        if series.last_number + len(group) > MAX_NUMBER:
            raise DomainError(
                _("Dải biên lai %(series)s đã hết số.") % {"series": str(series)},
                code="receipt_series_full",
                status=409,
            )
        series.last_number += len(group)
        series.save(update_fields=["last_number", "updated_at"])
        for offset, payment in enumerate(group):
            dossier = payment.request.dossier
            facts = _certified(payment, dossier)
            rows.append((
                series.pk, first + offset, payment.pk, payment.request_id, dossier.pk, payment.method, now, issued_by,
                facts["payer_name"], facts["payer_address"], facts["payer_personal_id"], facts["items"],
                facts["amount"], ReceiptStatus.ISSUED, "", new_token(), "", "", now, now, tax_code,
            ))  # fmt: skip
    insert_rows(Receipt, _BULK_FIELDS, rows)
    numbers = {}
    for series_id in {row[0] for row in rows}:
        lowest = min(row[1] for row in rows if row[0] == series_id)
        numbers.update(
            {
                (series_id, n): pk
                for n, pk in Receipt.objects.filter(series_id=series_id, number__gte=lowest).values_list("number", "pk")
            }
        )
    insert_rows(
        AuditEvent,
        ("at", "actor", "action", "object_type", "object_id", "data"),
        [
            (now, issued_by, "receipt.issue", "receipt", str(numbers[(row[0], row[1])]),
             {"number": row[1], "payment": row[2]})
            for row in rows
        ],
    )  # fmt: skip
    return len(rows)


# The order of the values `receipts_issue_bulk` builds for each receipt.
_BULK_FIELDS = (
    "series",
    "number",
    "payment",
    "request",
    "dossier",
    "method",
    "issued_at",
    "issued_by",
    "payer_name",
    "payer_address",
    "payer_personal_id",
    "items",
    "amount",
    "status",
    "cancel_reason",
    "verify_token",
    "pdf",
    "pdf_sha256",
    "created_at",
    "updated_at",
    "collector_tax_code",
)


def _issued_payment_ids(payment_ids: list[int]) -> set[int]:
    """Which of these payments already have a current receipt. One range query rather than chunks of
    IN (...): the payments of an import are new rows with neighbouring ids."""
    if not payment_ids:
        return set()
    wanted = set(payment_ids)
    issued = Receipt.objects.filter(
        payment_id__gte=min(wanted), payment_id__lte=max(wanted), status=ReceiptStatus.ISSUED
    ).values_list("payment_id", flat=True)
    return wanted.intersection(issued)


def receipt_pdf_ensure(receipt: Receipt) -> Receipt:
    """The receipt with its PDF stored (built now if issuing skipped it)."""
    if receipt.pdf:
        return receipt
    with transaction.atomic():
        locked = Receipt.objects.select_for_update(of=("self",)).select_related("series").get(pk=receipt.pk)
        if not locked.pdf:
            _store_pdf(locked)
            _sign(locked)
    return locked


def user_is_cashier_for(user, agency: Agency) -> bool:
    """Cashiers of the agency (or of a unit above it) cancel and replace its receipts."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    unit = agency.unit
    units = [unit.pk, unit.parent_id, getattr(unit.parent, "parent_id", None)] if unit else []
    return (
        scope.assignments(user, roles=[Role.CASHIER])
        .filter(Q(agency=agency) | Q(unit_id__in=[u for u in units if u]))
        .exists()
    )


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Vui lòng ghi rõ lý do."), code="reason_required")
    return reason[:500]


def _lock_for(action: str, receipt: Receipt, actor: User) -> Receipt:
    locked = (
        Receipt.objects.select_for_update(of=("self",))
        .select_related("series__agency__unit__parent")
        .get(pk=receipt.pk)
    )
    if not user_is_cashier_for(actor, locked.series.agency):
        raise PermissionDenied(_("Chỉ thu ngân của cơ quan thu mới được hủy hoặc thay thế biên lai."))
    if locked.status not in TRANSITIONS[action]:
        raise DomainError(
            _("Biên lai số %(number)07d đang ở trạng thái “%(status)s”, không thể thực hiện.")
            % {"number": locked.number, "status": locked.get_status_display()},
            code="receipt_not_issued",
            status=409,
        )
    return locked


def _audit(actor, action: str, receipt: Receipt, data: dict) -> None:
    audit_record(actor=actor if actor and actor.pk else None, action=action, obj=receipt, data=data)


def receipt_cancel(*, receipt: Receipt, actor: User, reason: str) -> Receipt:
    """Cancel an issued receipt (the money stays recorded; the receipt no longer certifies it)."""
    reason = _reason(reason)
    with transaction.atomic():
        locked = _lock_for("cancel", receipt, actor)
        locked.status = TRANSITIONS["cancel"][locked.status]
        locked.cancel_reason = reason
        locked.cancelled_at = timezone.now()
        locked.cancelled_by = actor
        locked.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at"])
        _audit(actor, "receipt.cancel", locked, {"number": locked.number, "reason": reason[:200]})
    return locked


def _clean_items(items, amount: int) -> list[dict]:
    cleaned = []
    for item in items:
        name = str((item or {}).get("name", "")).strip()[:255]
        value = (item or {}).get("amount")
        if not name or isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise DomainError(_("Mỗi khoản thu cần tên và số tiền nguyên dương."), code="receipt_items_invalid")
        cleaned.append({"name": name, "amount": value})
    if not cleaned or sum(item["amount"] for item in cleaned) != amount:
        raise DomainError(
            _("Tổng các khoản thu phải bằng số tiền đã nộp (%(amount)s).") % {"amount": format_vnd(amount)},
            code="receipt_amount_mismatch",
        )
    return cleaned


def receipt_replace(
    *,
    receipt: Receipt,
    actor: User,
    reason: str,
    payer_name: str | None = None,
    payer_address: str | None = None,
    payer_personal_id: str | None = None,
    items: list[dict] | None = None,
) -> Receipt:
    """Issue a corrected receipt under a new number that points back to the old one, which becomes REPLACED.

    Fields left as None are copied from the old receipt; the amount never changes (it is the money
    received), so new `items` must add up to it."""
    reason = _reason(reason)
    if payer_name is not None and not payer_name.strip():
        raise DomainError(_("Vui lòng nhập tên người nộp."), code="payer_name_required")
    with transaction.atomic():
        old = _lock_for("replace", receipt, actor)
        new_items = _clean_items(items, old.amount) if items is not None else old.items
        old.status = TRANSITIONS["replace"][old.status]
        old.cancel_reason = reason
        old.cancelled_at = timezone.now()
        old.cancelled_by = actor
        old.save(update_fields=["status", "cancel_reason", "cancelled_at", "cancelled_by", "updated_at"])
        series = _series_for(old.series.agency, timezone.localdate().year)
        new = _create(
            series=series,
            payment=old.payment,
            actor=actor,
            replaces=old,
            payer_name=(payer_name.strip() if payer_name is not None else old.payer_name)[:255],
            payer_address=(payer_address.strip() if payer_address is not None else old.payer_address)[:255],
            payer_personal_id=(payer_personal_id.strip() if payer_personal_id is not None else old.payer_personal_id)[
                :14
            ],
            items=new_items,
            amount=old.amount,
        )
        _audit(actor, "receipt.replace", old, {"number": old.number, "replaced_by": new.pk, "reason": reason[:200]})
        _audit(actor, "receipt.issue", new, {"number": new.number, "payment": old.payment_id, "replaces": old.pk})
        _finish(new)
    return new
