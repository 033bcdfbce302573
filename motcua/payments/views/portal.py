"""The citizen's payment page for a dossier: what is owed, the VietQR code to scan, the transfer
details to type by hand, and the button to the payment gateway. Officers who may read the dossier
see the same page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from motcua.core.shortcuts import found_or_404

from .. import selectors
from ..models import PaymentRequestStatus
from ..services.vietqr import collection_account_for, payload_for, payload_for_request, qr_png, qr_svg


def gateway_url(reference: str) -> str | None:
    # None when the channel URLs are not mounted (a URLconf without them, as some tests use).
    try:
        return reverse("payment_channels:gateway_start", kwargs={"reference": reference})
    except NoReverseMatch:
        return None


def _receipts_url(code: str) -> str | None:
    try:
        return reverse("receipts:dossier", kwargs={"code": code})
    except NoReverseMatch:
        return None


@login_required
def pay_view(request, code: str):
    dossier, payment_request = found_or_404(selectors.dossier_payment_for, request.user, code)
    live = payment_request.status in (PaymentRequestStatus.OPEN, PaymentRequestStatus.PARTLY_PAID)
    account = collection_account_for(payment_request)
    payload = payload_for(payment_request, account) if live else None
    context = {
        "dossier": dossier,
        "pr": payment_request,
        "live": live,
        "account": account if live else None,
        "payload": payload,
        # segno's own SVG (no user input in it): inline so the page needs one request on a slow network.
        "qr_svg": mark_safe(qr_svg(payload, scale=5)) if payload else "",
        "gateway_url": gateway_url(payment_request.reference) if live else None,
        "receipts_url": _receipts_url(dossier.code),
        "payments": selectors.request_payments(payment_request),
    }
    return render(request, "payments/pay.html", context)


@login_required
def qr_png_view(request, reference: str):
    payment_request = found_or_404(selectors.request_get_for, request.user, reference)
    payload = payload_for_request(payment_request)
    if payload is None:
        raise Http404
    response = HttpResponse(qr_png(payload), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response
