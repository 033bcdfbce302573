"""The bank's side of balance-change notifications: build and POST one signed credit transaction."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from motcua.payments.channels.services.bank_notify import SIGNATURE_HEADER, sign


def notification_body(
    *,
    transaction_id: str,
    amount: int,
    description: str,
    account_number: str = "",
    transaction_date: str = "",
    payer_name: str = "",
    credit: bool = True,
) -> bytes:
    return json.dumps(
        {
            "transactionId": transaction_id,
            "accountNumber": account_number,
            "amount": amount,
            "creditDebit": "C" if credit else "D",
            "description": description,
            "transactionDate": transaction_date,
            "payerName": payer_name,
        },
        ensure_ascii=False,
    ).encode()


def post_notification(url: str, raw: bytes, secret: str) -> tuple[int, dict | None]:
    request = urllib.request.Request(
        url,
        data=raw,
        method="POST",
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(raw, secret)},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read().decode() or "null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read().decode() or "null")
