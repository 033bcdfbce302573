"""Reading a broadcast's recipient list from CSV (họ tên, số điện thoại, ấp/khóm).

Communes keep these lists in Excel and save them as CSV with whatever encoding and separator
the machine uses; we accept UTF-8 (with or without BOM) and Windows-1258, and comma, semicolon
or tab. Every row comes back with a state: ok, invalid (not a Vietnamese mobile number),
duplicate (the number appeared earlier in the file) or opted_out.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.identity import normalize_phone_or_none
from motcua.core.models import Hamlet, Unit
from motcua.core.scope import units_in_scope
from motcua.core.text import fold

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 200_000

_NAME_HEADERS = {"ho ten", "ho va ten", "ten", "name", "full name"}
_PHONE_HEADERS = {"so dien thoai", "dien thoai", "sdt", "so dt", "phone", "mobile"}
_HAMLET_HEADERS = {"ap khom", "ap", "khom", "ap khom to dan pho", "hamlet"}


@dataclass(frozen=True)
class CsvRow:
    row_number: int
    name: str
    phone: str
    state: str
    error: str = ""
    hamlet_id: int | None = None
    unit_id: int | None = None


@dataclass
class CsvReport:
    rows: list[CsvRow] = field(default_factory=list)

    @property
    def good(self) -> int:
        return sum(1 for r in self.rows if r.state == "ok")

    def counts(self) -> dict[str, int]:
        result = {"ok": 0, "invalid": 0, "duplicate": 0, "opted_out": 0}
        for r in self.rows:
            result[r.state] += 1
        return result

    def bad_details(self, limit: int = 500) -> list[dict]:
        bad = [r for r in self.rows if r.state != "ok"][:limit]
        return [
            {"row": r.row_number, "name": r.name, "phone": r.phone, "state": r.state, "error": r.error} for r in bad
        ]

    def with_opted_out(self, phones: set[str]) -> CsvReport:
        if not phones:
            return self
        message = _("Người này đã từ chối nhận thông báo diện rộng.")
        return CsvReport(
            [
                replace(r, state="opted_out", error=message) if r.state == "ok" and r.phone in phones else r
                for r in self.rows
            ]
        )


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(_("Không đọc được tệp: hãy lưu tệp CSV với mã UTF-8."), code="csv_invalid", status=422)


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = fold(title)
        for name, options in (("name", _NAME_HEADERS), ("phone", _PHONE_HEADERS), ("hamlet", _HAMLET_HEADERS)):
            if key in options and name not in found:
                found[name] = index
    return found


def _cell(row: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return row[index].strip() if index is not None and index < len(row) else ""


def parse_recipients_csv(content: bytes, *, owner_unit: Unit, opted_out: set[str]) -> CsvReport:
    """Rows of the file with their state; raises `csv_invalid` when the file itself is unusable."""
    if len(content) > MAX_BYTES:
        raise DomainError(_("Tệp quá lớn (tối đa 10 MB)."), code="csv_invalid", status=422)
    text = _decode(content)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    columns = _columns(header or [])
    if "phone" not in columns:
        raise DomainError(
            _("Tệp CSV cần dòng tiêu đề có cột “số điện thoại” (và “họ tên”, “ấp/khóm” nếu có)."),
            code="csv_invalid",
            status=422,
            details=[{"row": 1, "error": _("Thiếu cột số điện thoại")}],
        )
    hamlets = {
        fold(h.name): (h.pk, h.unit_id)
        for h in Hamlet.objects.filter(unit__in=units_in_scope(owner_unit)).only("pk", "name", "unit_id")
    }
    seen: dict[str, int] = {}
    report = CsvReport()
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(report.rows) >= MAX_ROWS:
            raise DomainError(
                _("Tệp có quá nhiều dòng (tối đa %(n)d).") % {"n": MAX_ROWS}, code="csv_invalid", status=422
            )

        raw_phone, name, hamlet = (_cell(row, columns, key) for key in ("phone", "name", "hamlet"))
        hamlet_id, unit_id = hamlets.get(fold(hamlet), (None, None)) if hamlet else (None, None)
        phone = normalize_phone_or_none(raw_phone)
        if phone is None:
            state, error, phone = "invalid", _("Số điện thoại di động không hợp lệ."), raw_phone
        elif phone in seen:
            state, error = "duplicate", _("Trùng số với dòng %(row)d.") % {"row": seen[phone]}
        elif phone in opted_out:
            state, error = "opted_out", _("Người này đã từ chối nhận thông báo diện rộng.")
        else:
            state, error = "ok", ""
            seen[phone] = row_number
        report.rows.append(CsvRow(row_number, name, phone, state, error, hamlet_id, unit_id))
    return report
