"""The e-receipt as a PDF (WeasyPrint, Noto Sans), with the amount in Vietnamese words and a QR code
that opens the public verification page."""

from __future__ import annotations

import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.core.text import display_name
from motcua.dossiers.forms_pdf.render import agency_header, render_pdf

from ..models import PaymentMethod
from .selectors import agency_collection_account
from .words import amount_in_words, format_amount

# Same reading conditions as the dossier receipt's QR: a phone camera on paper, or the PNG in the PDF.
QR_SCALE = 6
QR_BORDER = 4


def verify_url(receipt) -> str:
    return settings.PUBLIC_BASE_URL + reverse("receipts:verify", args=[receipt.verify_token])


def receipt_qr_png(receipt) -> bytes:
    out = io.BytesIO()
    segno.make_qr(verify_url(receipt), error="m", boost_error=False).save(
        out, kind="png", scale=QR_SCALE, border=QR_BORDER
    )
    return out.getvalue()


def receipt_qr_data_uri(receipt) -> str:
    return segno.make_qr(verify_url(receipt), error="m", boost_error=False).png_data_uri(
        scale=QR_SCALE, border=QR_BORDER
    )


# How a receipt names the gateway that collected the money (`GatewayTransaction.provider`).
GATEWAY_NAMES = {"vnpay": "VNPAY", "sandbox": _lazy("cổng thanh toán thử nghiệm")}


def collector_text(receipt) -> str:
    """Who collected the money, for the "Người thu tiền" box: the cashier's name for cash; for money
    that came in by itself, how it came (bank transfer into the unit's account, payment gateway)."""
    payment = receipt.payment
    if receipt.method == PaymentMethod.BANK_TRANSFER:
        line = payment.statement_line if payment.statement_line_id else None
        account = line.statement.account if line is not None and line.statement.account_id else None
        account = account or agency_collection_account(receipt.series.agency_id)
        if account is None:
            return _("Thu qua chuyển khoản ngân hàng")
        return _("Thu qua chuyển khoản ngân hàng %(bank)s, tài khoản %(number)s") % {
            "bank": account.bank_name,
            "number": account.account_number,
        }
    if receipt.method == PaymentMethod.GATEWAY:
        provider = payment.gateway_transaction.provider if payment.gateway_transaction_id else ""
        name = GATEWAY_NAMES.get(provider, provider)
        return _("Thu qua cổng thanh toán %(name)s") % {"name": name} if name else _("Thu qua cổng thanh toán")
    if receipt.issued_by_id:
        return display_name(receipt.issued_by)
    return ""


def receipt_context(receipt) -> dict:
    agency = receipt.series.agency
    local = timezone.localtime(receipt.issued_at)

    return {
        "receipt": receipt,
        "series": receipt.series,
        "header": agency_header(agency),
        "agency": agency,
        "number": f"{receipt.number:07d}",
        "issued_day": _("Ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": local.day, "m": local.month, "y": local.year},
        "items": [{**item, "amount_text": format_amount(int(item.get("amount") or 0))} for item in receipt.items],
        "amount_text": format_amount(receipt.amount),
        "amount_words": amount_in_words(receipt.amount),
        "method": PaymentMethod(receipt.method).label if receipt.method in PaymentMethod.values else receipt.method,
        "dossier_code": receipt.dossier.code if receipt.dossier_id else "",
        "replaces": receipt.replaces,
        "issuer": display_name(receipt.issued_by) if receipt.issued_by_id else "",
        "collector": collector_text(receipt),
        "tax_code": receipt.collector_tax_code,
        "qr": receipt_qr_data_uri(receipt),
        "verify_url": verify_url(receipt),
    }


def receipt_pdf(receipt) -> bytes:
    """A5 portrait: the size fee-collecting bodies print receipts on."""
    return render_pdf("payments/receipts/pdf.html", receipt_context(receipt))
