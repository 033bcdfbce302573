"""The one interface every provider adapter speaks: send(message) -> SendResult."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from enum import StrEnum


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the provider took it; provider_message_id names it there
    TEMPORARY = "temporary"  # try again later with the same client reference
    PERMANENT = "permanent"  # this recipient or content will never work on this channel
    TECHNICAL = "technical"  # our side is wrong (credentials, configuration, unreadable answer)


@dataclass
class SendResult:
    outcome: Outcome
    provider_message_id: str = ""
    reason: str = ""
    http_status: int | None = None
    response: dict = field(default_factory=dict)
    # Channels without receipts (console, inbox) count as delivered when accepted.
    delivered: bool = False
    retry_after: float | None = None

    @classmethod
    def accepted(cls, provider_message_id: str, **kwargs) -> SendResult:
        return cls(Outcome.ACCEPTED, provider_message_id=provider_message_id, **kwargs)

    @classmethod
    def temporary(cls, reason: str, **kwargs) -> SendResult:
        return cls(Outcome.TEMPORARY, reason=reason, **kwargs)

    @classmethod
    def permanent(cls, reason: str, **kwargs) -> SendResult:
        return cls(Outcome.PERMANENT, reason=reason, **kwargs)

    @classmethod
    def technical(cls, reason: str, **kwargs) -> SendResult:
        return cls(Outcome.TECHNICAL, reason=reason, **kwargs)


class Provider:
    name = "base"
    channel = ""

    def send(self, message) -> SendResult:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass
class HttpAnswer:
    status: int
    body: dict | None
    text: str
    headers: dict


class TransportError(Exception):
    """The request may or may not have reached the provider (refused, reset, timed out)."""


def post_json(url: str, payload: dict, *, headers: dict | None = None, timeout: float = 10) -> HttpAnswer:
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json; charset=utf-8", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, raw, answer_headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        status, raw, answer_headers = exc.code, exc.read(), dict(exc.headers or {})
    except (TimeoutError, urllib.error.URLError, ConnectionError, OSError) as exc:
        raise TransportError(str(getattr(exc, "reason", exc))) from exc
    text = raw.decode("utf-8", "replace")
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    return HttpAnswer(status, body if isinstance(body, dict) else None, text[:2000], answer_headers)


def retry_after_seconds(headers: dict) -> float | None:
    value = {k.lower(): v for k, v in headers.items()}.get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def answer_details(answer: HttpAnswer) -> dict:
    """What a SendResult keeps of the provider's answer, for the message's delivery log."""
    return {"http_status": answer.status, "response": answer.body or {"text": answer.text[:500]}}


def busy_or_down(answer: HttpAnswer, service: str) -> SendResult | None:
    """The HTTP-level answers every provider means the same way: throttled (429) or server error."""
    details = answer_details(answer)
    if answer.status == 429:
        return SendResult.temporary(
            f"{service} báo gửi quá nhanh (429).", retry_after=retry_after_seconds(answer.headers), **details
        )
    if answer.status >= 500:
        return SendResult.temporary(f"{service} lỗi máy chủ ({answer.status}).", **details)
    return None


def post_checked(
    url: str, payload: dict, *, service: str, unreachable: str, headers: dict | None = None, timeout: float = 10
) -> tuple[HttpAnswer | None, SendResult | None]:
    """POST to a provider: (answer, None), or (answer or None, the failure) when it was unreachable, busy or down."""
    try:
        answer = post_json(url, payload, headers=headers, timeout=timeout)
    except TransportError as exc:
        return None, SendResult.temporary(f"{unreachable}: {exc}")
    return answer, busy_or_down(answer, service)


def result_by_code(code, reason: str, details: dict, *, temporary, technical) -> SendResult:
    """The provider's refusal code sorted into temporary, technical, or (any other code) permanent."""
    if code in temporary:
        return SendResult.temporary(reason, **details)
    if code in technical:
        return SendResult.technical(reason, **details)
    return SendResult.permanent(reason, **details)
