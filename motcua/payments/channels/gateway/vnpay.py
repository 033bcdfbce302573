"""VNPAY payment gateway, protocol version 2.1.0.

Request: `vnp_`-prefixed parameters, sorted by name, each value URL-encoded (spaces as "+"), joined
as `k=v&k=v`; `vnp_SecureHash` is the hex HMAC-SHA512 of that string with the merchant's hash
secret. `vnp_Amount` is in đồng × 100. Callbacks (the browser's return and the server IPN) carry
the result the same way; `vnp_SecureHash`/`vnp_SecureHashType` are left out of the signed string.
Success is `vnp_ResponseCode == "00"` and `vnp_TransactionStatus == "00"`; "24" is a cancelled
payment. The IPN answer is JSON `{"RspCode", "Message"}`.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.parse
from dataclasses import dataclass

from .base import CallbackResult, SignatureInvalid, StartParams

VERSION = "2.1.0"
HASH_FIELDS = ("vnp_SecureHash", "vnp_SecureHashType")
IPN_MESSAGES = {
    "00": "Confirm Success",
    "01": "Order not found",
    "02": "Order already confirmed",
    "04": "Invalid amount",
    "97": "Invalid signature",
    "99": "Unknow error",
}
RESPONSE_TEXT = {
    "00": "Giao dịch thành công",
    "07": "Trừ tiền thành công, giao dịch bị nghi ngờ",
    "09": "Thẻ/Tài khoản chưa đăng ký Internet Banking",
    "11": "Hết hạn chờ thanh toán",
    "24": "Khách hàng hủy giao dịch",
    "51": "Tài khoản không đủ số dư",
    "99": "Lỗi khác",
}


def hash_data(params: dict[str, str]) -> str:
    """The string VNPAY signs: sorted vnp_ parameters, URL-encoded values, without the hash itself."""
    items = sorted((k, str(v)) for k, v in params.items() if k.startswith("vnp_") and k not in HASH_FIELDS)
    return "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in items)


def secure_hash(params: dict[str, str], secret: str) -> str:
    return hmac.new(secret.encode(), hash_data(params).encode(), hashlib.sha512).hexdigest()


def signed_query(params: dict[str, str], secret: str) -> str:
    """Query string with `vnp_SecureHash` appended."""
    return hash_data(params) + "&vnp_SecureHash=" + secure_hash(params, secret)


def verify(params: dict[str, str], secret: str) -> bool:
    given = str(params.get("vnp_SecureHash") or "").lower()
    return bool(secret and given) and hmac.compare_digest(secure_hash(params, secret), given)


@dataclass
class VnpayProvider:
    name: str
    url: str
    tmn_code: str
    hash_secret: str

    def payment_url(self, params: StartParams) -> str:
        query = {
            "vnp_Version": VERSION,
            "vnp_Command": "pay",
            "vnp_TmnCode": self.tmn_code,
            "vnp_Amount": str(params.amount * 100),
            "vnp_CurrCode": "VND",
            "vnp_TxnRef": params.txn_ref,
            "vnp_OrderInfo": params.order_info,
            "vnp_OrderType": "other",
            "vnp_Locale": params.locale,
            "vnp_ReturnUrl": params.return_url,
            "vnp_IpAddr": params.client_ip or "127.0.0.1",
            "vnp_CreateDate": params.created_at.strftime("%Y%m%d%H%M%S"),
        }
        separator = "&" if "?" in self.url else "?"
        return self.url + separator + signed_query(query, self.hash_secret)

    def parse_callback(self, params: dict[str, str]) -> CallbackResult:
        if not verify(params, self.hash_secret):
            raise SignatureInvalid()
        raw_amount = str(params.get("vnp_Amount") or "")
        amount = int(raw_amount) // 100 if raw_amount.isdecimal() and int(raw_amount) % 100 == 0 else -1
        code = str(params.get("vnp_ResponseCode") or "")
        status = str(params.get("vnp_TransactionStatus") or code)
        return CallbackResult(
            txn_ref=str(params.get("vnp_TxnRef") or ""),
            amount=amount,
            succeeded=code == "00" and status == "00",
            response_code=code[:8],
            provider_txn_no=str(params.get("vnp_TransactionNo") or "")[:64],
            raw={k: str(v)[:300] for k, v in params.items()},
        )

    def ipn_answer(self, code: str) -> dict:
        return {"RspCode": code, "Message": IPN_MESSAGES.get(code, IPN_MESSAGES["99"])}
