"""The in-site payment gateway sandbox (MOTCUA_PAYMENT_GATEWAY=sandbox) speaking VNPAY 2.1.0.

Checks a payment request as the gateway would, shows its payment page, and signs the result.
The pages Django shows under /thanh-toan/kenh/sandbox/ use it (the IPN is delivered in-process),
and so does the stand-alone sandbox server `motcua.fakes.payment_gateway`.
"""

from __future__ import annotations

import datetime
import html
import itertools
from zoneinfo import ZoneInfo

from motcua.core.shortcuts import id_param
from motcua.core.text import format_vnd
from motcua.payments.channels.gateway.vnpay import signed_query, verify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_txn_numbers = itertools.count(14830000)


class CheckoutError(Exception):
    pass


def checkout_open(params: dict[str, str], *, tmn_code: str, secret: str) -> dict[str, str]:
    """Check an incoming payment request as the gateway would; returns its parameters."""
    if not verify(params, secret):
        raise CheckoutError("Sai chữ ký (mã lỗi 70)")
    if tmn_code and params.get("vnp_TmnCode") != tmn_code:
        raise CheckoutError("Website này chưa được phê duyệt (mã lỗi 02)")
    amount = str(params.get("vnp_Amount") or "")
    if (id_param(amount) or 0) <= 0 or not params.get("vnp_TxnRef") or not params.get("vnp_ReturnUrl"):
        raise CheckoutError("Dữ liệu gửi sang không đúng định dạng (mã lỗi 03)")
    return {k: v for k, v in params.items() if k != "vnp_SecureHash"}


def checkout_result(order: dict[str, str], *, pay: bool, secret: str, response_code: str | None = None) -> str:
    """The signed result query string for an attempt: paid ("00") or cancelled ("24")."""
    code = response_code or ("00" if pay else "24")
    result = {
        "vnp_Amount": order["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order.get("vnp_OrderInfo", ""),
        "vnp_PayDate": datetime.datetime.now(TZ).strftime("%Y%m%d%H%M%S"),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": order.get("vnp_TmnCode", ""),
        "vnp_TransactionNo": str(next(_txn_numbers)) if code == "00" else "0",
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": order["vnp_TxnRef"],
    }
    return signed_query(result, secret)


def checkout_page(order: dict[str, str], *, action: str, token: str) -> str:
    amount = int(order["vnp_Amount"]) // 100
    esc = html.escape
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Cổng thanh toán thử nghiệm</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<h1>Cổng thanh toán thử nghiệm</h1>
<p>Đơn vị: <strong>{esc(order.get("vnp_TmnCode", ""))}</strong></p>
<p>Nội dung: {esc(order.get("vnp_OrderInfo", ""))}</p>
<p>Mã giao dịch: <code>{esc(order["vnp_TxnRef"])}</code></p>
<p style="font-size:1.5rem">Số tiền: <strong>{format_vnd(amount)}</strong></p>
<form method="post" action="{esc(action)}">
<input type="hidden" name="token" value="{esc(token)}">
<button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel">Hủy</button>
</form>
<p><small>Môi trường thử nghiệm: không có tiền thật được chuyển.</small></p>
</body></html>"""
