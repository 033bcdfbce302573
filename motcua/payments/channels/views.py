"""Pages and endpoints of the payment channels: statement upload for cashiers, the gateway's start,
return and IPN, the bank's notification webhook, and the in-site gateway sandbox for demos."""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.core.errors import DomainError, NotFound
from motcua.core.shortcuts import found_or_404

from ..models import LineOutcome
from . import selectors as sel
from .gateway.sandbox import CheckoutError, checkout_open, checkout_page, checkout_result
from .services.bank_notify import SIGNATURE_HEADER, bank_notify_receive
from .services.gateway import gateway_ipn, gateway_return_read, gateway_start
from .services.statements import statement_import

LINES_PER_PAGE = 100
SANDBOX_SALT = "motcua.payments.sandbox"


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "127.0.0.1"


def _money_officer(request):
    try:
        sel.require_money_officer(request.user)
    except DomainError:
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def statements(request):
    _money_officer(request)
    accounts = list(sel.accounts_for(request.user))
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            account = sel.account_get_for(request.user, request.POST.get("account"))
            if upload is None:
                raise DomainError(_("Vui lòng chọn tệp sao kê (CSV hoặc Excel)."), code="file_required")
            statement = statement_import(
                account=account, file_name=upload.name, content=upload.read(), actor=request.user
            )
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _("Đã nhập sao kê %(name)s: %(n)s dòng.") % {"name": statement.file_name, "n": statement.line_count},
            )
            return redirect("payment_channels:statement_detail", pk=statement.pk)
    recent = sel.statements_for(request.user).order_by("-created_at")[:30]
    return render(
        request,
        "payments/channels/statements.html",
        {
            "accounts": accounts,
            "statements": recent,
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_GET
def statement_detail(request, pk: int):
    _money_officer(request)
    statement = found_or_404(sel.statement_get_for, request.user, pk)
    outcome = request.GET.get("ket-qua") or None
    if outcome not in LineOutcome.values:
        outcome = None
    page = Paginator(sel.statement_lines(statement, outcome=outcome), LINES_PER_PAGE).get_page(request.GET.get("trang"))
    summary = [(value, label, statement.summary.get(value, 0)) for value, label in LineOutcome.choices]
    return render(
        request,
        "payments/channels/statement_detail.html",
        {
            "statement": statement,
            "page": page,
            "summary": summary,
            "outcome": outcome,
        },
    )


@login_required
@require_GET
def gateway_start_view(request, reference: str):
    try:
        payment_request = sel.request_for_citizen(request.user, reference)
        started = gateway_start(
            request=payment_request,
            actor=request.user,
            client_ip=_client_ip(request),
            return_url=request.build_absolute_uri(reverse("payment_channels:gateway_return")),
        )
    except NotFound:
        raise Http404
    except DomainError as exc:
        return render(
            request,
            "payments/channels/gateway_return.html",
            {"state": "failed", "message": exc.message},
            status=exc.status,
        )
    return redirect(started.redirect_url)


@require_GET
def gateway_return(request):
    view = gateway_return_read(params=request.GET.dict())
    return render(
        request,
        "payments/channels/gateway_return.html",
        {
            "state": view.state,
            "message": view.message,
            "txn": view.transaction,
        },
        status=400 if view.state == "invalid" else 200,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def gateway_ipn_view(request):
    params = request.GET.dict() if request.method == "GET" else request.POST.dict() or request.GET.dict()
    return JsonResponse(gateway_ipn(params=params))


@csrf_exempt
@require_POST
def bank_notify_view(request):
    try:
        notified = bank_notify_receive(raw=request.body, signature=request.headers.get(SIGNATURE_HEADER, ""))
    except DomainError as exc:
        return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
    payment = notified.payment
    return JsonResponse(
        {
            "code": "ignored" if notified.ignored else ("recorded" if notified.created else "duplicate"),
            "payment_id": payment.pk if payment else None,
            "status": payment.status if payment else None,
        }
    )


# --- In-site sandbox (MOTCUA_PAYMENT_GATEWAY=sandbox): the same pages as motcua.fakes.payment_gateway -----


def _sandbox_only():
    if settings.PAYMENT_GATEWAY != "sandbox":
        raise Http404


@require_GET
def sandbox_pay(request):
    _sandbox_only()
    try:
        order = checkout_open(
            request.GET.dict(), tmn_code=settings.PAYMENT_TMN_CODE, secret=settings.PAYMENT_HASH_SECRET
        )
    except CheckoutError as exc:
        return HttpResponseBadRequest(f"<!doctype html><p>{exc}</p>")
    token = signing.dumps(order, salt=SANDBOX_SALT)
    return HttpResponse(checkout_page(order, action=reverse("payment_channels:sandbox_decide"), token=token))


@csrf_exempt  # stands for another site; the signed token is what it trusts
@require_POST
def sandbox_decide(request):
    _sandbox_only()
    try:
        order = signing.loads(request.POST.get("token", ""), salt=SANDBOX_SALT, max_age=900)
    except signing.BadSignature:
        return HttpResponseBadRequest("<!doctype html><p>Phiên thanh toán đã hết hạn.</p>")
    query = checkout_result(order, pay=request.POST.get("action") == "pay", secret=settings.PAYMENT_HASH_SECRET)
    # The real gateway calls our IPN over the network; in-site we hand it over directly, same signed data.
    gateway_ipn(params=dict(urllib.parse.parse_qsl(query, keep_blank_values=True)))
    return_url = order["vnp_ReturnUrl"]
    return redirect(return_url + ("&" if "?" in return_url else "?") + query)
