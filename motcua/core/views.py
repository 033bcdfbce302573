from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


def home(request):
    from motcua.catalog.selectors import field_list_with_counts

    return render(request, "core/home.html", {"fields": field_list_with_counts()})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


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
