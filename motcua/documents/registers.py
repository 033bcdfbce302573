"""Printable registers: the incoming book and the outgoing book, as PDF and xlsx.

Columns follow the register forms of Decree 30/2020/NĐ-CP (Appendix IV, "Mẫu sổ đăng ký văn bản
đi / đến"): see docs/documents.md for what was confirmed and from where. As the form's first page
asks, the register states the year, the first and last dates and the first and last numbers. The rows come from the selectors, so a register never shows a document
the officer may not see; every export is audited.
"""

from __future__ import annotations

import datetime
import io

from django.db.models import Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from motcua.core import calendar
from motcua.core.transitions import audit_record

# Lazy: the headers are translated when a register is made, not when the module is imported.
INCOMING_COLUMNS = [
    gettext_lazy("Ngày đến"),
    gettext_lazy("Số đến"),
    gettext_lazy("Tác giả"),
    gettext_lazy("Số, ký hiệu văn bản"),
    gettext_lazy("Ngày tháng văn bản"),
    gettext_lazy("Tên loại và trích yếu nội dung văn bản"),
    gettext_lazy("Đơn vị hoặc người nhận"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
]
OUTGOING_COLUMNS = [
    gettext_lazy("Số, ký hiệu văn bản"),
    gettext_lazy("Ngày tháng văn bản"),
    gettext_lazy("Tên loại và trích yếu nội dung văn bản"),
    gettext_lazy("Người ký"),
    gettext_lazy("Nơi nhận văn bản"),
    gettext_lazy("Đơn vị, người nhận bản lưu"),
    gettext_lazy("Số lượng bản"),
    gettext_lazy("Ngày chuyển"),
    gettext_lazy("Ký nhận"),
    gettext_lazy("Ghi chú"),
]


def _day(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = calendar.as_local(value).date()
    return value.strftime("%d/%m/%Y")


def incoming_rows(documents) -> list[list]:
    rows = []
    for d in documents.prefetch_related("assignments__user", "assignments__agency"):
        # "Đơn vị hoặc người nhận" and "Ngày chuyển": the lead the document was passed to, and when.
        lead = next((a for a in d.assignments.all() if a.role == "lead"), None)
        receiver, passed_on = "", ""
        if lead is not None:
            receiver = lead.user.get_full_name() if lead.user_id else str(lead.agency)
            passed_on = _day(lead.created_at)
        note = d.get_confidentiality_display() if d.is_confidential else ""
        rows.append(
            [
                _day(d.received_at),
                d.incoming_number,
                d.sender_name,
                d.doc_number,
                _day(d.issued_on),
                f"{d.doc_type.name}: {d.summary}",
                receiver,
                passed_on,
                "",
                note,
            ]
        )
    return rows


def outgoing_rows(documents) -> list[list]:
    rows = []
    for d in documents.select_related("signer", "drafted_by"):
        recipients = "; ".join(line.strip() for line in d.recipients_text.splitlines() if line.strip())
        rows.append(
            [
                d.code,
                _day(d.issued_at),
                f"{d.doc_type.name}: {d.title}",
                d.signer.get_full_name() if d.signer_id else "",
                recipients,
                d.drafted_by.get_full_name() if d.drafted_by_id else "",
                d.copies or "",
                _day(d.issued_at),
                "",
                d.get_status_display() if d.status != "issued" else "",
            ]
        )
    return rows


def _span(documents, kind: str) -> dict:
    """The first page's facts: first and last dates and numbers of the rows printed."""
    date_field, number_field = ("received_at", "incoming_number") if kind == "incoming" else ("issued_at", "number")
    found = documents.order_by().aggregate(
        first_day=Min(date_field), last_day=Max(date_field), first=Min(number_field), last=Max(number_field)
    )
    return {
        "first_day": _day(found["first_day"]),
        "last_day": _day(found["last_day"]),
        "first": found["first"] or "",
        "last": found["last"] or "",
    }


def span_line(span: dict) -> str:
    return _("Từ ngày %(first_day)s đến ngày %(last_day)s; từ số %(first)s đến số %(last)s; quyển số: 1") % span


def register_xlsx(*, title: str, columns: list[str], rows: list[list], span: dict | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "So"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([span_line(span)] if span else [])
    ws.append([str(c) for c in columns])
    thin = Side(style="thin", color="888888")
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for row in rows:
        ws.append(row)
    for index, width in enumerate([12, 8, 28, 16, 12, 50, 22, 10, 16, 12], start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def register_pdf(*, title: str, agency, columns: list[str], rows: list[list], span: dict | None = None) -> bytes:
    from motcua.dossiers.forms_pdf.render import render_pdf

    return render_pdf(
        "documents/register_pdf.html",
        {
            "title": title,
            "agency": agency,
            "columns": [str(c) for c in columns],
            "rows": rows,
            "span": span_line(span) if span else "",
        },
        landscape=True,
    )


def simple_pdf(lines: list[str]) -> bytes:
    """A plain PDF of text lines (the placeholder layout until the national layout lands)."""
    from motcua.dossiers.forms_pdf.render import render_pdf

    return render_pdf("documents/plain_pdf.html", {"lines": lines})


def register_export(*, user, kind: str, fmt: str, documents, agency, year: int) -> tuple[bytes, str, str]:
    """The register file: (bytes, content type, file name). Audited."""
    if kind == "incoming":
        title = _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM %(year)s") % {"year": year}
        columns, rows = INCOMING_COLUMNS, incoming_rows(documents)
    else:
        title = _("SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM %(year)s") % {"year": year}
        columns, rows = OUTGOING_COLUMNS, outgoing_rows(documents)
    audit_record(
        actor=user,
        action="documents.register_export",
        object_type="agency",
        object_id=getattr(agency, "pk", ""),
        data={"kind": kind, "format": fmt, "year": year, "rows": len(rows)},
    )
    span = _span(documents, kind)
    name = f"so-van-ban-{'den' if kind == 'incoming' else 'di'}-{year}"
    if fmt == "pdf":
        return (
            register_pdf(title=title, agency=agency, columns=columns, rows=rows, span=span),
            "application/pdf",
            f"{name}.pdf",
        )
    return (
        register_xlsx(title=title, columns=columns, rows=rows, span=span),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{name}.xlsx",
    )
