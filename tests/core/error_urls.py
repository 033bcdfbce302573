"""The project's URLs plus three views that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from motcua.urls import handler400, handler403, handler404, handler500
from motcua.urls import urlpatterns as project_urls

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("test")


def _broken(request):
    raise RuntimeError("test")


urlpatterns = [
    path("_test/cam/", _forbidden),
    path("_test/hong/", _bad),
    path("_test/loi/", _broken),
    *project_urls,
]
