"""E-receipt pages: the public verification page (no login), the officer's list and detail with
cancel and replace (cashiers), the citizen's receipts of a dossier, and the PDF download.

Thin: selectors check access (404 outside scope), services decide; a refusal comes back as a
message on the page, never a 500.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from motcua.core.decorators import officer_required as _officer_required
from motcua.core.errors import DomainError, NotFound
from motcua.core.selectors import user_is_officer
from motcua.core.shortcuts import found_or_404
from motcua.dossiers import selectors as dossier_selectors

from ..models import ReceiptStatus
from . import selectors
from .services import receipt_cancel, receipt_pdf_ensure, receipt_replace, user_is_cashier_for
from .words import amount_in_words, format_amount

PAGE_SIZE = 50
_textarea = forms.Textarea(attrs={"rows": 2})


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do hủy"), max_length=500, widget=_textarea)


class ReplaceForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Lý do thay thế"), max_length=500, widget=_textarea)
    payer_name = forms.CharField(label=gettext_lazy("Tên người nộp"), max_length=255)
    payer_address = forms.CharField(label=gettext_lazy("Địa chỉ"), max_length=255, required=False)
    payer_personal_id = forms.CharField(label=gettext_lazy("Số định danh cá nhân"), max_length=14, required=False)


def _receipt_or_404(user, pk):
    return found_or_404(selectors.receipt_get_for, user, pk)


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
def verify_view(request, token: str):
    try:
        result = selectors.receipt_verify(token)
    except NotFound:
        return render(request, "payments/receipts/verify.html", {"result": None}, status=404)
    return render(request, "payments/receipts/verify.html", {"result": result})


@_officer_required
@require_GET
def officer_list_view(request):
    today = timezone.localdate()
    date_from = _date(request.GET.get("from")) or today.replace(day=1)
    date_to = max(_date(request.GET.get("to")) or today, date_from)
    status = request.GET.get("status", "")
    status = status if status in ReceiptStatus.values else ""
    receipts = selectors.receipt_list_for(request.user, date_from=date_from, date_to=date_to, status=status)
    total = receipts.filter(status=ReceiptStatus.ISSUED).aggregate(total=Sum("amount"))["total"] or 0
    page = Paginator(receipts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat(), "status": status})
    return render(
        request,
        "payments/receipts/list.html",
        {
            "rows": [(r, f"{r.number:07d}", format_amount(r.amount)) for r in page.object_list],
            "page": page,
            "query": query,
            "date_from": date_from,
            "date_to": date_to,
            "status": status,
            "statuses": ReceiptStatus.choices,
            "total_text": format_amount(total),
        },
    )


def _detail(request, receipt, *, cancel_form=None, replace_form=None, status=200):
    can_manage = receipt.status == ReceiptStatus.ISSUED and user_is_cashier_for(request.user, receipt.series.agency)
    initial = {
        "payer_name": receipt.payer_name,
        "payer_address": receipt.payer_address,
        "payer_personal_id": receipt.payer_personal_id,
    }
    return render(
        request,
        "payments/receipts/detail.html",
        {
            "receipt": receipt,
            "number": f"{receipt.number:07d}",
            "amount_text": format_amount(receipt.amount),
            "amount_words": amount_in_words(receipt.amount),
            "items": [(item.get("name", ""), format_amount(int(item.get("amount") or 0))) for item in receipt.items],
            "replaced_by": getattr(receipt, "replaced_by", None) if receipt.status == ReceiptStatus.REPLACED else None,
            "officer_view": user_is_officer(request.user),
            "can_manage": can_manage,
            "cancel_form": cancel_form or CancelForm(),
            "replace_form": replace_form or ReplaceForm(initial=initial),
        },
        status=status,
    )


@_login_required
@require_GET
def detail_view(request, pk: int):
    return _detail(request, _receipt_or_404(request.user, pk))


@_login_required
@require_GET
def pdf_view(request, pk: int):
    receipt = receipt_pdf_ensure(_receipt_or_404(request.user, pk))
    name = f"bien-lai-{receipt.series.symbol}-{receipt.number:07d}.pdf"
    return FileResponse(receipt.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")


def _cashier_post(request, pk: int, form_class, form_name: str, action):
    """A cashier's form posted from the receipt page: `action(receipt, cleaned_data)` runs on a valid form.

    Returns (page, result): `page` is the receipt page again with the form and its errors (400 for an
    invalid form, the refusal's status when the action refuses), else None and `result` is the action's."""
    receipt = _receipt_or_404(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _detail(request, receipt, status=400, **{form_name: form}), None
    try:
        return None, action(receipt, form.cleaned_data)
    except DomainError as exc:
        form.add_error(None, exc.message)
        return _detail(request, receipt, status=exc.status, **{form_name: form}), None


@_officer_required
@require_POST
def cancel_view(request, pk: int):
    page, cancelled = _cashier_post(
        request,
        pk,
        CancelForm,
        "cancel_form",
        lambda receipt, data: receipt_cancel(receipt=receipt, actor=request.user, reason=data["reason"]),
    )
    if page is not None:
        return page
    messages.success(request, _("Đã hủy biên lai."))
    return redirect("receipts:detail", pk=cancelled.pk)


@_officer_required
@require_POST
def replace_view(request, pk: int):
    page, new = _cashier_post(
        request,
        pk,
        ReplaceForm,
        "replace_form",
        lambda receipt, data: receipt_replace(
            receipt=receipt,
            actor=request.user,
            reason=data["reason"],
            payer_name=data["payer_name"],
            payer_address=data["payer_address"],
            payer_personal_id=data["payer_personal_id"],
        ),
    )
    if page is not None:
        return page
    messages.success(request, _("Đã lập biên lai thay thế số %(number)07d.") % {"number": new.number})
    return redirect("receipts:detail", pk=new.pk)


@_login_required
@require_GET
def dossier_receipts_view(request, code: str):
    """The receipts of one dossier, for its applicant (linked from the dossier page) or an officer."""
    receipts = list(selectors.receipt_list_for(request.user, dossier_code=code))
    if not receipts:
        # Either no receipt yet or not theirs: the same answer, so a typed code reveals nothing.
        found_or_404(dossier_selectors.dossier_get_for, request.user, code)
    return render(
        request,
        "payments/receipts/dossier.html",
        {"code": code, "receipts": [(r, f"{r.number:07d}", format_amount(r.amount)) for r in receipts]},
    )
