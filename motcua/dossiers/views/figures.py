"""The managers' statistics page (`dossiers:stats`) and its Excel download (`dossiers:stats_xlsx`).

Figures come from `selectors.figures` (scope checked there); every figure links to the officer list
filtered to the dossiers behind it (`dossiers:queue` with `measure`, `from`, `to` and `agency`, `unit`
or `channel`), which enforces the same scope again.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from motcua.core import charts
from motcua.core.decorators import officer_required as _officer_required
from motcua.core.errors import DomainError
from motcua.dossiers.selectors import figures as selectors_figures
from motcua.dossiers.selectors import stats as selectors_stats
from motcua.dossiers.selectors.measures import MEASURE_LABELS, MEASURES

SORT_LABELS = {
    "on_time_rate": gettext_lazy("Tỷ lệ đúng hạn"),
    "overdue": gettext_lazy("Số hồ sơ quá hạn"),
    "volume": gettext_lazy("Số hồ sơ tiếp nhận"),
}
PERIOD_LABELS = {
    "year": gettext_lazy("Năm"),
    "quarter": gettext_lazy("Quý"),
    "month": gettext_lazy("Tháng"),
    "custom": gettext_lazy("Tùy chọn"),
}
_PERIOD_KEYS = ("period", "year", "month", "quarter", "from", "to")


def _drill(measure: str, date_from, date_to, **filters) -> str:
    params = {"tab": "office", "measure": measure, "from": date_from.isoformat(), "to": date_to.isoformat()}
    params.update({key: value for key, value in filters.items() if value not in (None, "")})
    return reverse("dossiers:queue") + "?" + urlencode(params)


def _links(date_from, date_to, **filters) -> dict[str, str]:
    return {measure: _drill(measure, date_from, date_to, **filters) for measure in MEASURES}


def _figures(request) -> tuple[dict, str | None]:
    """The page's figures for the query string; a bad period shows its message over this year's figures."""
    error = None
    try:
        period = selectors_figures.period_from_params(request.GET)
    except DomainError as exc:
        error = exc.message
        period = selectors_figures.period_from_params({})
    data = selectors_figures.figures_for(request.user, period=period, sort=request.GET.get("sort") or "on_time_rate")
    start, end = period.date_from, period.date_to
    data["totals"]["links"] = _links(start, end)
    for row in data["by_agency"]:
        row["links"] = _links(start, end, agency=row["code"])
    for row in data["by_unit"]:
        row["links"] = _links(start, end, unit=row["id"])
    for row in data["channels"]:
        row["link"] = _drill("received", start, end, channel=row["channel"])
    for row in data["trend"]:
        row["links"] = _links(row["month"], row["last_day"])
    return data, error


def _charts(data: dict) -> dict:
    sort = data["sort"]
    key, suffix = {
        "on_time_rate": ("on_time_rate", "%"),
        "overdue": ("in_progress_overdue", ""),
        "volume": ("received", ""),
    }[sort]
    link_key = {"on_time_rate": "finished", "overdue": "in_progress_overdue", "volume": "received"}[sort]
    ranked = data["by_agency"][: selectors_figures.CHART_ROWS]
    description = _("Xếp hạng %(n)d cơ quan theo %(what)s, %(period)s.") % {
        "n": len(ranked),
        "what": str(SORT_LABELS[sort]).lower(),
        "period": data["period"].label,
    }
    trend = data["trend"]
    months = [row["month"].strftime("%m/%y") for row in trend]
    return {
        "ranking": charts.bar_chart(
            [charts.Bar(row["name"], row[key], row["links"][link_key]) for row in ranked],
            title=_("Xếp hạng cơ quan: %(what)s") % {"what": SORT_LABELS[sort]},
            description=description,
            suffix=suffix,
            max_value=100 if sort == "on_time_rate" else None,
        ),
        "communes": charts.bar_chart(
            [charts.Bar(row["name"], row[key], row["links"][link_key]) for row in data["by_unit"]],
            title=_("Xếp hạng địa bàn: %(what)s") % {"what": SORT_LABELS[sort]},
            description=_("Theo xã, phường và cấp tỉnh, %(period)s.") % {"period": data["period"].label},
            suffix=suffix,
            max_value=100 if sort == "on_time_rate" else None,
        ),
        "trend": charts.column_chart(
            months,
            [
                charts.Series(str(MEASURE_LABELS["received"]), [row["received"] for row in trend]),
                charts.Series(str(MEASURE_LABELS["finished"]), [row["finished"] for row in trend]),
            ],
            title=_("Hồ sơ tiếp nhận và đã giải quyết trong 12 tháng"),
            description=_("Từ tháng %(first)s đến tháng %(last)s.")
            % {"first": trend[0]["label"], "last": trend[-1]["label"]}
            if trend
            else "",
        ),
        "trend_rate": charts.column_chart(
            months,
            [charts.Series(_("Tỷ lệ đúng hạn"), [row["on_time_rate"] for row in trend])],
            title=_("Tỷ lệ giải quyết đúng hạn trong 12 tháng"),
            description=_("Phần trăm hồ sơ giải quyết đúng hạn trên số đã giải quyết của từng tháng."),
            suffix="%",
            max_value=100,
        ),
    }


def _query(request, **changes) -> str:
    params = {key: request.GET[key] for key in _PERIOD_KEYS if request.GET.get(key)}
    if request.GET.get("sort"):
        params["sort"] = request.GET["sort"]
    params.update(changes)
    return urlencode(params)


# Not a secret that a statistics page exists: citizens are told no (403) rather than "not found".
@_officer_required(forbidden=True)
def stats_view(request):
    data, error = _figures(request)
    period = data["period"]
    status = 422 if error else 200
    context = {
        "figures": data,
        "period": period,
        "error": error,
        "charts": _charts(data) if data["agency_count"] else {},
        "sorts": [(key, label, "?" + _query(request, sort=key)) for key, label in SORT_LABELS.items()],
        "xlsx_url": reverse("dossiers:stats_xlsx") + "?" + _query(request),
        "query_base": (_query(request) + "&") if _query(request) else "",
        "period_kinds": PERIOD_LABELS.items(),
        "years": sorted(
            {*range(timezone.localdate().year - 5, timezone.localdate().year + 1), period.year}, reverse=True
        ),
        "months": range(1, 13),
        "quarters": range(1, 5),
    }
    code = (request.GET.get("agency") or "").strip()[:32]
    if code and not error:
        # One agency's figures by procedure, under the overview (the ranking's agency names link here).
        try:
            context["agency_stats"] = selectors_stats.office_statistics(
                request.user, agency=code, date_from=period.date_from, date_to=period.date_to
            )
        except DomainError as exc:
            context["error"], status = exc.message, exc.status
    return render(request, "dossiers/stats.html", context, status=status)


# --- Excel ------------------------------------------------------------------------------------------

_COLUMNS = (
    "received",
    "finished",
    "finished_on_time",
    "finished_late",
    "on_time_rate",
    "in_progress",
    "in_progress_on_time",
    "in_progress_overdue",
)


def _headers() -> list[str]:
    labels = {**{key: str(label) for key, label in MEASURE_LABELS.items()}, "on_time_rate": _("Tỷ lệ đúng hạn (%)")}
    return [labels[key] for key in _COLUMNS]


def _table(ws, title: str, first: list[str], rows: list[list]) -> None:
    ws.append([title])
    ws.cell(ws.max_row, 1).font = Font(bold=True, size=13)
    ws.append([*first, *_headers()])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for column in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(column)].width = 40 if column <= len(first) else 14


def _values(row: dict) -> list:
    return [row[key] for key in _COLUMNS]


def figures_workbook(data: dict) -> bytes:
    """The page's figures as an .xlsx: the total with the channels, agencies, communes, twelve months."""
    period = data["period"]
    workbook = Workbook()
    ws = workbook.active
    ws.title = _("Tổng hợp")
    ws.append([_("Thống kê hồ sơ: %(scope)s") % {"scope": data["scope_label"]}])
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.append([period.label, period.date_from, period.date_to])
    ws.cell(2, 2).number_format = ws.cell(2, 3).number_format = "DD/MM/YYYY"
    ws.append([])
    _table(ws, _("Tổng số"), [_("Phạm vi")], [[data["scope_label"], *_values(data["totals"])]])
    ws.append([])
    ws.append([_("Hình thức nộp"), str(MEASURE_LABELS["received"])])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in data["channels"]:
        ws.append([row["label"], row["received"]])
    sheet = workbook.create_sheet(_("Theo cơ quan"))
    _table(
        sheet,
        _("Theo cơ quan"),
        [_("Hạng"), _("Mã cơ quan"), _("Cơ quan")],
        [[row["rank"], row["code"], row["name"], *_values(row)] for row in data["by_agency"]],
    )
    sheet = workbook.create_sheet(_("Theo địa bàn"))
    _table(
        sheet,
        _("Theo xã, phường và cấp tỉnh"),
        [_("Hạng"), _("Địa bàn")],
        [[row["rank"], row["name"], *_values(row)] for row in data["by_unit"]],
    )
    sheet = workbook.create_sheet(_("12 tháng"))
    sheet.append(
        [
            _("Tháng"),
            str(MEASURE_LABELS["received"]),
            str(MEASURE_LABELS["finished"]),
            str(MEASURE_LABELS["finished_on_time"]),
            str(MEASURE_LABELS["finished_late"]),
            _("Tỷ lệ đúng hạn (%)"),
        ]
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in data["trend"]:
        sheet.append(
            [
                row["label"],
                row["received"],
                row["finished"],
                row["finished_on_time"],
                row["finished_late"],
                row["on_time_rate"],
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@_officer_required(forbidden=True)
def stats_xlsx_view(request):
    data, error = _figures(request)
    if error:
        return render(request, "dossiers/stats.html", {"error": error, "figures": None}, status=422)
    period = data["period"]
    response = HttpResponse(
        figures_workbook(data), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="thong-ke-ho-so-{period.date_from}-{period.date_to}.xlsx"'
    return response


urlpatterns = [
    path("can-bo/thong-ke/", stats_view, name="stats"),
    path("can-bo/thong-ke.xlsx", stats_xlsx_view, name="stats_xlsx"),
]
