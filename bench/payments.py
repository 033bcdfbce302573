"""Payments benchmark: reconcile a 100,000-line bank statement against 100,000 payment requests.

    .venv/bin/python bench/payments.py [--requests 100000] [--lines 100000] [--seed 6] [--no-signing]

Runs on a throwaway SQLite database in a temporary directory (migrated first); with DATABASE_URL set
it creates and drops its own database `motcua_bench_pay_<pid>` on that server instead. Steps:

1. seed one commune agency with a collection account, `--requests` dossiers (received, so that
   settling a request does not run the fee-paid workflow step) and one open payment request each;
2. write a CSV statement as a bank exports it: title rows, then `--lines` lines — 60% paying a
   request in full, 15% paying half, 5% paying more than due, 10% with no reference (unmatched),
   5% repeating an earlier line's transaction id (duplicate), 3% debits, 2% unreadable amounts;
3. time `statement_import` (parse, match, write lines/payments/requests/audit, issue receipts without
   rendering their PDFs: a bulk import defers them to first opening) and print the
   outcome counts, seconds and lines per second, and how much of it went to the per-payment contract
   calls `receipts_issue_bulk` and `dossier_settle`;
4. print the signing figures from `bench/signing.py` (`sign_verify_figures()`) when that file exists.
"""

import argparse
import datetime
import importlib.util
import io
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _django import setup_django, teardown_django  # noqa: E402  (bench/ is the script's folder)


def seed(n_requests: int, rng: random.Random):
    from django.utils import timezone

    from motcua.catalog.models import Field, Procedure
    from motcua.core.models import Agency, AgencyKind, Era, Unit, UnitKind
    from motcua.dossiers.models import Channel, Dossier, DossierStatus
    from motcua.payments.models import CollectionAccount, PaymentRequest
    from motcua.payments.services.references import reference_new

    province = Unit.objects.create(era=Era.CURRENT, code="96", name="Tỉnh Cà Mau", kind=UnitKind.PROVINCE)
    commune = Unit.objects.create(
        era=Era.CURRENT, code="32001", name="Xã Tân Thành", kind=UnitKind.COMMUNE, parent=province
    )
    agency = Agency.objects.create(
        code="000.00.01.H12", name="UBND xã Tân Thành", kind=AgencyKind.COMMUNE_COMMITTEE, unit=commune
    )
    account = CollectionAccount.objects.create(
        agency=agency,
        bank_bin="970405",
        bank_name="Agribank",
        account_number="7800201000123",
        account_name="UBND XA TAN THANH",
    )
    procedure = Procedure.objects.create(
        code="9.000001",
        key="bench",
        name="Thủ tục đo",
        level="commune",
        agency_kind=AgencyKind.COMMUNE_COMMITTEE,
        field=Field.objects.create(slug="ho-tich", name="Hộ tịch"),
        time_limit_days=3,
        online_level="full",
        result_type="Giấy",
        applicants="Công dân",
        valid_from=datetime.date(2025, 7, 1),
    )
    now = timezone.now()
    dossiers = Dossier.objects.bulk_create(
        [
            Dossier(
                code=f"{agency.code}-261122-{i:06d}",
                procedure=procedure,
                status=DossierStatus.RECEIVED,
                channel=Channel.ONLINE,
                applicant_name=f"Người nộp {i}",
                receiving_agency=agency,
                current_agency=agency,
                submitted_at=now,
                received_at=now,
            )
            for i in range(n_requests)
        ],
        batch_size=5000,
    )
    references: set[str] = set()
    while len(references) < n_requests:
        references.add(reference_new())
    requests = PaymentRequest.objects.bulk_create(
        [
            PaymentRequest(
                dossier=d,
                agency=agency,
                reference=ref,
                amount_due=rng.choice((8000, 20000, 50000, 100000)),
                items=[{"name": "Lệ phí", "amount": 0}],
            )
            for d, ref in zip(dossiers, sorted(references), strict=True)
        ],
        batch_size=5000,
    )
    return account, requests


def statement_csv(requests, n_lines: int, rng: random.Random) -> tuple[bytes, dict]:
    out = io.StringIO()
    out.write("NGAN HANG NONG NGHIEP VA PHAT TRIEN NONG THON VIET NAM\r\nSAO KE TAI KHOAN 7800201000123\r\n\r\n")
    out.write("STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Nội dung\r\n")
    pool = list(requests)
    rng.shuffle(pool)
    planned = {"full": 0, "half": 0, "over": 0, "no_ref": 0, "repeat": 0, "debit": 0, "bad": 0}
    written: list[str] = []
    for i in range(n_lines):
        roll = rng.random()
        day = f"{1 + i % 28:02d}/11/2026"
        txn = f"FT26{i:08d}"
        if roll < 0.05 and written:
            planned["repeat"] += 1
            out.write(rng.choice(written))
            continue
        if roll < 0.65 and pool:
            request = pool.pop()
            kind = rng.random()
            if kind < 0.75:
                amount, key = request.amount_due, "full"
            elif kind < 0.9375:
                amount, key = request.amount_due // 2, "half"
            else:
                amount, key = request.amount_due + 10000, "over"
            planned[key] += 1
            line = f'{i},{day},{txn},,"{amount:,}",{request.reference} NGUYEN VAN A NOP LE PHI\r\n'
        elif roll < 0.95:
            planned["no_ref"] += 1
            line = f'{i},{day},{txn},,"{rng.randint(1, 500) * 1000:,}",CHUYEN TIEN\r\n'
        elif roll < 0.98:
            planned["debit"] += 1
            line = f'{i},{day},{txn},"11.000",,PHI DICH VU\r\n'
        else:
            planned["bad"] += 1
            line = f"{i},{day},{txn},,MOT TRAM,LOI\r\n"
        written.append(line)
        out.write(line)
    return out.getvalue().encode("utf-8"), planned


def _time_calls(module_name: str, function: str) -> dict:
    """Wrap a module-level function to add up its calls and seconds (the contract functions we call)."""
    import importlib

    module = importlib.import_module(module_name)
    inner = getattr(module, function)
    spent = {function: [0, 0.0]}

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[function][0] += 1
            spent[function][1] += time.perf_counter() - started

    setattr(module, function, timed)
    return spent


def signing_figures() -> list[str]:
    path = ROOT / "bench" / "signing.py"
    if not path.exists():
        return ["(bench/signing.py not present: no signing figures)"]
    spec = importlib.util.spec_from_file_location("bench_signing", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    hook = getattr(module, "sign_verify_figures", None)
    return list(hook()) if hook else ["(bench/signing.py has no sign_verify_figures())"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-signing", action="store_true", help="skip the signing figures (bench/signing.py)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    tmp, server = setup_django("pay")
    from django.conf import settings

    settings.RECEIPT_PDF_ON_ISSUE = False
    try:
        from django.db import connection

        from motcua.payments.channels.services.statements import statement_import
        from motcua.payments.models import Payment, PaymentRequest

        t = time.perf_counter()
        account, requests = seed(args.requests, rng)
        content, planned = statement_csv(requests, args.lines, rng)
        print(
            f"database: {connection.vendor}; seeded {args.requests:,} requests in {time.perf_counter() - t:.1f} s; "
            f"statement {len(content) / 1e6:.1f} MB, planned {planned}"
        )
        spent = _time_calls("motcua.payments.receipts.services", "receipts_issue_bulk")
        spent.update(_time_calls("motcua.payments.services.dossier_link", "dossier_settle"))
        t = time.perf_counter()
        statement = statement_import(account=account, file_name="sao-ke-bench.csv", content=content, actor=None)
        seconds = time.perf_counter() - t
        print(
            f"reconcile: {statement.line_count:,} lines in {seconds:.1f} s = {statement.line_count / seconds:,.0f} "
            f"lines/s"
        )
        for name, (calls, secs) in spent.items():
            print(f"  of which {name}: {calls:,} calls, {secs:.1f} s ({1000 * secs / max(calls, 1):.2f} ms each)")
        mine = seconds - sum(secs for _, secs in spent.values())
        print(
            f"  reconcile without receipts and dossier resume: {mine:.1f} s = {statement.line_count / mine:,.0f} lines/s"
        )
        print(f"outcomes: {statement.summary}")
        print(
            f"payments: {Payment.objects.count():,}; requests paid/overpaid: "
            f"{PaymentRequest.objects.filter(status__in=('paid', 'overpaid')).count():,}"
        )
        for line in [] if args.no_signing else signing_figures():
            print(line)
    finally:
        teardown_django(tmp, server)


if __name__ == "__main__":
    main()
