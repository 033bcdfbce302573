"""The e-receipt as a PDF (WeasyPrint, Noto Sans), with the amount in Vietnamese words and a QR code
that opens the public verification page."""

from __future__ import annotations

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from motcua.core.text import format_vnd
from motcua.dossiers.forms_pdf.render import agency_header, render_pdf

# Same reading conditions as the dossier receipt's QR: a phone camera on paper, or the PNG in the PDF.
QR_SCALE = 6
QR_BORDER = 4

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")


def _group_words(number: int, *, full: bool) -> list[str]:
    """Words for 0 < number < 1000. `full`: a group after a higher one reads its hundreds and "linh"
    even when zero ("một nghìn không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion(number: int, *, leading: bool) -> list[str]:
    words: list[str] = []
    for scale, unit in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        group = number // scale % 1000
        if not group:
            continue
        words += _group_words(group, full=bool(words) or not leading)
        if unit:
            words.append(unit)
    return words


def _number_words(number: int, *, leading: bool = True) -> list[str]:
    if number >= 1_000_000_000:
        billions, rest = divmod(number, 1_000_000_000)
        words = [*_number_words(billions, leading=leading), "tỷ"]
        if rest:
            words += _below_billion(rest, leading=False)
        return words
    return _below_billion(number, leading=leading)


def amount_in_words(amount: int) -> str:
    """150000 -> "Một trăm năm mươi nghìn đồng" (the wording on Vietnamese receipts and invoices)."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise ValueError("amount must be a non-negative integer of đồng")
    words = _number_words(amount) if amount else ["không"]
    text = " ".join([*words, "đồng"])
    return text[0].upper() + text[1:]


def format_amount(amount: int) -> str:
    """150000 -> "150.000 đ": the one money format (`core.text.format_vnd`)."""
    return format_vnd(amount)


def verify_url(receipt) -> str:
    return settings.PUBLIC_BASE_URL + reverse("receipts:verify", args=[receipt.verify_token])


def receipt_qr_png(receipt) -> bytes:
    import io

    out = io.BytesIO()
    segno.make_qr(verify_url(receipt), error="m", boost_error=False).save(
        out, kind="png", scale=QR_SCALE, border=QR_BORDER
    )
    return out.getvalue()


def receipt_qr_data_uri(receipt) -> str:
    return segno.make_qr(verify_url(receipt), error="m", boost_error=False).png_data_uri(
        scale=QR_SCALE, border=QR_BORDER
    )


def mask_name(name: str) -> str:
    """ "Trần Thị Mai" -> "T*** T** M**": enough to recognise one's own receipt, not to identify a stranger."""
    return " ".join(word[0] + "*" * max(len(word) - 1, 2) for word in (name or "").split())


# How a receipt names the gateway that collected the money (`GatewayTransaction.provider`).
GATEWAY_NAMES = {"vnpay": "VNPAY", "sandbox": _lazy("cổng thanh toán thử nghiệm")}


def collector_text(receipt) -> str:
    """Who collected the money, for the "Người thu tiền" box: the cashier's name for cash; for money
    that came in by itself, how it came (bank transfer into the unit's account, payment gateway)."""
    from motcua.payments.models import PaymentMethod
    from motcua.payments.services.receipts import agency_collection_account

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
        return receipt.issued_by.get_full_name() or receipt.issued_by.username
    return ""


def receipt_context(receipt) -> dict:
    agency = receipt.series.agency
    local = timezone.localtime(receipt.issued_at)
    from motcua.payments.models import PaymentMethod

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
        "issuer": (receipt.issued_by.get_full_name() or receipt.issued_by.username) if receipt.issued_by_id else "",
        "collector": collector_text(receipt),
        "tax_code": receipt.collector_tax_code,
        "qr": receipt_qr_data_uri(receipt),
        "verify_url": verify_url(receipt),
    }


def receipt_pdf(receipt) -> bytes:
    """A5 portrait: the size fee-collecting bodies print receipts on."""
    return render_pdf("payments/receipts/pdf.html", receipt_context(receipt))
