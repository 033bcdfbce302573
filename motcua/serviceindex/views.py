"""Pages of the service index (`/chi-so/`): the leader's view, the agency comparison, the commune
table, the public page, the records behind each figure, the definitions, and CSV/Excel downloads.

Reads go through `selectors` (reach checked there); anyone without a reader role gets a 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core import charts
from motcua.core.errors import DomainError, NotFound
from motcua.core.shortcuts import id_param

from . import selectors, tables
from .measures import MEASURES
from .periods import Period, period_parse

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _period(request) -> tuple[Period, str | None]:
    try:
        return period_parse(request.GET.get("ky")), None
    except DomainError as exc:
        return period_parse(""), exc.message


def _reach(request):
    if not request.user.is_authenticated:
        return None
    try:
        return selectors.reach_for(request.user)
    except NotFound:
        raise Http404


def drill_url(measure: str, side: str, period: Period, **filters) -> str:
    params = {"ky": period.key, **{k: v for k, v in filters.items() if v}}
    return reverse("serviceindex:drill", args=[measure, side]) + "?" + urlencode(params)


def _decorate(card, period: Period, **filters) -> None:
    for item in card.indicators():
        measure = MEASURES.get(item.indicator.measure)
        item.drillable = bool(item.measured and measure is not None)
        # A weighted measure's figures are sums of minutes (allowed, used) over the same dossiers: both
        # link to the dossiers behind them.
        item.unit = _("phút") if item.drillable and measure.weighted else ""
        if item.drillable:
            side = "mau-so" if measure.weighted else "tu-so"
            item.numerator_url = drill_url(item.indicator.measure, side, period, **filters)
            item.denominator_url = drill_url(item.indicator.measure, "mau-so", period, **filters)
            item.missing_url = drill_url(item.indicator.measure, "chua-dat", period, **filters)


def _group_chart(card):
    bars = [
        charts.Bar(
            f"{g.group.name} ({tables.num(g.max_points)})",
            None if g.score is None else float(g.score * 100 / g.max_points),
        )
        for g in card.groups
    ]
    return charts.bar_chart(
        bars, title=_("Điểm các nhóm so với điểm tối đa"),
        description=_("Phần trăm điểm tối đa của từng nhóm đạt được trong kỳ."), suffix="%", max_value=100,
        label_width=220,
    )  # fmt: skip


def _trend_chart(points):
    return charts.column_chart(
        [p.start.strftime("%m/%y") for p, _total in points],
        [charts.Series(_("Tổng điểm"), [None if t is None else float(t) for _p, t in points])],
        title=_("Tổng điểm 12 tháng"), description=_("Tổng điểm chỉ số của từng tháng."), max_value=100,
    )  # fmt: skip


def _card_context(period: Period, agency_ids, lookup: selectors.Lookup, **filters) -> dict:
    seen = selectors.overview(period, agency_ids, lookup=lookup)
    card = seen.card
    _decorate(card, period, **filters)
    return {
        "card": card,
        "group_chart": _group_chart(card),
        "trend_chart": _trend_chart(seen.trend),
        "trend": seen.trend,
        "costliest": card.costliest(5),
        "previous": seen.previous,
        "change": seen.change,
    }


def _export_links(name: str, period: Period) -> dict:
    return {
        fmt: reverse("serviceindex:export", args=[name, fmt]) + "?" + urlencode({"ky": period.key})
        for fmt in ("csv", "xlsx")
    }


def _render(request, template, context, error):
    context["error"] = error
    return render(request, template, context, status=422 if error else 200)


@require_GET
def home_view(request):
    reach = _reach(request)
    if reach is None:
        return redirect_to_login(request.get_full_path())
    period, error = _period(request)
    lookup = selectors.Lookup()
    try:
        context = _card_context(period, reach.agency_ids, lookup)
    except DomainError as exc:
        return _render(request, "serviceindex/home.html", {"reach": reach, "period": period}, exc.message)
    context.update(
        reach=reach, period=period, commune_rank=selectors.commune_rank(period, reach, lookup=lookup),
        exports=_export_links("tong-hop", period),
    )  # fmt: skip
    return _render(request, "serviceindex/home.html", context, error)


def _table_view(request, *, by: str, template: str, export: str):
    reach = _reach(request)
    if reach is None:
        return redirect_to_login(request.get_full_path())
    period, error = _period(request)
    try:
        rows = selectors.table(period, by=by, agency_ids=reach.agency_ids)
    except DomainError as exc:
        return _render(request, template, {"reach": reach, "period": period, "rows": []}, exc.message)
    key = "co_quan" if by == "agency" else "dia_ban"
    for row in rows:
        row.url = reverse("serviceindex:home_of", args=[by, row.key]) + "?" + urlencode({"ky": period.key})
        row.filter = {key: row.key}
    chart = charts.bar_chart(
        [charts.Bar(r.name, None if r.total is None else float(r.total), r.url) for r in rows[:30]],
        title=_("Xếp hạng theo tổng điểm"), description=period.label, max_value=100, label_width=200,
    )  # fmt: skip
    context = {"reach": reach, "period": period, "rows": rows, "chart": chart, "exports": _export_links(export, period)}
    return _render(request, template, context, error)


@require_GET
def agencies_view(request):
    return _table_view(request, by="agency", template="serviceindex/agencies.html", export="co-quan")


@require_GET
def communes_view(request):
    return _table_view(request, by="unit", template="serviceindex/communes.html", export="xa-phuong")


@require_GET
def home_of_view(request, by: str, key: int):
    """One agency's or commune's card (a row of the comparison opened), within the reader's reach."""
    reach = _reach(request)
    if reach is None:
        return redirect_to_login(request.get_full_path())
    if by not in ("agency", "unit"):
        raise Http404
    agencies = selectors.reach_agencies(reach)
    agencies = agencies.filter(pk=key) if by == "agency" else agencies.filter(unit_id=key)
    ids = frozenset(agencies.values_list("pk", flat=True))
    if not ids:
        raise Http404
    period, error = _period(request)
    filters = {"co_quan": key} if by == "agency" else {"dia_ban": key}
    try:
        context = _card_context(period, ids, selectors.Lookup(), **filters)
    except DomainError as exc:
        return _render(request, "serviceindex/home.html", {"reach": reach, "period": period}, exc.message)
    label = agencies.first().name if by == "agency" else agencies.first().unit.name
    context.update(reach=selectors.Reach(ids, label), period=period, exports=None)
    return _render(request, "serviceindex/home.html", context, error)


@require_GET
def public_view(request):
    """The province's index for everyone: scores and counts only, no records, no personal data."""
    period, error = _period(request)
    try:
        lookup = selectors.Lookup()
        seen = selectors.overview(period, lookup=lookup)
        card, points = seen.card, seen.trend
        rows = selectors.table(period, by="agency", lookup=lookup)
    except DomainError as exc:
        return _render(request, "serviceindex/public.html", {"period": period}, exc.message)
    context = {
        "period": period, "card": card, "group_chart": _group_chart(card), "trend_chart": _trend_chart(points),
        "rows": rows, "exports": _export_links("cong-khai", period),
    }  # fmt: skip
    return _render(request, "serviceindex/public.html", context, error)


SIDE_LABELS = {"tu-so": _("Tử số"), "mau-so": _("Mẫu số"), "chua-dat": _("Chưa đạt (mẫu số trừ tử số)")}


@require_GET
def drill_view(request, measure: str, side: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    period, error = _period(request)
    if error:
        return _render(request, "serviceindex/drill.html", {"period": period, "page": None}, error)
    try:
        kind, rows = selectors.drill_records(
            request.user, measure=measure, period=period, side=side,
            agency_id=id_param(request.GET.get("co_quan")), unit_id=id_param(request.GET.get("dia_ban")),
        )  # fmt: skip
    except NotFound:
        raise Http404
    if request.GET.get("dinh_dang") in ("csv", "xlsx"):
        header, data = drill_table(kind, rows)
        return _download(request.GET["dinh_dang"], f"chi-so-{measure}-{side}-{period.key}", header, data)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {
        "period": period, "measure": MEASURES[measure], "side": SIDE_LABELS[side], "kind": kind, "page": page,
        "query": query.urlencode(), "csv": request.get_full_path() + "&dinh_dang=csv",
        "xlsx": request.get_full_path() + "&dinh_dang=xlsx",
    }  # fmt: skip
    return _render(request, "serviceindex/drill.html", context, None)


def drill_table(kind: str, rows) -> tuple[list[str], list[list]]:
    rows = rows[:50_000]
    if kind == "dossier":
        header = [
            _("Mã hồ sơ"),
            _("Thủ tục"),
            _("Cơ quan tiếp nhận"),
            _("Trạng thái"),
            _("Tiếp nhận"),
            _("Giải quyết xong"),
        ]
        return header, [
            [d.code, d.procedure.name, d.receiving_agency.name, d.get_status_display(),
             d.received_at and d.received_at.isoformat(), d.resolved_at and d.resolved_at.isoformat()]
            for d in rows
        ]  # fmt: skip
    if kind == "report":
        header = [_("Mã phản ánh"), _("Tiêu đề"), _("Cơ quan xử lý"), _("Hạn xử lý"), _("Trả lời lúc")]
        return header, [
            [r.code, r.title, r.agency.name, r.due_at.isoformat(), r.answered_at and r.answered_at.isoformat()]
            for r in rows
        ]
    if kind == "rating":
        header = [_("Thời điểm"), _("Cơ quan"), _("Thủ tục"), _("Mức độ")]
        return header, [
            [
                r.rated_at.isoformat(),
                r.agency and r.agency.name,
                r.procedure and r.procedure.name,
                r.get_level_display(),
            ]
            for r in rows
        ]
    header = [_("Mã thủ tục"), _("Tên thủ tục"), _("Mức độ trực tuyến")]
    return header, [[p.code, p.name, p.get_online_level_display()] for p in rows]


def _download(fmt: str, name: str, header, rows) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(tables.as_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(tables.as_xlsx(name, header, rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


EXPORTS = ("tong-hop", "co-quan", "xa-phuong", "cong-khai")


@require_GET
def export_view(request, name: str, fmt: str):
    if name not in EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404
    period, error = _period(request)
    if error:
        return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
    if name == "cong-khai":
        agency_ids = None
    else:
        reach = _reach(request)
        if reach is None:
            return redirect_to_login(request.get_full_path())
        agency_ids = reach.agency_ids
    try:
        if name in ("tong-hop", "cong-khai"):
            header, rows = tables.summary_rows(selectors.card_for(period, agency_ids))
            if name == "cong-khai":
                ranking = tables.ranking_rows(selectors.table(period, by="agency"), with_code=True)
                rows = rows + [[]] + [ranking[0]] + ranking[1]
        else:
            by = "agency" if name == "co-quan" else "unit"
            header, rows = tables.ranking_rows(
                selectors.table(period, by=by, agency_ids=agency_ids), with_code=by == "agency"
            )
    except DomainError as exc:
        return HttpResponse(exc.message, status=422, content_type="text/plain; charset=utf-8")
    return _download(fmt, f"chi-so-{name}-{period.key}", header, rows)


@require_GET
def definitions_view(request):
    if _reach(request) is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "serviceindex/definitions.html", {"definitions": selectors.definitions()})


urlpatterns = [
    path("", home_view, name="home"),
    path("co-quan/", agencies_view, name="agencies"),
    path("xa-phuong/", communes_view, name="communes"),
    path("xem/<str:by>/<int:key>/", home_of_view, name="home_of"),
    path("cong-khai/", public_view, name="public"),
    path("chi-tiet/<str:measure>/<str:side>/", drill_view, name="drill"),
    path("bo-chi-so/", definitions_view, name="definitions"),
    path("xuat/<str:name>.<str:fmt>", export_view, name="export"),
]
