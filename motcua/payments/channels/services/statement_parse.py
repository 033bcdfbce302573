"""Reading bank statements as Vietnamese banks export them (CSV or Excel) into plain lines.

Banks differ in layout: a few title rows (bank name, account, period) come before the header, the
header names vary ("Số tiền ghi có" / "Phát sinh có" / "Ghi có"), dates are dd/mm/yyyy (sometimes
with a time), and amounts are written "1.250.000" or "1,250,000" (Excel may hand us numbers). So the
header row is found by its folded names, not its position, and each row is parsed on its own: a bad
row becomes a line with an error and never stops the others.

Parsing touches no database; `statements.py` reconciles what comes out.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.text import fold

from ...services.apply import MAX_AMOUNT

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HEADER_SCAN_ROWS = 40

# Folded header names per field. Exact matches win; the long names also match inside a longer header
# ("So tien ghi co (VND)"). Short ones ("co", "no") only ever match exactly.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": (
        "ngay giao dich",
        "ngay gd",
        "ngay hach toan",
        "ngay hieu luc",
        "ngay thuc hien",
        "ngay",
        "transaction date",
        "date",
    ),
    "txn_id": (
        "so tham chieu",
        "ma giao dich",
        "so giao dich",
        "ma gd",
        "so gd",
        "so but toan",
        "so ct",
        "so chung tu",
        "ma tham chieu",
        "reference",
        "transaction id",
        "ref no",
    ),
    "credit": ("so tien ghi co", "phat sinh co", "ghi co", "so tien co", "co", "credit"),
    "debit": ("so tien ghi no", "phat sinh no", "ghi no", "so tien no", "no", "debit"),
    "description": ("noi dung giao dich", "noi dung", "dien giai", "mo ta", "chi tiet giao dich", "description"),
}
REQUIRED = ("date", "txn_id", "credit", "description")
_FIELD_LABELS = {
    "date": "Ngày giao dịch",
    "txn_id": "Số tham chiếu",
    "credit": "Số tiền ghi có",
    "description": "Nội dung",
}
_FOOTERS = ("tong", "cong", "so du", "total", "balance")
_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CURRENCY = re.compile(r"(vnd|vnđ|đồng|dong|đ)$", re.IGNORECASE)


@dataclass
class ParsedLine:
    line_no: int  # row number in the file (1-based), as the cashier sees it in Excel
    bank_txn_id: str = ""
    booked_at: datetime.datetime | None = None
    credit: int | None = None
    debit: int | None = None
    description: str = ""
    error: str = ""


class StatementFormatError(DomainError):
    def __init__(self, message: str, code: str = "statement_format"):
        super().__init__(message, code=code, status=400)


def _match_field(header: str) -> str | None:
    folded = fold(header)
    if not folded:
        return None
    for field, names in _SYNONYMS.items():
        if folded in names:
            return field
    for field, names in _SYNONYMS.items():
        if any(len(name) >= 6 and name in folded for name in names):
            return field
    return None


def detect_columns(row: list) -> dict[str, int] | None:
    """{field: column index} when `row` looks like the header (all required fields found)."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        field = _match_field(str(cell) if cell is not None else "")
        if field and field not in columns:
            columns[field] = index
    return columns if all(f in columns for f in REQUIRED) else None


def parse_date(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return value if value.tzinfo else value.replace(tzinfo=TZ)
    if isinstance(value, datetime.date):
        return datetime.datetime(value.year, value.month, value.day, tzinfo=TZ)
    text = str(value or "").strip()
    m = _DATE.match(text)
    if not m:
        raise ValueError(text)
    day, month, year, hour, minute, second = m.groups()
    return datetime.datetime(
        int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0), tzinfo=TZ
    )


def parse_amount(value) -> int | None:
    """Whole đồng from "1.250.000", "1,250,000", "1.250.000,00", 1250000 or 1250000.0; None if empty."""
    if value is None:
        return None
    if isinstance(value, str) and not value.strip():
        return None  # the empty side of a line (credit or debit): most cells of a statement
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return _bounded(value)
    if isinstance(value, float):
        if value != int(value):
            raise ValueError(value)
        return _bounded(int(value))
    text = _CURRENCY.sub("", str(value).strip().replace("\u00a0", "").replace(" ", "")).strip()
    if text in ("", "-"):
        return None
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-+()")
    if not re.fullmatch(r"[\d.,]+", text):
        raise ValueError(value)
    last = max(text.rfind("."), text.rfind(","))
    fraction = ""
    if last >= 0:
        tail = text[last + 1 :]
        separators = set(re.sub(r"\d", "", text))
        # A lone separator followed by 1-2 digits, or the second kind of separator, marks decimals.
        if len(tail) in (1, 2) and (len(separators) == 2 or text.count(text[last]) == 1):
            fraction, text = tail, text[:last]
    groups = re.split(r"[.,]", text)
    if len(groups) > 1 and (not groups[0] or len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])):
        raise ValueError(value)
    if fraction.strip("0"):
        raise ValueError(value)  # đồng have no subunit: "1.250.000,50" is a mistake, not money
    amount = int("".join(groups))
    return _bounded(-amount if negative else amount)


def _bounded(amount: int) -> int:
    # A figure no account could hold is a broken cell, and would not fit the line's column.
    if abs(amount) > MAX_AMOUNT:
        raise ValueError(amount)
    return amount


def _cell(row: list, columns: dict[str, int], field: str):
    index = columns.get(field)
    if index is None or index >= len(row):
        return None
    return row[index]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return str(value).strip()


def parse_row(row: list, columns: dict[str, int], line_no: int) -> ParsedLine:
    line = ParsedLine(line_no=line_no)
    line.bank_txn_id = _text(_cell(row, columns, "txn_id"))[:64]
    line.description = _text(_cell(row, columns, "description"))[:500]
    errors: list[str] = []
    raw_date = _cell(row, columns, "date")
    try:
        line.booked_at = parse_date(raw_date)
    except (ValueError, TypeError):
        errors.append(_("Ngày giao dịch không hợp lệ: “%(v)s” (cần dd/mm/yyyy).") % {"v": _text(raw_date)[:30]})
    for field in ("credit", "debit"):
        raw = _cell(row, columns, field)
        try:
            setattr(line, field, parse_amount(raw))
        except (ValueError, TypeError):
            # Translated only when needed: two gettext calls per line were a tenth of a large import.
            label = _("Số tiền ghi có") if field == "credit" else _("Số tiền ghi nợ")
            errors.append(_("%(label)s không hợp lệ: “%(v)s”.") % {"label": label, "v": _text(raw)[:30]})
    if line.credit is not None and line.credit < 0:
        # Some banks put the whole movement in one signed column.
        line.debit, line.credit = -line.credit, None
    if not line.bank_txn_id and (line.credit or 0) > 0:
        errors.append(_("Thiếu số tham chiếu (mã giao dịch) của ngân hàng."))
    line.error = " ".join(errors)[:255]
    return line


def _rows_csv(content: bytes) -> list[list]:
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # Excel's "Unicode text" export: UTF-16 with a byte-order mark, NUL bytes and all.
        content = content.decode("utf-16", errors="replace").encode("utf-8")
    # Any other text statement has no NUL byte; an image or an old binary .xls does. A PDF may not, but
    # says what it is in its first bytes.
    if b"\x00" in content or content.startswith(b"%PDF-"):
        raise StatementFormatError(
            _("Tệp sao kê phải là CSV hoặc Excel (.xlsx); tệp đã gửi không phải văn bản."), code="statement_not_text"
        )
    for encoding in ("utf-8-sig", "cp1258", "latin-1"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # Title rows above the header have no separators, which confuses csv.Sniffer: pick the separator
    # that splits some early line into the most columns.
    head = text.splitlines()[:HEADER_SCAN_ROWS]

    def widest(delimiter: str) -> int:
        return max((len(row) for row in csv.reader(head, delimiter=delimiter)), default=0)

    try:
        delimiter = max(",;\t", key=widest)
        return list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as exc:
        raise StatementFormatError(
            _("Không đọc được tệp CSV: %(e)s") % {"e": str(exc)[:120]}, code="statement_not_text"
        ) from exc


def _rows_xlsx(content: bytes) -> list[list]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken or non-Excel file
        raise StatementFormatError(_("Không đọc được tệp Excel: %(e)s") % {"e": str(exc)[:120]}) from exc
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def is_excel(file_name: str, content: bytes) -> bool:
    return content[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))


def statement_parse(*, file_name: str, content: bytes) -> list[ParsedLine]:
    """Every data row of a statement file as a `ParsedLine`; raises StatementFormatError for the file."""
    if not content:
        raise StatementFormatError(_("Tệp sao kê rỗng."), code="statement_empty")
    rows = _rows_xlsx(content) if is_excel(file_name, content) else _rows_csv(content)
    columns, header_at = None, -1
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns = detect_columns(row)
        if columns:
            header_at = index
            break
    if not columns:
        missing = ", ".join(str(label) for label in _FIELD_LABELS.values())
        raise StatementFormatError(
            _("Không tìm thấy dòng tiêu đề của sao kê (cần các cột: %(cols)s).") % {"cols": missing},
            code="statement_header_missing",
        )
    lines = []
    for index in range(header_at + 1, len(rows)):
        row = rows[index]
        if not any(_text(cell) for cell in row):
            continue
        # Footer rows ("Tổng cộng", "Số dư cuối kỳ") have no reference and no date, or a label where it goes.
        if not _text(_cell(row, columns, "txn_id")) and (
            not _text(_cell(row, columns, "date")) or fold(_text(_cell(row, columns, "date"))).startswith(_FOOTERS)
        ):
            continue
        lines.append(parse_row(row, columns, index + 1))
    return lines
