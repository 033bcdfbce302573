"""Reconciling an imported bank statement: each credit line becomes a payment, counted or unmatched.

All-or-nothing per file. Every line, good or bad, gets a `BankStatementLine` with its outcome, so a
bad row never stops the good ones; but the file as a whole is one transaction. Why not per-line
savepoints: the file's sha256 is what refuses a second import, so a half-imported file could never
be completed by importing it again, and the cashier would be left with a statement that is neither
done nor redoable. With one transaction a crash leaves nothing, and importing the same file again
is simply the first import.

Speed (100,000 lines): `payment_record` costs a handful of queries per line. This module keeps its
rules but runs them in bulk:
- same idempotency key: (bank_transfer, bank transaction id); ids already recorded (by an earlier
  statement or a bank notification) are fetched in one pass, repeats inside the file are caught in
  memory; both become `duplicate` lines and no payment;
- same matching as `request_for_text`: the references found in the content, exactly one existing
  request; requests are loaded and locked (`select_for_update`, in pk order) in chunks of one query;
- the same counting rules, the very functions `payment_record` uses (`payment_status_for`,
  `request_count`, `payment_audit_data` in services/apply.py): a live request (open / partly paid)
  takes the sum line by line in file order, its status and `paid_at` follow, and the receipts
  (`receipts_issue_bulk`) and `dossier_settle` for each request it settled come after; anything else is
  kept `unmatched` for the cashier; one audit event per payment;
- tests/payments/channels/test_statement_equivalence.py checks that both paths give the same result.
Lines, payments, audit rows and the requests' new totals are written by `payments.bulk` (COPY on
PostgreSQL, one prepared statement over all rows on SQLite): the ORM's bulk_create / bulk_update, and
even building a model instance per row, cost more than everything else.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, User
from motcua.dossiers.models import Dossier, DossierStatus

from ...bulk import chunks as _chunks
from ...bulk import insert_rows as _insert_rows
from ...bulk import update_rows as _update_rows
from ...models import (
    BankStatementImport,
    BankStatementLine,
    CollectionAccount,
    LineOutcome,
    Payment,
    PaymentMethod,
    PaymentRequest,
    PaymentStatus,
)
from ...receipts import services as receipt_services
from ...services import dossier_link
from ...services.apply import payment_audit_data, payment_status_for, request_count
from ...services.references import references_in
from .statement_parse import ParsedLine, statement_parse

CHUNK = 5000  # ids per IN (...) query: well inside SQLite's (32,766) and PostgreSQL's (65,535) parameter limits
MAX_BYTES = 50 * 1024 * 1024


def _load_requests(references: set[str]) -> dict[str, PaymentRequest]:
    found: dict[str, PaymentRequest] = {}
    for chunk in _chunks(sorted(references), CHUNK):
        query = PaymentRequest.objects.select_for_update(of=("self",)).filter(reference__in=chunk).order_by("pk")
        # No select_related("dossier"): receipts_issue_bulk loads the few dossier fields it copies.
        for request in query:
            found[request.reference] = request
    return found


def _recorded_ids(ids: set[str]) -> set[str]:
    seen: set[str] = set()
    for chunk in _chunks(sorted(ids), CHUNK):
        seen.update(
            Payment.objects.filter(method=PaymentMethod.BANK_TRANSFER, external_id__in=chunk).values_list(
                "external_id", flat=True
            )
        )
    return seen


def _outcome_for(request: PaymentRequest) -> str:
    if request.amount_paid < request.amount_due:
        return LineOutcome.PARTIAL
    return LineOutcome.MATCHED if request.amount_paid == request.amount_due else LineOutcome.OVERPAID


def statement_import(
    *, account: CollectionAccount | None, file_name: str, content: bytes, actor: User | None
) -> BankStatementImport:
    """Import and reconcile one statement file; the caller has checked that `actor` may use `account`."""
    if len(content) > MAX_BYTES:
        raise DomainError(_("Tệp sao kê quá lớn (tối đa 50 MB)."), code="statement_too_large")
    digest = hashlib.sha256(content).hexdigest()
    previous = BankStatementImport.objects.filter(sha256=digest).first()
    if previous is not None:
        raise DomainError(
            _("Tệp này đã được nhập lúc %(at)s (%(name)s).")
            % {"at": timezone.localtime(previous.created_at).strftime("%d/%m/%Y %H:%M"), "name": previous.file_name},
            code="statement_already_imported",
            status=409,
            details={"statement_id": previous.pk},
        )
    parsed = statement_parse(file_name=file_name, content=content)
    try:
        with transaction.atomic():
            statement = BankStatementImport.objects.create(
                account=account,
                file_name=file_name[:255],
                sha256=digest,
                imported_by=actor if actor and actor.pk else None,
                line_count=len(parsed),
            )
            _reconcile(statement, parsed, account=account, actor=actor)
    except IntegrityError as exc:
        # The same file imported concurrently, or a bank notification recorded one of its transactions
        # between our check and our write: nothing was kept, so importing again is safe.
        raise DomainError(
            _("Sao kê đang được nhập đồng thời hoặc có giao dịch vừa được ghi nhận; vui lòng nhập lại tệp."),
            code="statement_conflict",
            status=409,
        ) from exc
    return statement


class _Line:
    """A statement line about to be written (plain attributes: a model instance per row costs more than
    the row's whole share of the import)."""

    __slots__ = ("amount", "bank_txn_id", "booked_at", "description", "error", "line_no", "outcome", "pk", "request")


class _Money:
    """A payment about to be written, with what `receipts_issue_bulk` reads of a `Payment`."""

    __slots__ = ("amount", "description", "external_id", "line", "pk", "received_at", "request", "status")
    method = PaymentMethod.BANK_TRANSFER
    payer_name = ""

    @property
    def request_id(self) -> int | None:
        return self.request.pk if self.request is not None else None


def _reconcile(statement: BankStatementImport, parsed: list[ParsedLine], *, account, actor) -> None:
    now = timezone.now()
    refs_by_line = {}
    for line in parsed:
        if not line.error and (line.credit or 0) > 0:
            refs_by_line[line.line_no] = references_in(line.description)
    requests = _load_requests({ref for refs in refs_by_line.values() for ref in refs})
    already = _recorded_ids({line.bank_txn_id for line in parsed if line.line_no in refs_by_line})

    rows: list[_Line] = []
    money: list[_Money] = []
    seen_in_file: set[str] = set()
    touched: dict[int, PaymentRequest] = {}
    settled_by: dict[int, _Money] = {}  # request pk -> the payment that settled it
    summary = {outcome: 0 for outcome in LineOutcome.values}
    for line in parsed:
        row = _Line()
        row.line_no, row.bank_txn_id, row.booked_at = line.line_no, line.bank_txn_id, line.booked_at
        row.amount = line.credit if line.credit is not None else (-line.debit if line.debit else None)
        row.description, row.error, row.request = line.description, line.error, None
        rows.append(row)
        if line.error:
            row.outcome = LineOutcome.INVALID
        elif line.line_no not in refs_by_line:
            row.outcome = LineOutcome.IGNORED
        elif line.bank_txn_id in already or line.bank_txn_id in seen_in_file:
            row.outcome = LineOutcome.DUPLICATE
            row.error = _("Giao dịch %(id)s đã được ghi nhận trước đó.") % {"id": line.bank_txn_id}
        else:
            seen_in_file.add(line.bank_txn_id)
            hits = [requests[ref] for ref in refs_by_line[line.line_no] if ref in requests]
            request = hits[0] if len(hits) == 1 else None
            # Money that landed in another agency's account cannot be receipted by the agency it was
            # meant for: the cashier sorts it out (refund, or the two agencies settle between them).
            elsewhere = request is not None and account is not None and request.agency_id != account.agency_id
            payment = _Money()
            payment.request, payment.line, payment.amount = request, row, line.credit
            payment.status = PaymentStatus.UNMATCHED if elsewhere else payment_status_for(request)
            payment.external_id, payment.description = line.bank_txn_id, line.description
            payment.received_at = line.booked_at or now
            row.request = request
            if payment.status == PaymentStatus.SUCCEEDED:
                if request_count(request, line.credit, now=now):
                    settled_by[request.pk] = payment
                touched[request.pk] = request
                row.outcome = _outcome_for(request)
            else:
                row.outcome = LineOutcome.UNMATCHED
                row.error = _unmatched_reason(request, hits, elsewhere=elsewhere) or row.error
            money.append(payment)
        row.error = row.error[:255]
        summary[row.outcome] += 1

    recorded_by = actor.pk if actor and actor.pk else None
    _write_lines(statement, rows)
    _write_payments(statement, money, recorded_by=recorded_by, now=now)
    _update_requests(list(touched.values()), now=now)
    _insert_rows(
        AuditEvent,
        AUDIT_FIELDS,
        [
            (
                now,
                recorded_by,
                "payment.record",
                "payment",
                str(payment.pk),
                {
                    **payment_audit_data(
                        method=payment.method, amount=payment.amount, request=payment.request, status=payment.status
                    ),
                    "statement": statement.pk,
                },
            )
            for payment in money
        ],
    )
    _side_effects(money, list(settled_by.values()), actor=actor)
    statement.summary = summary
    statement.save(update_fields=["summary", "updated_at"])


def _unmatched_reason(request: PaymentRequest | None, hits: list, *, elsewhere: bool) -> str:
    if elsewhere:
        return _("Mã %(ref)s là khoản thu của %(agency)s, không phải của tài khoản này.") % {
            "ref": request.reference,
            "agency": request.agency.name,
        }
    if request is not None:
        return _("Yêu cầu nộp %(ref)s không còn chờ nộp (%(status)s).") % {
            "ref": request.reference,
            "status": request.get_status_display(),
        }
    return _("Nội dung có nhiều mã thanh toán.") if len(hits) > 1 else _("Không tìm thấy mã thanh toán trong nội dung.")


def _write_lines(statement: BankStatementImport, rows: list[_Line]) -> None:
    _insert_rows(
        BankStatementLine,
        LINE_FIELDS,
        [
            (
                statement.pk,
                r.line_no,
                r.bank_txn_id,
                r.booked_at,
                r.amount,
                r.description,
                r.outcome,
                r.request.pk if r.request is not None else None,
                r.error,
            )
            for r in rows
        ],
    )
    pks = dict(BankStatementLine.objects.filter(statement=statement).values_list("line_no", "pk"))
    for row in rows:
        row.pk = pks[row.line_no]


def _write_payments(statement: BankStatementImport, money: list[_Money], *, recorded_by, now) -> None:
    _insert_rows(
        Payment,
        PAYMENT_FIELDS,
        [
            (
                p.request_id,
                p.method,
                p.status,
                p.amount,
                p.external_id,
                p.payer_name,
                p.description,
                p.received_at,
                recorded_by,
                p.line.pk,
                "",
                now,
                now,
            )
            for p in money
        ],
    )
    pks = dict(Payment.objects.filter(statement_line__statement=statement).values_list("statement_line_id", "pk"))
    for payment in money:
        payment.pk = pks[payment.line.pk]


LINE_FIELDS = (
    "statement",
    "line_no",
    "bank_txn_id",
    "booked_at",
    "amount",
    "description",
    "outcome",
    "request",
    "error",
)
PAYMENT_FIELDS = (
    "request",
    "method",
    "status",
    "amount",
    "external_id",
    "payer_name",
    "description",
    "received_at",
    "recorded_by",
    "statement_line",
    "resolution_note",
    "created_at",
    "updated_at",
)
AUDIT_FIELDS = ("at", "actor", "action", "object_type", "object_id", "data")


def _update_requests(requests: list[PaymentRequest], *, now) -> None:
    """Write the counted totals back (`bulk.update_rows`: Django's bulk_update builds a CASE per field
    and row, which costs more than the rest of a 100,000-line reconcile together)."""
    for request in requests:
        request.updated_at = now
    _update_rows(
        PaymentRequest,
        ("amount_paid", "status", "paid_at", "updated_at"),
        [(r.pk, r.amount_paid, r.status, r.paid_at, now) for r in requests],
    )


def _side_effects(payments: list[_Money], settling: list[_Money], *, actor) -> None:
    """What `_count` does after counting: a receipt per counted payment (in bulk, see
    `receipts_issue_bulk`), and the dossiers that wait for this money resumed."""
    receipt_services.receipts_issue_bulk(payments=payments, actor=actor)
    waiting: set[int] = set()
    dossier_ids = sorted({payment.request.dossier_id for payment in settling})
    for chunk in _chunks(dossier_ids, CHUNK):
        waiting.update(
            Dossier.objects.filter(pk__in=chunk, status=DossierStatus.PAYMENT_REQUESTED).values_list("pk", flat=True)
        )
    # Only dossiers still waiting for payment have anything to resume (dossier_settle checks again); it
    # is given the saved Payment, as payment_record gives it.
    resuming = [payment for payment in settling if payment.request.dossier_id in waiting]
    saved = Payment.objects.in_bulk([payment.pk for payment in resuming])
    for payment in resuming:
        dossier_link.dossier_settle(request=payment.request, payment=saved[payment.pk], actor=actor)
