from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from motcua.core.middleware import machine_surface, refusal_response


def home(request):
    from motcua.catalog.selectors import catalog_pages, field_list_with_counts

    # A function of the catalog alone: rendered once per catalog version and process for visitors.
    return catalog_pages().page(
        request, lambda: render(request, "core/home.html", {"fields": field_list_with_counts()})
    )


def page_not_found(request, exception=None):
    if machine_surface(request.path_info):
        # An API or Open311 client parses its own format, whatever path it got wrong.
        return refusal_response(request, 404, "not_found", _("Không tìm thấy dữ liệu yêu cầu."))
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return refusal_response(request, 400, "bad_request", _("Yêu cầu không hợp lệ."))


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


# The last resort when even the 500 template cannot render (a broken static manifest, say).
_PLAIN_500 = (
    '<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Lỗi hệ thống</title></head>'
    "<body><h1>Hệ thống đang gặp sự cố</h1><p>Xin vui lòng thử lại sau ít phút.</p></body></html>"
)


def server_error(request):
    """The error layout reads nothing from the database, so this page shows while it is down."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the page that reports a failure must not fail itself
        return HttpResponseServerError(_PLAIN_500)


_FAVICON = Path(__file__).resolve().parent / "static" / "motcua" / "favicon.ico"


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; pages link the SVG."""
    return HttpResponse(_FAVICON.read_bytes(), content_type="image/x-icon")


@require_GET
def healthz(request):
    """Liveness for the load balancer: the process answers. Touches nothing, so it stays up while the DB is down."""
    return JsonResponse({"status": "ok"})


@require_GET
def readyz(request):
    """Readiness: this worker can reach the database (one `SELECT 1`)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
