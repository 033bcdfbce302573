"""Bank statement import: CSV and Excel, good and bad rows, duplicates, all-or-nothing, access."""

import io

import openpyxl
import pytest
from django.urls import reverse

from motcua.core.errors import DomainError
from motcua.payments.channels.services.statement_parse import parse_amount, statement_parse
from motcua.payments.channels.services.statements import statement_import
from motcua.payments.models import (
    BankStatementImport,
    BankStatementLine,
    LineOutcome,
    Payment,
    PaymentMethod,
    PaymentRequestStatus,
    PaymentStatus,
)

pytestmark = pytest.mark.django_db

PREAMBLE = [
    ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM", "", "", "", "", ""],
    ["SAO KÊ TÀI KHOẢN", "", "", "", "", ""],
    ["Số tài khoản: 7800201000123", "", "", "", "", ""],
    ["", "", "", "", "", ""],
    ["STT", "Ngày giao dịch", "Số tham chiếu", "Số tiền ghi nợ", "Số tiền ghi có", "Nội dung"],
]


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    for row in [*PREAMBLE, *rows]:
        out.write(",".join(f'"{c}"' for c in row) + "\r\n")
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*PREAMBLE, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1.250.000", 1250000),
        ("1,250,000", 1250000),
        ("1.250.000,00", 1250000),
        ("1,250,000.00", 1250000),
        ("8000", 8000),
        ("8.000 VND", 8000),
        ("", None),
        (1250000, 1250000),
        (1250000.0, 1250000),
        ("-50.000", -50000),
    ],
)
def test_amounts_as_banks_write_them(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["1.250.000,50", "12,34,56", "abc", "1.2345"])
def test_amounts_that_are_not_money(text):
    with pytest.raises(ValueError):
        parse_amount(text)


def test_header_found_under_title_rows_with_other_names():
    content = (
        "Sao kê tài khoản\r\n\r\n"
        "Ngày GD;Mã giao dịch;Phát sinh có;Phát sinh nợ;Diễn giải\r\n"
        "05/11/2026 08:15:00;FT1;8.000;;MC22223333 nop phi\r\n"
        "Tổng cộng;;8.000;;\r\n"
    ).encode()
    lines = statement_parse(file_name="x.csv", content=content)
    assert len(lines) == 1
    assert (lines[0].bank_txn_id, lines[0].credit, lines[0].booked_at.day, lines[0].booked_at.hour) == (
        "FT1",
        8000,
        5,
        8,
    )


def test_file_without_header_is_refused():
    with pytest.raises(DomainError) as exc:
        statement_parse(file_name="x.csv", content=b"a,b,c\r\n1,2,3\r\n")
    assert exc.value.code == "statement_header_missing"


def _mixed_rows(full, part, over, closed):
    return [
        [1, "05/11/2026", "FT001", "", "8.000", f"{full.reference} NGUYEN VAN A NOP LE PHI"],
        [2, "05/11/2026", "FT002", "", "5,000", f"nop phi {part.reference.lower()}"],
        [3, "06/11/2026", "FT003", "", "10.000", f"IBFT {over.reference}"],
        [4, "06/11/2026", "FT004", "", "20.000", "chuyen tien khong ghi ma"],
        [5, "06/11/2026", "FT001", "", "8.000", f"{full.reference} lap lai"],
        [6, "31/02/2026", "FT006", "", "8.000", "ngay sai"],
        [7, "07/11/2026", "FT007", "", "tam nghin", "so tien sai"],
        [8, "07/11/2026", "FT008", "30.000", "", "phi quan ly tai khoan"],
        [9, "07/11/2026", "FT009", "", "8.000", f"{closed.reference} nop lai"],
    ]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_good_and_bad_rows(fmt, make_request, account_a, cashier_a):
    full, part, over = make_request(8000), make_request(8000), make_request(8000)
    closed = make_request(8000, status=PaymentRequestStatus.CANCELLED)
    rows = _mixed_rows(full, part, over, closed)
    content = csv_bytes(rows) if fmt == "csv" else xlsx_bytes(rows)
    statement = statement_import(account=account_a, file_name=f"sk.{fmt}", content=content, actor=cashier_a)

    outcomes = {line.line_no - len(PREAMBLE): line for line in statement.lines.all()}
    assert {n: line.outcome for n, line in outcomes.items()} == {
        1: LineOutcome.MATCHED,
        2: LineOutcome.PARTIAL,
        3: LineOutcome.OVERPAID,
        4: LineOutcome.UNMATCHED,
        5: LineOutcome.DUPLICATE,
        6: LineOutcome.INVALID,
        7: LineOutcome.INVALID,
        8: LineOutcome.IGNORED,
        9: LineOutcome.UNMATCHED,
    }
    assert "Ngày giao dịch không hợp lệ" in outcomes[6].error
    assert "Số tiền ghi có không hợp lệ" in outcomes[7].error
    assert "không còn chờ nộp" in outcomes[9].error
    assert statement.summary == {
        "matched": 1,
        "partial": 1,
        "overpaid": 1,
        "unmatched": 2,
        "duplicate": 1,
        "invalid": 2,
        "ignored": 1,
    }
    for request, status, paid in (
        (full, "paid", 8000),
        (part, "partly_paid", 5000),
        (over, "overpaid", 10000),
        (closed, "cancelled", 0),
    ):
        request.refresh_from_db()
        assert (request.status, request.amount_paid) == (status, paid)
    assert full.paid_at is not None
    payments = Payment.objects.filter(method=PaymentMethod.BANK_TRANSFER)
    assert payments.count() == 5  # FT001..FT004 and FT009; the repeat of FT001 is not money twice
    assert payments.filter(status=PaymentStatus.UNMATCHED).count() == 2
    assert payments.get(external_id="FT002").statement_line == outcomes[2]


def test_same_file_twice_is_refused(make_request, account_a, cashier_a):
    content = csv_bytes([[1, "05/11/2026", "FT100", "", "8.000", f"{make_request().reference}"]])
    statement_import(account=account_a, file_name="a.csv", content=content, actor=cashier_a)
    with pytest.raises(DomainError) as exc:
        statement_import(account=account_a, file_name="a-copy.csv", content=content, actor=cashier_a)
    assert (exc.value.code, exc.value.status) == ("statement_already_imported", 409)
    assert BankStatementImport.objects.count() == 1


def test_transaction_in_two_statements_counts_once(make_request, account_a, cashier_a):
    request = make_request(8000)
    first = csv_bytes([[1, "05/11/2026", "FT200", "", "4.000", request.reference]])
    second = csv_bytes(
        [
            [1, "05/11/2026", "FT200", "", "4.000", request.reference],
            [2, "06/11/2026", "FT201", "", "4.000", request.reference],
        ]
    )
    statement_import(account=account_a, file_name="t1.csv", content=first, actor=cashier_a)
    statement = statement_import(account=account_a, file_name="t2.csv", content=second, actor=cashier_a)
    assert [line.outcome for line in statement.lines.all()] == [LineOutcome.DUPLICATE, LineOutcome.MATCHED]
    request.refresh_from_db()
    assert (request.status, request.amount_paid) == (PaymentRequestStatus.PAID, 8000)


def test_crash_mid_import_leaves_nothing(make_request, account_a, cashier_a, monkeypatch):
    first, second = make_request(8000), make_request(8000)
    from motcua.payments.models import Receipt
    from motcua.payments.receipts import services as receipts

    real_issue = receipts.receipts_issue_bulk

    def failing_receipts(*, payments, actor=None):
        # The receipts are written, then the fault: everything before it must go too.
        real_issue(payments=payments, actor=actor)
        assert Receipt.objects.count() == 2
        raise RuntimeError("máy in biên lai hỏng")

    monkeypatch.setattr("motcua.payments.receipts.services.receipts_issue_bulk", failing_receipts)
    content = csv_bytes(
        [
            [1, "05/11/2026", "FT300", "", "8.000", first.reference],
            [2, "05/11/2026", "FT301", "", "8.000", second.reference],
        ]
    )
    with pytest.raises(RuntimeError):
        statement_import(account=account_a, file_name="c.csv", content=content, actor=cashier_a)
    assert not BankStatementImport.objects.exists()
    assert not BankStatementLine.objects.exists()
    assert not Payment.objects.exists()
    assert not Receipt.objects.exists()
    first.refresh_from_db()
    assert (first.status, first.amount_paid) == (PaymentRequestStatus.OPEN, 0)
    # Nothing was kept, so the very same file can be imported once the fault is gone.
    monkeypatch.undo()
    statement = statement_import(account=account_a, file_name="c.csv", content=content, actor=cashier_a)
    assert statement.summary["matched"] == 2


def test_cashier_uploads_and_sees_lines(client, make_request, account_a, cashier_a):
    request = make_request(8000)
    client.force_login(cashier_a)
    upload = io.BytesIO(
        csv_bytes(
            [
                [1, "05/11/2026", "FT400", "", "8.000", request.reference],
                [2, "05/11/2026", "FT401", "", "xyz", "sai"],
            ]
        )
    )
    upload.name = "sao-ke.csv"
    response = client.post(reverse("payment_channels:statements"), {"account": account_a.pk, "file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert "FT400" in html and request.reference in html and "Khớp, đủ tiền" in html
    assert "Số tiền ghi có không hợp lệ" in html


def test_statements_are_scoped_to_the_agency(client, make_request, account_a, account_b, cashier_a, cashier_b, citizen):
    content = csv_bytes([[1, "05/11/2026", "FT500", "", "8.000", make_request().reference]])
    statement = statement_import(account=account_a, file_name="a.csv", content=content, actor=cashier_a)
    detail = reverse("payment_channels:statement_detail", args=[statement.pk])

    client.force_login(cashier_b)
    assert client.get(detail).status_code == 404
    listing = client.get(reverse("payment_channels:statements")).content.decode()
    assert "a.csv" not in listing and account_a.account_number not in listing
    upload = io.BytesIO(csv_bytes([[1, "05/11/2026", "FT501", "", "8.000", "x"]]))
    upload.name = "b.csv"
    response = client.post(reverse("payment_channels:statements"), {"account": account_a.pk, "file": upload})
    assert response.status_code == 400
    assert not BankStatementImport.objects.filter(file_name="b.csv").exists()

    client.force_login(citizen)
    assert client.get(detail).status_code == 404
    assert client.get(reverse("payment_channels:statements")).status_code == 404

    client.force_login(cashier_a)
    assert client.get(detail).status_code == 200


def test_instalments_in_one_file_then_money_beyond_a_paid_request(make_request, account_a, cashier_a):
    request = make_request(8000)
    content = csv_bytes(
        [
            [1, "05/11/2026", "FT600", "", "3.000", request.reference],
            [2, "06/11/2026", "FT601", "", "5.000", request.reference],
            [3, "07/11/2026", "FT602", "", "1.000", request.reference],
        ]
    )
    statement = statement_import(account=account_a, file_name="i.csv", content=content, actor=cashier_a)
    assert [line.outcome for line in statement.lines.all()] == [
        LineOutcome.PARTIAL,
        LineOutcome.MATCHED,
        LineOutcome.UNMATCHED,
    ]
    request.refresh_from_db()
    assert (request.status, request.amount_paid) == (PaymentRequestStatus.PAID, 8000)
    late = Payment.objects.get(external_id="FT602")
    assert late.status == PaymentStatus.UNMATCHED and late.request == request


def test_receipts_of_an_import_are_numbered_in_one_run_without_gaps(make_request, account_a, cashier_a):
    from motcua.payments.models import Receipt
    from motcua.payments.services.cash import cash_record

    first = make_request(8000)
    cash_record(request=first, amount=8000, actor=cashier_a)
    requests = [make_request(8000) for _ in range(3)]
    rows = [[n, "05/11/2026", f"FT50{n}", "", "8.000", r.reference] for n, r in enumerate(requests, start=1)]
    statement_import(account=account_a, file_name="r.csv", content=csv_bytes(rows), actor=cashier_a)
    receipts = list(Receipt.objects.order_by("number"))
    assert [r.number for r in receipts] == [1, 2, 3, 4]
    assert receipts[0].series.last_number == 4
    assert {r.request_id for r in receipts[1:]} == {r.pk for r in requests}
    assert all(r.payer_name and r.items == [{"name": "Lệ phí", "amount": 8000}] for r in receipts[1:])


def test_money_in_another_agencys_account_is_left_for_the_cashier(make_request, account_a, agency_b, cashier_a):
    theirs = make_request(8000, agency=agency_b)
    content = csv_bytes([[1, "05/11/2026", "FT600", "", "8.000", theirs.reference]])
    statement = statement_import(account=account_a, file_name="o.csv", content=content, actor=cashier_a)
    line = statement.lines.get()
    assert line.outcome == LineOutcome.UNMATCHED
    assert theirs.reference in line.error
    theirs.refresh_from_db()
    assert (theirs.status, theirs.amount_paid) == (PaymentRequestStatus.OPEN, 0)
    assert Payment.objects.get(external_id="FT600").status == PaymentStatus.UNMATCHED
