"""Open311 GeoReport v2 endpoint (plain views: the specification wants XML as well as JSON).

Every view takes `fmt` ("json" | "xml") from the URL's extension and answers in it, errors too.
"""

import datetime
import functools

from django.db.models import Max
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from motcua.core.errors import DomainError, NotFound, PermissionDenied
from motcua.core.pagecache import PageCache
from motcua.core.selectors.units import unit_get_province
from motcua.core.text import fold
from motcua.fieldreports.models import ReportCategory
from motcua.fieldreports.selectors.stamp import public_reports_stamp

from . import selectors
from .formats import render, render_errors, w3c
from .serializers import request_out, service_definition_out, service_out
from .submit import submit_from_post

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The specification's default query limit: 90 days or 1000 requests, whichever is smaller.
MAX_SPAN = datetime.timedelta(days=90)
MAX_RESULTS = 1000
# Request lists rendered by this process, kept under the stamp of the reports they were chosen from.
_request_lists = PageCache(size=128)


def _province_or_none():
    try:
        return unit_get_province()
    except DomainError:
        return None


def _check_jurisdiction(request) -> None:
    """One endpoint serves one province; a client may still name it (code, name, or our host)."""
    given = (request.GET.get("jurisdiction_id") or request.POST.get("jurisdiction_id") or "").strip()
    if not given:
        return
    province = _province_or_none()
    accepted = {request.get_host().split(":")[0].lower()}
    if province is not None:
        name = fold(province.name)
        accepted |= {province.code, province.code.lstrip("0"), name, name.removeprefix("tinh ").strip()}
    if given.lower() not in accepted and fold(given) not in accepted:
        raise NotFound(_("Không có đơn vị (jurisdiction_id) «%(id)s» trên hệ thống này.") % {"id": given})


def open311_view(*methods: str):
    """Format, jurisdiction, errors in the specification's shape, CORS for reads."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, fmt: str, **kwargs):
            if request.method == "OPTIONS" and "GET" in methods:
                response = HttpResponse(status=204)
                response["Access-Control-Allow-Methods"] = "GET, OPTIONS"
                response["Access-Control-Max-Age"] = "86400"
            elif request.method not in methods:
                response = render_errors(fmt, 405, _("Phương thức không được hỗ trợ tại địa chỉ này."))
                response["Allow"] = ", ".join(methods)
            else:
                try:
                    _check_jurisdiction(request)
                    response = view(request, *args, fmt=fmt, **kwargs)
                except NotFound as exc:
                    response = render_errors(fmt, 404, exc.message)
                except PermissionDenied as exc:
                    response = render_errors(fmt, 403, exc.message)
                except DomainError as exc:
                    response = render_errors(fmt, exc.status if 400 <= exc.status < 500 else 400, exc.message)
            if request.method in ("GET", "OPTIONS"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


@open311_view("GET")
def discovery(request, fmt):
    changed = ReportCategory.objects.aggregate(at=Max("updated_at"))["at"] or datetime.datetime(
        2026, 1, 1, tzinfo=datetime.UTC
    )
    province = _province_or_none()
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt})).rsplit("/", 1)[0]
    data = {
        "changeset": w3c(changed),
        "contact": (_("Cổng dịch vụ công %(name)s") % {"name": province.name if province else ""}).strip(),
        "key_service": _("Cơ quan quản trị hệ thống cấp api_key cho từng ứng dụng; liên hệ để được cấp."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base,
                "changeset": w3c(changed),
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render(data, fmt, root="discovery")


@open311_view("GET")
def services(request, fmt):
    return render([service_out(c) for c in selectors.service_list()], fmt, root="services", item="service")


@open311_view("GET")
def service_definition(request, fmt, service_code):
    category = selectors.service_get(service_code)
    return render(service_definition_out(category), fmt, root="service_definition")


def _csv(request, name: str) -> list[str]:
    # "can be declared multiple times, comma delimited": both ?a=x,y and ?a=x&a=y.
    return [part.strip() for value in request.GET.getlist(name) for part in value.split(",") if part.strip()]


def _w3c_param(request, name: str) -> datetime.datetime | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    # An unencoded "+07:00" arrives as " 07:00".
    raw = raw.replace(" ", "+")
    try:
        value = datetime.datetime.fromisoformat(raw.replace("Z", "+00:00"))
        value = timezone.make_aware(value) if timezone.is_naive(value) else value
        # Years 1 and 9999 parse, but the 90-day window or the UTC conversion would overflow later.
        (value - MAX_SPAN).astimezone(datetime.UTC), (value + MAX_SPAN).astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise DomainError(
            _("%(name)s phải là thời điểm dạng w3c, ví dụ 2026-01-31T00:00:00+07:00.") % {"name": name},
            code="date_invalid",
        ) from None
    return value


def _window(request) -> tuple[datetime.datetime, datetime.datetime]:
    start, end = _w3c_param(request, "start_date"), _w3c_param(request, "end_date")
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - MAX_SPAN
    if end is None:
        end = start + MAX_SPAN
    if end < start:
        raise DomainError(_("end_date phải sau start_date."), code="date_invalid")
    if end - start > MAX_SPAN:
        raise DomainError(_("Khoảng start_date – end_date không được quá 90 ngày."), code="date_span")
    return start, end


def _int_param(request, name: str, default: int, maximum: int) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdecimal() or not 1 <= int(raw) <= maximum:
        raise DomainError(
            _("%(name)s phải là số nguyên từ 1 đến %(max)s.") % {"name": name, "max": maximum}, code="page_invalid"
        )
    return int(raw)


@open311_view("GET", "POST")
def requests_collection(request, fmt):
    if request.method == "POST":
        return submit_from_post(request, fmt)
    codes = _csv(request, "service_request_id")
    start = end = None
    statuses: list[str] = []
    if not codes:
        start, end = _window(request)
        statuses = [s.lower() for s in _csv(request, "status")]
        wrong = [s for s in statuses if s not in ("open", "closed")]
        if wrong:
            raise DomainError(_("status chỉ nhận open hoặc closed."), code="status_invalid")
    # Extension in wide use (wiki: GeoReport v2 Extensions); without it, the first 1000 as the spec says.
    page_size = _int_param(request, "page_size", MAX_RESULTS, MAX_RESULTS)
    page = _int_param(request, "page", 1, 1_000_000)
    filters = {
        "codes": codes,
        "service_codes": _csv(request, "service_code"),
        "start": start,
        "end": end,
        "statuses": statuses,
    }

    def build() -> HttpResponse:
        reports = selectors.request_list(**filters, limit=page_size, offset=(page - 1) * page_size)
        data = [request_out(r, request) for r in reports]
        return render(data, fmt, root="service_requests", item="request")

    # Kept per address (format, parameters, language) under the stamp of the public report data;
    # photo links are absolute, so the host is part of it. The default window (the last 90 days)
    # moves with the clock: the stamp counts the reports inside it.
    stamp = public_reports_stamp(since=start)
    return _request_lists.page(request, build, version=(stamp, request.scheme, request.get_host()))


@open311_view("GET")
def request_detail(request, fmt, service_request_id):
    report = selectors.request_get(service_request_id)
    return render([request_out(report, request)], fmt, root="service_requests", item="request")


@open311_view("GET")
def token_detail(request, fmt, token):
    report = selectors.token_get(token)
    data = [{"service_request_id": report.code, "token": str(report.token)}]
    return render(data, fmt, root="service_requests", item="request")
