"""Pages: sign-in with the national electronic identity (VNeID via the national portal's SSO)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from motcua.core.errors import DomainError
from motcua.core.services import national_signin as services


def _safe(request, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


@never_cache
def national_login_start(request):
    if not services.national_signin_enabled():
        raise Http404
    redirect_uri = request.build_absolute_uri(reverse("core:national_login_callback"))
    try:
        return services.national_signin_start(
            request=request, redirect_uri=redirect_uri, next_url=_safe(request, request.GET.get("next"))
        )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:login")


@never_cache
def national_login_callback(request):
    if not services.national_signin_enabled():
        raise Http404
    next_url = _safe(request, request.session.pop(services.NEXT_KEY, None))
    try:
        services.national_signin_complete(request=request)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:login")
    return redirect(next_url or "core:home")
