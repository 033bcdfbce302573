"""Paying a request through the payment gateway: start an attempt, take the gateway's callbacks.

Each attempt is a `GatewayTransaction` (our `txn_ref`, the amount outstanding when it started).
Only the verified server-to-server IPN counts money, through `payment_record` with the attempt's
`txn_ref` as external id, so a repeated IPN is answered "already confirmed" and never counts twice.
Callbacks may come twice or out of order; the transition table below is the whole policy:

    created   --success--> succeeded (money counted)
    created   --failure--> failed
    failed    --success--> succeeded (money counted: the citizen retried on the gateway's page)
    failed    --failure--> failed
    succeeded --anything-> succeeded (answered "02"; a late failure never undoes a payment)

The browser's return URL only reads: it shows the attempt's state, or "waiting for confirmation"
while the IPN has not arrived.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.models import User
from motcua.core.transitions import audit_record

from ...models import GatewayTransaction, PaymentMethod, PaymentRequest
from ...services.apply import LIVE, payment_record
from ..gateway import CallbackResult, SignatureInvalid, StartParams, provider_get

State = GatewayTransaction.State
# (state now, callback succeeded) -> state after
TRANSITIONS: dict[tuple[str, bool], str] = {
    (State.CREATED, True): State.SUCCEEDED,
    (State.CREATED, False): State.FAILED,
    (State.FAILED, True): State.SUCCEEDED,
    (State.FAILED, False): State.FAILED,
}


@dataclass(frozen=True)
class Started:
    transaction: GatewayTransaction
    redirect_url: str


def gateway_start(
    *, request: PaymentRequest, actor: User | None, return_url: str, client_ip: str = "", provider: str | None = None
) -> Started:
    """A new attempt to pay what `request` still owes; the caller sends the browser to `redirect_url`."""
    gateway = provider_get(provider)
    with transaction.atomic():
        locked = PaymentRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status not in LIVE or locked.amount_outstanding <= 0:
            raise DomainError(
                _("Yêu cầu nộp %(ref)s không còn chờ nộp.") % {"ref": locked.reference},
                code="payment_request_closed",
                status=409,
            )
        now = timezone.now()
        txn = GatewayTransaction.objects.create(
            request=locked,
            provider=gateway.name,
            amount=locked.amount_outstanding,
            # Unique per attempt; VNPAY allows letters, digits and "-" here.
            txn_ref=f"{locked.reference}-{timezone.localtime(now):%y%m%d%H%M%S}-{secrets.token_hex(3)}".upper(),
            created_by=actor if actor and actor.pk else None,
        )
        audit_record(
            actor=txn.created_by,
            action="gateway.start",
            object_type="gateway_transaction",
            object_id=str(txn.pk),
            data={"request": locked.reference, "amount": txn.amount, "provider": gateway.name},
        )
    url = gateway.payment_url(
        StartParams(
            txn_ref=txn.txn_ref,
            amount=txn.amount,
            order_info=f"Nop phi ho so {locked.reference}",
            return_url=return_url,
            client_ip=client_ip,
            created_at=timezone.localtime(now),
        )
    )
    return Started(txn, url)


def gateway_ipn(*, params: dict[str, str], provider: str | None = None) -> dict:
    """Handle the gateway's server-to-server callback; returns the body the gateway expects."""
    gateway = provider_get(provider)
    try:
        result = gateway.parse_callback(params)
    except SignatureInvalid:
        return gateway.ipn_answer("97")
    with transaction.atomic():
        txn = GatewayTransaction.objects.select_for_update().filter(txn_ref=result.txn_ref).first()
        if txn is None:
            return gateway.ipn_answer("01")
        if result.amount != txn.amount:
            _note_callback(txn, result, fields=[])
            return gateway.ipn_answer("04")
        if txn.state == State.SUCCEEDED:
            _note_callback(txn, result, fields=[])
            return gateway.ipn_answer("02")
        txn.state = TRANSITIONS[(txn.state, result.succeeded)]
        txn.response_code = result.response_code
        txn.provider_txn_no = result.provider_txn_no or txn.provider_txn_no
        txn.completed_at = timezone.now()
        _note_callback(txn, result, fields=["state", "response_code", "provider_txn_no", "completed_at"])
        if txn.state == State.SUCCEEDED:
            # Whatever the request's state now (paid meanwhile at the desk, cancelled), the money is kept:
            # payment_record files it as unmatched for the cashier rather than refusing it.
            payment_record(
                method=PaymentMethod.GATEWAY,
                amount=txn.amount,
                external_id=txn.txn_ref,
                request=txn.request,
                description=f"{txn.provider} {result.provider_txn_no} {txn.request.reference}",
                gateway_transaction=txn,
            )
        audit_record(
            actor=None,
            action="gateway.callback",
            object_type="gateway_transaction",
            object_id=str(txn.pk),
            data={"state": txn.state, "code": result.response_code},
        )
    return gateway.ipn_answer("00")


def _note_callback(txn: GatewayTransaction, result: CallbackResult, *, fields: list[str]) -> None:
    txn.callback_count += 1
    txn.last_callback = result.raw
    txn.save(update_fields=[*fields, "callback_count", "last_callback", "updated_at"])


@dataclass(frozen=True)
class ReturnView:
    transaction: GatewayTransaction | None
    state: str  # "succeeded" | "failed" | "pending" | "invalid"
    message: str


def gateway_return_read(*, params: dict[str, str], provider: str | None = None) -> ReturnView:
    """What to show the citizen coming back from the gateway. Changes nothing."""
    gateway = provider_get(provider)
    try:
        result = gateway.parse_callback(params)
    except SignatureInvalid:
        return ReturnView(None, "invalid", _("Kết quả thanh toán không hợp lệ (sai chữ ký)."))
    txn = GatewayTransaction.objects.select_related("request__dossier").filter(txn_ref=result.txn_ref).first()
    if txn is None:
        return ReturnView(None, "invalid", _("Không tìm thấy giao dịch thanh toán."))
    if txn.state == State.SUCCEEDED:
        return ReturnView(txn, "succeeded", _("Thanh toán thành công. Biên lai điện tử sẽ được gửi cho ông/bà."))
    if not result.succeeded:
        return ReturnView(txn, "failed", _("Thanh toán không thành công hoặc đã bị hủy."))
    return ReturnView(txn, "pending", _("Giao dịch đang chờ xác nhận từ cổng thanh toán."))
