"""The provider's webhook wire format: signature, timestamp, request fields (docs/switchboard.md).

The provider POSTs JSON `{"call_id", "caller", "digits", "event", "seq"}` with two headers:
`X-Switchboard-Timestamp` (Unix seconds) and `X-Switchboard-Signature: sha256=<hex>`, the
HMAC-SHA256 of `<timestamp>.<raw body>` under the shared secret `MOTCUA_SWITCHBOARD_SECRET`.
Signing the timestamp with the body means neither can be changed alone; a timestamp further than
`SWITCHBOARD_MAX_SKEW_SECONDS` from our clock is stale, and a signature already seen within that
window is a replay. Every refusal is a 403 with its own code, checked before the body is read.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError
from motcua.core.shortcuts import id_param
from motcua.core.throttle import counter_hit

TIMESTAMP_HEADER = "X-Switchboard-Timestamp"
SIGNATURE_HEADER = "X-Switchboard-Signature"
EVENTS = ("start", "digits", "timeout", "hangup")
_CALL_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_CALLER = re.compile(r"\+?[0-9]{3,19}")  # ASCII only: \d would take other scripts' digits
_DIGITS = re.compile(r"[0-9*#]{0,32}")
MAX_SEQ = 1_000_000


@dataclass(frozen=True)
class Request:
    call_id: str
    caller: str
    digits: str
    event: str
    seq: int


def now_seconds() -> float:
    """The clock timestamps are checked against; tests replace it rather than sleep."""
    return time.time()


def sign(secret: str, timestamp: str, raw: bytes) -> str:
    """The header value the provider sends: 'sha256=' + hex HMAC of '<timestamp>.<raw body>'."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return f"sha256={mac}"


def _refuse(code: str, message: str) -> DomainError:
    return DomainError(message, code=code, status=403)


def verify(*, raw: bytes, timestamp: str, signature: str) -> None:
    """Raise 403 unless the request is signed with our secret, fresh, and not seen before.

    Call outside a transaction: the replay mark is an atomic counter (motcua.core.throttle) that must
    stay even when the action that follows fails."""
    secret = settings.SWITCHBOARD_SECRET
    if not secret:
        raise _refuse("switchboard_disabled", _("Tổng đài tự động chưa được cấu hình khóa bí mật."))
    timestamp = (timestamp or "").strip()
    seconds = id_param(timestamp) if len(timestamp) <= 12 else None
    if seconds is None:
        raise _refuse("timestamp_invalid", _("Thiếu hoặc sai thời điểm gửi yêu cầu."))
    skew = settings.SWITCHBOARD_MAX_SKEW_SECONDS
    if abs(now_seconds() - seconds) > skew:
        raise _refuse("timestamp_stale", _("Yêu cầu đã quá hạn hoặc đồng hồ hai bên lệch nhau."))
    given = (signature or "").strip().lower()
    if not given or not hmac.compare_digest(sign(secret, timestamp, raw), given):
        raise _refuse("signature_invalid", _("Chữ ký của yêu cầu không hợp lệ."))
    # Kept for twice the skew: a signature older than that is refused as stale anyway.
    if not counter_hit(f"switchboard-seen:{given[-64:]}", limit=1, window_seconds=2 * skew).allowed:
        raise _refuse("replayed", _("Yêu cầu này đã được nhận trước đó."))


def parse(raw: bytes) -> Request:
    """The request's fields, checked; 422 `invalid_payload` naming the first bad field."""

    def bad(name: str) -> DomainError:
        return DomainError(
            _("Trường “%(field)s” của yêu cầu không hợp lệ.") % {"field": name}, code="invalid_payload", status=422
        )

    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise DomainError(_("Nội dung yêu cầu không phải JSON hợp lệ."), code="invalid_payload", status=422)
    if not isinstance(body, dict):
        raise bad("body")
    values = {}
    for name, pattern in (("call_id", _CALL_ID), ("caller", _CALLER), ("digits", _DIGITS)):
        value = body.get(name, "" if name == "digits" else None)
        if value is None and name == "digits":
            value = ""
        if not isinstance(value, str) or not pattern.fullmatch(value):
            raise bad(name)
        values[name] = value
    event = body.get("event")
    if event not in EVENTS:
        raise bad("event")
    seq = body.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_SEQ:
        raise bad("seq")
    return Request(event=event, seq=seq, **values)
