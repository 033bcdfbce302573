"""The managers' queue figures page and its Excel download (the same shape as dossiers' figures)."""

from __future__ import annotations

import datetime
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from motcua.core.decorators import officer_required
from motcua.core.errors import DomainError, NotFound

from ..selectors.figures import DIMENSIONS, figures_for

DIMENSION_TITLES = {
    "office": gettext_lazy("Theo bộ phận một cửa"),
    "group": gettext_lazy("Theo nhóm dịch vụ"),
    "counter": gettext_lazy("Theo quầy"),
    "officer": gettext_lazy("Theo cán bộ"),
    "hour": gettext_lazy("Theo giờ trong ngày"),
    "day": gettext_lazy("Theo ngày"),
}
COLUMNS = (
    ("tickets", gettext_lazy("Số phiếu")),
    ("done", gettext_lazy("Đã phục vụ")),
    ("absent", gettext_lazy("Vắng mặt")),
    ("no_show_percent", gettext_lazy("Tỷ lệ vắng (%)")),
    ("bookings", gettext_lazy("Đặt lịch hẹn")),
    ("wait_median_minutes", gettext_lazy("Chờ – trung vị (phút)")),
    ("wait_p90_minutes", gettext_lazy("Chờ – P90 (phút)")),
    ("service_median_minutes", gettext_lazy("Phục vụ – trung vị (phút)")),
)


def _day(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _params(request):
    today = timezone.localdate()
    date_from = _day(request.GET.get("tu", "")) or today - datetime.timedelta(days=6)
    date_to = _day(request.GET.get("den", "")) or today
    office = request.GET.get("bo-phan", "")
    return date_from, date_to, int(office) if office.isdecimal() and len(office) < 12 else None


def _figures(request):
    date_from, date_to, office_id = _params(request)
    try:
        return figures_for(request.user, office_id=office_id, date_from=date_from, date_to=date_to), None
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        return None, exc.message


@officer_required
def figures_view(request):
    data, error = _figures(request)
    context = {"error": error, "data": data, "columns": COLUMNS, "office_id": _params(request)[2]}
    if data:
        context["tables"] = [(d, DIMENSION_TITLES[d], data["tables"][d]) for d in DIMENSIONS]
        context["xlsx_url"] = reverse("queue:figures_xlsx") + "?" + request.GET.urlencode()
    return render(request, "queue/figures.html", context, status=422 if error else 200)


def figures_workbook(data: dict) -> bytes:
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Tổng hợp")
    ws.append([_("Thống kê xếp hàng"), data["date_from"], data["date_to"]])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.cell(1, 2).number_format = ws.cell(1, 3).number_format = "DD/MM/YYYY"
    for dimension in DIMENSIONS:
        sheet = ws if dimension == "office" else workbook.create_sheet(str(DIMENSION_TITLES[dimension])[:31])
        sheet.append([])
        sheet.append([str(DIMENSION_TITLES[dimension]), *[str(label) for _key, label in COLUMNS]])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        rows = data["tables"][dimension] + ([data["total"]] if dimension == "office" else [])
        for row in rows:
            sheet.append([row["label"], *[row[key] for key, _label in COLUMNS]])
        sheet.column_dimensions[get_column_letter(1)].width = 36
        for column in range(2, len(COLUMNS) + 2):
            sheet.column_dimensions[get_column_letter(column)].width = 16
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@officer_required
def figures_xlsx_view(request):
    data, error = _figures(request)
    if error:
        return render(request, "queue/figures.html", {"error": error, "data": None}, status=422)
    response = HttpResponse(
        figures_workbook(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="thong-ke-xep-hang-{data["date_from"]}-{data["date_to"]}.xlsx"'
    )
    return response
