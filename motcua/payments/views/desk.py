"""Cash desk pages (thu ngân): requests of the desk's agencies, cash recording, cancelling, over-payment
refunds, and the money that matched no dossier (assign it to a request, or record its refund).

Each POST carries the action it does; every write goes through a service, and a DomainError is
shown on the page as a message (nothing half-saved)."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.fees import amount_text, default_selection
from motcua.core.errors import DomainError, NotFound
from motcua.core.text import format_vnd

from .. import selectors
from ..models import PaymentRequestStatus
from ..services.apply import payment_assign, payment_refund
from ..services.cash import cash_record, cash_slip_new
from ..services.requests import (
    assess,
    dossier_facts,
    fee_items,
    overpayment_refund,
    payment_request_cancel,
    payment_request_create,
)


def desk_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not selectors.user_is_cash_desk(request.user):
            raise Http404
        try:
            return view(request, *args, **kwargs)
        except NotFound:
            raise Http404

    return wrapper


class CashForm(forms.Form):
    amount = forms.IntegerField(label=gettext_lazy("Số tiền nhận (đồng)"), min_value=1)
    payer_name = forms.CharField(label=gettext_lazy("Người nộp"), required=False, max_length=255)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500)
    slip_id = forms.CharField(widget=forms.HiddenInput, max_length=64)


class NoteForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("Cách hoàn trả (số giao dịch, ngày)"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=255)


class AssignForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Mã thanh toán của yêu cầu"), max_length=16)
    note = forms.CharField(label=gettext_lazy("Ghi chú"), required=False, max_length=500)


def _fail(request, form: forms.Form | None = None, error: DomainError | None = None) -> None:
    if error is not None:
        messages.error(request, error.message)
    elif form is not None:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))


@desk_required
def desk_list_view(request):
    status = request.GET.get("status") or ""
    q = request.GET.get("q") or ""
    requests = list(selectors.desk_requests_for(request.user, status=status, q=q)[: selectors.MAX_ROWS])
    context = {
        "requests": requests,
        "status": status,
        "q": q,
        "statuses": [(s, PaymentRequestStatus(s).label) for s in selectors.DESK_STATUSES],
        "waiting": selectors.dossiers_waiting_without_request(request.user),
        "unmatched_count": selectors.unmatched_payments_for(request.user).count(),
    }
    return render(request, "payments/desk/list.html", context)


@desk_required
def desk_request_view(request, reference: str):
    pr = selectors.desk_request_get(request.user, reference)
    cash_form = CashForm(initial={"amount": pr.amount_outstanding or None, "slip_id": cash_slip_new(),
                                  "payer_name": pr.dossier.applicant_name})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "cash":
                cash_form = CashForm(request.POST)
                if not cash_form.is_valid():
                    _fail(request, cash_form)
                    return render(request, "payments/desk/request.html", _request_context(pr, cash_form))
                data = cash_form.cleaned_data
                recorded = cash_record(request=pr, actor=request.user, amount=data["amount"], slip_id=data["slip_id"],
                                       payer_name=data["payer_name"], note=data["note"])
                if recorded.created:
                    messages.success(request, _("Đã ghi nhận %(amount)s tiền mặt.")
                                     % {"amount": format_vnd(recorded.payment.amount)})
                else:
                    messages.info(request, _("Phiếu thu này đã được ghi nhận trước đó; không ghi thêm."))
            elif action in ("cancel", "refund_excess"):
                form = ReasonForm(request.POST) if action == "cancel" else NoteForm(request.POST)
                if not form.is_valid():
                    _fail(request, form)
                elif action == "cancel":
                    payment_request_cancel(request=pr, actor=request.user, reason=form.cleaned_data["reason"])
                    messages.success(request, _("Đã hủy yêu cầu nộp."))
                else:
                    overpayment_refund(request=pr, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Đã ghi nhận hoàn trả tiền nộp thừa."))
        except DomainError as error:
            _fail(request, error=error)
        return redirect("payments:desk_request", reference=pr.reference)
    return render(request, "payments/desk/request.html", _request_context(pr, cash_form))


def _request_context(pr, cash_form) -> dict:
    return {
        "pr": pr,
        "cash_form": cash_form,
        "payments": selectors.request_payments(pr),
        "live": pr.status in (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID),
        "excess": max(pr.amount_paid - pr.amount_due, 0),
    }


@desk_required
def desk_unmatched_view(request):
    if request.method == "POST":
        payment = selectors.payment_get_for(request.user, request.POST.get("payment"))
        action = request.POST.get("action")
        try:
            if action == "assign":
                form = AssignForm(request.POST)
                if form.is_valid():
                    target = selectors.desk_request_get(request.user, form.cleaned_data["reference"].strip())
                    payment_assign(payment=payment, request=target, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Đã tính khoản tiền vào yêu cầu %(ref)s.") % {"ref": target.reference})
                else:
                    _fail(request, form)
            elif action == "refund":
                form = NoteForm(request.POST)
                if form.is_valid():
                    payment_refund(payment=payment, actor=request.user, note=form.cleaned_data["note"])
                    messages.success(request, _("Đã ghi nhận hoàn trả."))
                else:
                    _fail(request, form)
        except NotFound:
            messages.error(request, _("Không tìm thấy yêu cầu nộp với mã thanh toán này."))
        except DomainError as error:
            _fail(request, error=error)
        return redirect("payments:desk_unmatched")
    context = {
        "payments": list(selectors.unmatched_payments_for(request.user)[: selectors.MAX_ROWS]),
        "overpaid": list(selectors.desk_requests_for(request.user, status=PaymentRequestStatus.OVERPAID)[:50]),
        "assignable": selectors.assignable_requests_for(request.user),
    }
    return render(request, "payments/desk/unmatched.html", context)


@desk_required
def desk_create_view(request, code: str):
    """A dossier already waiting for payment with no request (old data): assess and create one.
    The lines of the default assessment come ticked; a change from them needs a reason."""
    dossier = selectors.desk_dossier_get(request.user, code)
    fees = fee_items(dossier)
    today = timezone.localdate()
    selection = default_selection(fees, dossier_facts(dossier))
    for fee in fees:
        fee["amount_text"] = amount_text(fee, today)
        fee["checked"] = fee["index"] in selection.indexes
    preview = None
    if request.method == "POST":
        choices = []
        for fee in fees:
            i = fee["index"]
            fee["checked"] = bool(request.POST.get(f"use_{i}"))
            if not fee["checked"]:
                continue
            choice = {"index": i, "quantity": request.POST.get(f"quantity_{i}") or 1}
            if request.POST.get(f"exempt_{i}"):
                choice.update(exempt=True, exemption=request.POST.get(f"exemption_{i}", ""))
            if fee["local"] and request.POST.get(f"amount_{i}"):
                choice["amount"] = request.POST.get(f"amount_{i}")
            choices.append(choice)
        try:
            if request.POST.get("action") == "preview":
                preview = assess(dossier=dossier, choices=choices)
            else:
                created = payment_request_create(dossier=dossier, actor=request.user, items=choices,
                                                 note=request.POST.get("note", ""),
                                                 reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã tạo yêu cầu nộp %(ref)s.") % {"ref": created.reference})
                return redirect("payments:desk_request", reference=created.reference)
        except DomainError as error:
            _fail(request, error=error)
    return render(request, "payments/desk/create.html", {"dossier": dossier, "fees": fees, "preview": preview})
