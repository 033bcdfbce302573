"""What every payment gateway adapter provides, so MoMo, ZaloPay and others can sit beside VNPAY.

The flow is the same everywhere: we build a signed URL and send the citizen's browser there; the
gateway later calls our server (IPN) with a signed result, and sends the browser back to our
return URL with the same result. Only the verified server-to-server call counts money.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class StartParams:
    txn_ref: str
    amount: int  # đồng
    order_info: str
    return_url: str
    client_ip: str
    created_at: datetime.datetime
    locale: str = "vn"


@dataclass(frozen=True)
class CallbackResult:
    """A gateway's answer about one attempt, after its signature was checked."""

    txn_ref: str
    amount: int  # đồng, as the gateway reports it
    succeeded: bool
    response_code: str
    provider_txn_no: str = ""
    raw: dict = field(default_factory=dict)


class SignatureInvalid(Exception):
    pass


class GatewayProvider(Protocol):
    name: str

    def payment_url(self, params: StartParams) -> str:
        """The URL the citizen's browser is sent to."""

    def parse_callback(self, params: dict[str, str]) -> CallbackResult:
        """Verify and read a callback (IPN or return URL); raise SignatureInvalid when it is not genuine."""

    def ipn_answer(self, code: str) -> dict:
        """The body the gateway expects back from our IPN endpoint for one of our outcome codes."""
