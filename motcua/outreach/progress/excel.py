"""Excel export of the progress pages, in the layout of a report sent up the line: title rows,
unit, period, a table with headers, a totals row. Managers only, and every export is logged.

The figures come from the same selectors as the pages, so the file and the screen agree.
"""

import datetime
import io

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from motcua.core.errors import PermissionDenied
from motcua.core.transitions import audit_record
from motcua.outreach.progress.selectors import progress_commune, progress_province

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")
_THIN = Side(style="thin", color="888888")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _pct(value) -> float | None:
    return None if value is None else round(value / 100, 4)


def _sheet(
    ws,
    *,
    title: str,
    data: dict,
    headers: list[str],
    rows: list[list],
    totals: list,
    percent_columns: set[int],
) -> None:
    """One report table under the title rows: the unit and the day of `data` (the page's figures)."""
    width = len(headers)
    ws.append([_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")])
    ws.append([_("Độc lập - Tự do - Hạnh phúc")])
    ws.append([])
    ws.append([title])
    ws.append([_("Đơn vị: %(unit)s") % {"unit": data["unit"].name}])
    ws.append([_("Số liệu lũy kế đến ngày %(day)s") % {"day": data["today"].strftime("%d/%m/%Y")}])
    ws.append([])
    for row_number in (1, 2, 4, 5, 6):
        ws.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=width)
        ws.cell(row_number, 1).alignment = Alignment(horizontal="center")
    ws.cell(1, 1).font = _BOLD
    ws.cell(4, 1).font = _TITLE
    ws.append(headers)
    header_row = ws.max_row
    for column in range(1, width + 1):
        cell = ws.cell(header_row, column)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for values in [*rows, totals]:
        ws.append(values)
        for column in range(1, width + 1):
            cell = ws.cell(ws.max_row, column)
            cell.border = _BOX
            if column in percent_columns:
                cell.number_format = "0.0%"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    for column in range(1, width + 1):
        ws.cell(ws.max_row, column).font = _BOLD
        ws.column_dimensions[get_column_letter(column)].width = 12 if column > 2 else (6 if column == 1 else 30)
    ws.freeze_panes = ws.cell(header_row + 1, 1)


def _log(actor, unit, kind: str) -> None:
    audit_record(
        actor=actor if getattr(actor, "pk", None) else None,
        action="outreach_progress_export",
        object_type="core.unit",
        object_id=str(unit.pk),
        data={"unit": unit.code, "page": kind},
    )


def _export_data(selector, actor, **params) -> dict:
    """The page's figures, for a manager allowed to export them."""
    data = selector(actor, **params)
    if not data["may_export"]:
        raise PermissionDenied(_("Chỉ cán bộ quản lý được xuất báo cáo."), code="export_forbidden")
    return data


def _export_file(wb: Workbook, data: dict, actor, kind: str, file_name: str) -> tuple[str, bytes]:
    """Add the indicator sheet, log the export; (file name, .xlsx bytes)."""
    unit = data["unit"]
    _indicator_sheet(wb, data)
    with transaction.atomic():
        _log(actor, unit, kind)
    buffer = io.BytesIO()
    wb.save(buffer)
    return file_name, buffer.getvalue()


def progress_export_commune(*, actor, code: str, today: datetime.date | None = None) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of a commune's progress: hamlets, teams, indicators."""
    data = _export_data(progress_commune, actor, code=code, today=today)
    unit, households = data["unit"], data["households"]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Theo ấp")
    rows = [
        [r["rank"], r["hamlet"].name, r["households"], r["reached"], _pct(r["share"]), r["visits"]]
        for r in data["hamlets"]
    ]
    totals = [None, _("Tổng cộng"), households, data["reached"], _pct(data["reached_share"]), data["visits"]]
    _sheet(
        ws,
        title=_("BÁO CÁO TIẾN ĐỘ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG"),
        data=data,
        headers=[_("Hạng"), _("Ấp, khóm"), _("Số hộ"), _("Hộ được tiếp cận"), _("Tỷ lệ"), _("Lượt hỗ trợ")],
        rows=rows,
        totals=totals,
        percent_columns={5},
    )
    teams = wb.create_sheet(_("Theo tổ"))
    _sheet(
        teams,
        title=_("KẾT QUẢ CỦA CÁC TỔ CÔNG NGHỆ SỐ CỘNG ĐỒNG"),
        data=data,
        headers=[_("Hạng"), _("Tổ"), _("Thành viên"), _("Hộ được tiếp cận"), _("Lượt hỗ trợ"), _("Chỉ tiêu đạt")],
        rows=[
            [r["rank"], r["team"].name, r["members"], r["reached"], r["visits"], r["achievements"]]
            for r in data["team_ranking"]
        ],
        totals=[
            None,
            _("Tổng cộng"),
            data["members"],
            sum(r["reached"] for r in data["team_ranking"]),
            sum(r["visits"] for r in data["team_ranking"]),
            sum(r["achievements"] for r in data["team_ranking"]),
        ],
        percent_columns=set(),
    )
    return _export_file(wb, data, actor, "commune", f"tien-do-cnscd-{unit.code}-{data['today']:%Y%m%d}.xlsx")


def _indicator_sheet(wb: Workbook, data: dict) -> None:
    ws = wb.create_sheet(_("Theo chỉ tiêu"))
    rows = []
    targets = {r["target"].indicator_id: r for r in data["targets"] if not r["target"].campaign_id}
    for r in data["indicators"]:
        target = targets.get(r["indicator"].pk)
        rows.append(
            [
                len(rows) + 1,
                r["indicator"].name,
                r["achievements"],
                r["households"],
                _pct(r["share"]),
                target["planned"] if target else None,
                _pct(target["share_of_plan"]) if target else None,
            ]
        )
    reached_target = targets.get(None)
    totals = [
        None,
        _("Hộ được tiếp cận"),
        data["visits"],
        data["reached"],
        _pct(data["reached_share"]),
        reached_target["planned"] if reached_target else None,
        _pct(reached_target["share_of_plan"]) if reached_target else None,
    ]
    _sheet(
        ws,
        title=_("TIẾN ĐỘ THEO CHỈ TIÊU SỐ"),
        data=data,
        headers=[
            _("STT"),
            _("Chỉ tiêu"),
            _("Lượt đạt"),
            _("Số hộ đạt"),
            _("Tỷ lệ hộ"),
            _("Kế hoạch (hộ)"),
            _("Tỷ lệ so kế hoạch"),
        ],
        rows=rows,
        totals=totals,
        percent_columns={5, 7},
    )


def progress_export_province(
    *, actor, code: str | None = None, today: datetime.date | None = None
) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of the provincial progress: one row per commune, ranked."""
    data = _export_data(progress_province, actor, code=code, today=today)
    unit = data["unit"]
    wb = Workbook()
    ws = wb.active
    ws.title = _("Theo xã, phường")
    rows = [
        [
            r["rank"],
            r["unit"].name,
            r["teams"],
            r["members"],
            r["households"],
            r["reached"],
            _pct(r["share"]),
            r["accounts_created"],
            r["apps_installed"],
            r["payment_accounts"],
        ]
        for r in data["communes"]
    ]
    headline = data["headline"]
    totals = [
        None,
        _("Toàn tỉnh"),
        data["teams"],
        data["members"],
        data["households"],
        data["reached"],
        _pct(data["reached_share"]),
        headline["accounts_created"],
        headline["apps_installed"],
        headline["payment_accounts"],
    ]
    _sheet(
        ws,
        title=_("BÁO CÁO TIẾN ĐỘ CHUYỂN ĐỔI SỐ CỘNG ĐỒNG"),
        data=data,
        headers=[
            _("Hạng"),
            _("Xã, phường"),
            _("Số tổ"),
            _("Thành viên"),
            _("Số hộ"),
            _("Hộ được tiếp cận"),
            _("Tỷ lệ"),
            _("Tài khoản DVC"),
            _("Cài ứng dụng"),
            _("TK thanh toán"),
        ],
        rows=rows,
        totals=totals,
        percent_columns={7},
    )
    return _export_file(wb, data, actor, "province", f"tien-do-cnscd-tinh-{unit.code}-{data['today']:%Y%m%d}.xlsx")
