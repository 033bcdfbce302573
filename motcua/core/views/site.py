"""Site-wide endpoints outside any page: the favicon and the health checks."""

from pathlib import Path

from django.db import DatabaseError, connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

_FAVICON = Path(__file__).resolve().parent.parent / "static" / "motcua" / "favicon.ico"


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
