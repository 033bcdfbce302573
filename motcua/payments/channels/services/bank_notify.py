"""The bank pushes one credit transaction to us as it happens (biến động số dư).

Wire format (JSON, UTF-8), POSTed to `/thanh-toan/kenh/ngan-hang/thong-bao/`:
    {"transactionId": "FT26326...", "accountNumber": "...", "amount": 8000, "creditDebit": "C",
     "description": "MC7K2Q9P Nguyen Van A nop le phi", "transactionDate": "2026-11-22T09:15:00+07:00",
     "payerName": "NGUYEN VAN A"}
signed with HMAC-SHA256 over the raw body, hex, in the `X-Signature` header, with the shared secret
`MOTCUA_BANK_WEBHOOK_SECRET`. Idempotent on `transactionId`: the same transaction pushed again (or
found later in an imported statement) is the same bank-transfer payment, counted once.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError

from ...models import Payment, PaymentMethod
from ...services.apply import payment_record
from .statement_parse import TZ, parse_date

SIGNATURE_HEADER = "X-Signature"


@dataclass(frozen=True)
class Notified:
    payment: Payment | None
    created: bool
    ignored: bool = False  # a debit: not money in


def sign(raw: bytes, secret: str) -> str:
    return hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


def signature_valid(raw: bytes, signature: str, secret: str | None = None) -> bool:
    secret = settings.BANK_WEBHOOK_SECRET if secret is None else secret
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(raw, secret), signature.strip().lower())


def _when(value) -> datetime.datetime | None:
    if not value:
        return None
    text = str(value).strip()
    parsed = parse_datetime(text)
    if parsed is not None:
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=TZ)
    try:
        return parse_date(text)
    except ValueError:
        raise DomainError(_("Thời điểm giao dịch không hợp lệ."), code="bank_notify_invalid", status=400)


def bank_notify_receive(*, raw: bytes, signature: str) -> Notified:
    """Verify and record one pushed credit transaction."""
    if not signature_valid(raw, signature):
        raise DomainError(_("Chữ ký không hợp lệ."), code="signature_invalid", status=401)
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DomainError(_("Nội dung thông báo không phải JSON hợp lệ."), code="bank_notify_invalid", status=400)
    if not isinstance(body, dict):
        raise DomainError(_("Nội dung thông báo không phải JSON hợp lệ."), code="bank_notify_invalid", status=400)
    txn_id = str(body.get("transactionId") or "").strip()
    amount = body.get("amount")
    if not txn_id or len(txn_id) > 64:
        raise DomainError(_("Thiếu mã giao dịch ngân hàng."), code="bank_notify_invalid", status=400)
    if isinstance(amount, str) and amount.strip().isdecimal():  # isdigit() lets "²" through to int()
        amount = int(amount.strip())
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise DomainError(_("Số tiền không hợp lệ."), code="amount_invalid", status=400)
    if str(body.get("creditDebit") or "C").upper() not in ("C", "CREDIT"):
        return Notified(None, False, ignored=True)
    recorded = payment_record(
        method=PaymentMethod.BANK_TRANSFER,
        amount=amount,
        received_at=_when(body.get("transactionDate")),
        external_id=txn_id,
        payer_name=str(body.get("payerName") or "")[:255],
        description=str(body.get("description") or "")[:500],
    )
    return Notified(recorded.payment, recorded.created)
