"""Public pages: the map, the list with filters, one report's public page, statistics.

Only public reports (reviewed, not hidden, not merged away) and only public data: the reporter's
name and contact never reach these templates.
"""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path, re_path
from django.utils.translation import gettext_lazy as _

from motcua.fieldreports.models import OPEN_STATUSES, ReportEvent, ReportMedia, ReportStatus
from motcua.fieldreports.selectors import stats as selectors_stats
from motcua.fieldreports.selectors.map import public_reports, public_title

from .common import categories_flat, communes, map_center, map_settings, period

PAGE_SIZE = 20
STATUS_FILTERS = [("open", _("Đang mở"))] + [
    (value, label) for value, label in ReportStatus.choices if value != ReportStatus.MERGED
]


def _filters(request) -> dict:
    date_from, date_to = period(request)
    unit = request.GET.get("unit", "").strip()
    return {
        "category": request.GET.get("category", "").strip()[:40],
        "status": request.GET.get("status", "").strip()[:12],
        "unit": int(unit) if unit.isdecimal() else None,
        "date_from": date_from,
        "date_to": date_to,
    }


def _filtered(filters: dict):
    reports = public_reports()
    if filters["category"]:
        reports = reports.filter(Q(category__code=filters["category"]) | Q(category__parent__code=filters["category"]))
    if filters["status"] == "open":
        reports = reports.filter(status__in=OPEN_STATUSES)
    elif filters["status"] == "overdue":
        reports = reports.filter(overdue=True)
    elif filters["status"]:
        reports = reports.filter(status=filters["status"])
    if filters["unit"]:
        reports = reports.filter(unit_id=filters["unit"])
    if filters["date_from"]:
        reports = reports.filter(submitted_at__date__gte=filters["date_from"])
    if filters["date_to"]:
        reports = reports.filter(submitted_at__date__lte=filters["date_to"])
    return reports


def _filter_context(filters: dict) -> dict:
    query = {
        "category": filters["category"],
        "status": filters["status"],
        "unit": filters["unit"] or "",
        "from": filters["date_from"].isoformat() if filters["date_from"] else "",
        "to": filters["date_to"].isoformat() if filters["date_to"] else "",
    }
    return {
        "filters": filters,
        "query": urlencode({k: v for k, v in query.items() if v}),
        "categories": categories_flat(),
        "communes": communes(),
        "status_choices": [*STATUS_FILTERS, ("overdue", _("Quá hạn"))],
    }


def map_view(request):
    filters = _filters(request)
    return render(
        request,
        "fieldreports/public/map.html",
        {**_filter_context(filters), "map": map_settings(), "center": map_center()},
    )


def list_view(request):
    filters = _filters(request)
    reports = _filtered(filters).select_related("category", "unit").order_by("-submitted_at", "-id")
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.public_title = public_title(report.title)
    return render(request, "fieldreports/public/list.html", {**_filter_context(filters), "page": page})


def detail_view(request, code: str):
    report = (
        public_reports()
        .select_related("category", "unit", "agency")
        .prefetch_related(
            Prefetch("media", queryset=ReportMedia.objects.exclude(public_file="")),
            Prefetch("events", queryset=ReportEvent.objects.filter(public=True).order_by("at", "id")),
        )
        .filter(code=code)
        .first()
    )
    if report is None:
        raise Http404
    media = list(report.media.all())
    report.public_title = public_title(report.title)
    context = {
        "report": report,
        "description": report.public_description or report.description,
        "photos": [m for m in media if m.stage == ReportMedia.Stage.REPORT],
        "after_photos": [m for m in media if m.stage == ReportMedia.Stage.AFTER],
        "events": list(report.events.all()),
        "is_open": report.status in OPEN_STATUSES,
        "links": _public_links(report),
        "map": map_settings(),
    }
    return render(request, "fieldreports/public/detail.html", context)


def _public_links(report) -> list:
    codes = public_reports().filter(Q(links_in__from_report=report) | Q(links_out__to_report=report))
    return list(codes.values_list("code", flat=True).distinct()[:20])


def stats_view(request):
    date_from, date_to = period(request, default_days=90)
    stats = selectors_stats.report_statistics(date_from=date_from, date_to=date_to)
    return render(request, "fieldreports/public/stats.html", {"date_from": date_from, "date_to": date_to, **stats})


urlpatterns = [
    path("ban-do/", map_view, name="map"),
    path("danh-sach/", list_view, name="list"),
    path("thong-ke/", stats_view, name="stats"),
    re_path(r"^(?P<code>PA-[0-9A-Za-z-]{4,20})/$", detail_view, name="detail"),
]
