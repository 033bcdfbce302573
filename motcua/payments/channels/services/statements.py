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
- same counting as `_count`: a live request (open / partly paid) takes the sum, its status follows
  `_status_after` line by line in file order, `paid_at` is set when it becomes paid or overpaid, and
  `receipt_issue` runs for each counted payment and `dossier_settle` for each request it settled;
  anything else is kept `unmatched` for the cashier (as `payment_record` does);
- one audit event per payment, as `payment_record` writes.
Lines, payments, audit rows and the requests' new totals are written with one prepared statement each,
run over all rows (`executemany`): the ORM's bulk_create / bulk_update cost more than everything else.
"""

from __future__ import annotations

import hashlib

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import AuditEvent, User
from motcua.dossiers.models import Dossier, DossierStatus

from ...bulk import chunks as _chunks
from ...bulk import insert_rows as _insert_rows
from ...models import (
    BankStatementImport,
    BankStatementLine,
    CollectionAccount,
    LineOutcome,
    Payment,
    PaymentMethod,
    PaymentRequest,
    PaymentRequestStatus,
    PaymentStatus,
)
from ...receipts import services as receipt_services
from ...services import dossier_link
from ...services.apply import LIVE, _status_after
from ...services.references import references_in
from .statement_parse import ParsedLine, statement_parse

CHUNK = 900  # ids per IN (...) query: well inside SQLite's and PostgreSQL's parameter limits
MAX_BYTES = 50 * 1024 * 1024
SETTLED = (PaymentRequestStatus.PAID, PaymentRequestStatus.OVERPAID)


def _load_requests(references: set[str]) -> dict[str, PaymentRequest]:
    found: dict[str, PaymentRequest] = {}
    for chunk in _chunks(sorted(references), CHUNK):
        query = PaymentRequest.objects.select_for_update(of=("self",)).filter(reference__in=chunk).order_by("pk")
        for request in query.select_related("dossier"):
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


def _reconcile(statement: BankStatementImport, parsed: list[ParsedLine], *, account, actor) -> None:
    now = timezone.now()
    refs_by_line = {}
    for line in parsed:
        if not line.error and (line.credit or 0) > 0:
            refs_by_line[line.line_no] = references_in(line.description)
    requests = _load_requests({ref for refs in refs_by_line.values() for ref in refs})
    already = _recorded_ids({line.bank_txn_id for line in parsed if line.line_no in refs_by_line})

    rows: list[BankStatementLine] = []
    money: list[tuple[int, Payment]] = []  # (index in rows, payment) for lines that bring money
    seen_in_file: set[str] = set()
    touched: dict[int, PaymentRequest] = {}
    settled_by: dict[int, int] = {}  # request pk -> index in `money` of the payment that settled it
    summary = {outcome: 0 for outcome in LineOutcome.values}
    for line in parsed:
        row = BankStatementLine(
            statement=statement,
            line_no=line.line_no,
            bank_txn_id=line.bank_txn_id,
            booked_at=line.booked_at,
            amount=line.credit if line.credit is not None else (-line.debit if line.debit else None),
            description=line.description,
            error=line.error,
        )
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
            counted = request is not None and request.status in LIVE and not elsewhere
            payment = Payment(
                request=request,
                method=PaymentMethod.BANK_TRANSFER,
                status=PaymentStatus.SUCCEEDED if counted else PaymentStatus.UNMATCHED,
                amount=line.credit,
                external_id=line.bank_txn_id,
                description=line.description,
                received_at=line.booked_at or now,
                recorded_by=actor if actor and actor.pk else None,
            )
            row.request = request
            if counted:
                request.amount_paid += line.credit
                request.status = _status_after(request)
                if request.status in SETTLED:
                    request.paid_at = now
                    settled_by[request.pk] = len(money)
                touched[request.pk] = request
                row.outcome = _outcome_for(request)
            else:
                row.outcome = LineOutcome.UNMATCHED
                if elsewhere:
                    row.error = _("Mã %(ref)s là khoản thu của %(agency)s, không phải của tài khoản này.") % {
                        "ref": request.reference,
                        "agency": request.agency.name,
                    }
                elif request is not None:
                    row.error = _("Yêu cầu nộp %(ref)s không còn chờ nộp (%(status)s).") % {
                        "ref": request.reference,
                        "status": request.get_status_display(),
                    }
                elif not row.error:
                    row.error = (
                        _("Nội dung có nhiều mã thanh toán.")
                        if len(hits) > 1
                        else _("Không tìm thấy mã thanh toán trong nội dung.")
                    )
            money.append((len(rows) - 1, payment))
        row.error = row.error[:255]
        summary[row.outcome] += 1

    _insert_rows(BankStatementLine, LINE_FIELDS, rows)
    line_pks = dict(BankStatementLine.objects.filter(statement=statement).values_list("line_no", "pk"))
    for row in rows:
        row.pk = line_pks[row.line_no]
        row._state.adding = False
    payments = []
    for index, payment in money:
        payment.statement_line = rows[index]
        payment.created_at = payment.updated_at = now
        payments.append(payment)
    _insert_rows(Payment, PAYMENT_FIELDS, payments)
    payment_pks = dict(
        Payment.objects.filter(statement_line__statement=statement).values_list("statement_line_id", "pk")
    )
    for payment in payments:
        payment.pk = payment_pks[payment.statement_line_id]
        payment._state.adding = False
    _update_requests(list(touched.values()), now=now)
    _insert_rows(
        AuditEvent,
        AUDIT_FIELDS,
        [
            AuditEvent(
                at=now,
                actor=payment.recorded_by,
                action="payment.record",
                object_type="payment",
                object_id=str(payment.pk),
                data={
                    "method": payment.method,
                    "amount": payment.amount,
                    "request": payment.request.reference if payment.request else None,
                    "status": payment.status,
                    "statement": statement.pk,
                },
            )
            for payment in payments
        ],
    )
    _side_effects(payments, settled_by, actor=actor)
    statement.summary = summary
    statement.save(update_fields=["summary", "updated_at"])


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
    """Write the counted totals back. One parametrised UPDATE run many times: Django's bulk_update builds
    a CASE per field and row, which costs more than the rest of a 100,000-line reconcile together."""
    if not requests:
        return
    meta = PaymentRequest._meta
    columns = [meta.get_field(name).column for name in ("amount_paid", "status", "paid_at", "updated_at")]
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(meta.db_table), ", ".join(f"{qn(column)} = %s" for column in columns), qn(meta.pk.column)
    )
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(r.amount_paid, r.status, adapt(r.paid_at), stamp, r.pk) for r in requests])
    for request in requests:
        request.updated_at = now


def _side_effects(payments: list[Payment], settled_by: dict[int, int], *, actor) -> None:
    """What `_count` does after counting: a receipt per counted payment (in bulk, see
    `receipts_issue_bulk`), and the dossiers that wait for this money resumed."""
    receipt_services.receipts_issue_bulk(payments=payments, actor=actor)
    settling = [payments[index] for index in settled_by.values()]
    waiting: set[int] = set()
    dossier_ids = sorted({payment.request.dossier_id for payment in settling})
    for chunk in _chunks(dossier_ids, CHUNK):
        waiting.update(
            Dossier.objects.filter(pk__in=chunk, status=DossierStatus.PAYMENT_REQUESTED).values_list("pk", flat=True)
        )
    # Only dossiers still waiting for payment have anything to resume (dossier_settle checks again).
    for payment in settling:
        if payment.request.dossier_id in waiting:
            dossier_link.dossier_settle(request=payment.request, payment=payment, actor=actor)
