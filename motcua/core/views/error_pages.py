"""The error pages: 400, 403, 404 and 500 (the handlers named in motcua/urls.py)."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.middleware import machine_surface, refusal_response


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
