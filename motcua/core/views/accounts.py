"""Pages: sign-in (with the TOTP step), sign-out, registration, own account, TOTP set-up."""

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from motcua.core.errors import DomainError
from motcua.core.forms_accounts import LoginForm, RegisterForm, TotpForm, apply_field_errors
from motcua.core.services import accounts as services

_TOTP_SETUP_KEY = "motcua_totp_setup_secret"


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return None


def _after_login(request, outcome: services.LoginOutcome):
    if outcome.totp_enrolment_needed:
        messages.warning(request, _("Tài khoản này phải dùng xác thực hai bước. Hãy cài đặt ngay."))
        return redirect("core:totp_setup")
    # Officers land on their workspace (the portal's `core:workspace`), citizens on the home page;
    # a safe `next` wins for both.
    return redirect(_safe_next(request) or ("core:workspace" if request.user.is_officer else "core:home"))


@sensitive_post_parameters("password")
def login_view(request):
    context = {"next": _safe_next(request) or ""}
    if request.method != "POST":
        return render(request, "core/login.html", {**context, "form": LoginForm()})

    if "totp_code" in request.POST:
        totp_form = TotpForm(request.POST)
        if totp_form.is_valid():
            try:
                outcome = services.login_totp_complete(request=request, totp_code=totp_form.cleaned_data["totp_code"])
            except DomainError as exc:
                if services.login_pending(request):
                    totp_form.add_error(None, exc.message)
                    return render(request, "core/login.html", {**context, "totp_form": totp_form})
                messages.error(request, exc.message)
                return render(request, "core/login.html", {**context, "form": LoginForm()})
            return _after_login(request, outcome)
        return render(request, "core/login.html", {**context, "totp_form": totp_form})

    form = LoginForm(request.POST)
    if form.is_valid():
        try:
            outcome = services.login_attempt(
                request=request, identifier=form.cleaned_data["identifier"], password=form.cleaned_data["password"]
            )
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if outcome.totp_needed:
                return render(request, "core/login.html", {**context, "totp_form": TotpForm()})
            return _after_login(request, outcome)
    return render(request, "core/login.html", {**context, "form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:home")


@sensitive_post_parameters("password", "password_again")
def register_view(request):
    if request.user.is_authenticated:
        return redirect("core:account")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.citizen_register(
                personal_id=data["personal_id"],
                full_name=data["full_name"],
                date_of_birth=data["date_of_birth"],
                sex=data["sex"],
                phone=data["phone"],
                password=data["password"],
                email=data["email"],
                unit=data["unit"],
            )
        except DomainError as exc:
            if not apply_field_errors(form, exc.details):
                form.add_error(None, exc.message)
            if exc.code == "claim_needed":
                return render(
                    request, "core/register.html", {"form": form, "claim_id": exc.details["personal_id"]}, status=409
                )
        else:
            login(request, user, backend="motcua.core.auth.IdentifierBackend")
            messages.success(request, _("Đăng ký tài khoản thành công."))
            return redirect("core:account")
    return render(request, "core/register.html", {"form": form})


@login_required
def account_view(request):
    user = request.user
    roles = user.roles.select_related("agency", "unit") if user.is_officer else []
    return render(
        request,
        "core/account.html",
        {"person": user.person, "roles": roles, "totp_required": services.totp_required_for(user)},
    )


def _qr_svg(data: str) -> str:
    # Inline SVG: sharp at any zoom, no image request, nothing to clean up on disk.
    return segno.make(data, error="m").svg_inline(scale=5, border=4, title=_("Mã QR cài đặt xác thực hai bước"))


@login_required
def totp_setup_view(request):
    user = request.user
    if user.totp_secret:
        return render(request, "core/totp_setup.html", {"enabled": True})
    secret = request.session.get(_TOTP_SETUP_KEY)
    if not secret:
        secret = services.totp_secret_new()
        request.session[_TOTP_SETUP_KEY] = secret
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_totp_enable(user=user, secret=secret, code=form.cleaned_data["totp_code"])
        except DomainError as exc:
            form.add_error("totp_code", exc.message)
        else:
            request.session.pop(_TOTP_SETUP_KEY, None)
            messages.success(request, _("Đã bật xác thực hai bước."))
            return redirect("core:account")
    uri = services.totp_provisioning_uri(user=user, secret=secret)
    return render(
        request,
        "core/totp_setup.html",
        # segno writes the SVG itself and escapes the title; nothing user-typed goes in unescaped.
        {"enabled": False, "form": form, "qr_svg": mark_safe(_qr_svg(uri)), "secret": secret},
    )
