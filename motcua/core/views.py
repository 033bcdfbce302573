from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from motcua.core.middleware import API_PREFIX, refusal_response


def home(request):
    from motcua.catalog.selectors import field_list_with_counts

    return render(request, "core/home.html", {"fields": field_list_with_counts()})


def page_not_found(request, exception=None):
    if request.path_info.startswith(API_PREFIX):
        # An API client parses JSON, whatever the path it got wrong.
        return JsonResponse({"code": "not_found", "message": _("Không tìm thấy dữ liệu yêu cầu.")}, status=404)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    return refusal_response(request, 400, "bad_request", _("Yêu cầu không hợp lệ."))


def server_error(request):
    return render(request, "500.html", status=500)


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
