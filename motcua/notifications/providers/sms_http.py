"""Brandname SMS gateway adapter, in the JSON style Vietnamese gateways use.

Request:  {"ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType", "IsUnicode", "RequestId"}
Answer:   {"CodeResult": "100", "SMSID": "...", "ErrorMessage": ""}

Our `dedupe_key` travels as RequestId: a resend after a crash carries the same RequestId and the
gateway answers with the SMS it already accepted instead of texting the citizen twice.
"""

from __future__ import annotations

from django.conf import settings

from motcua.notifications import sms

from .base import Provider, SendResult, answer_details, post_checked, result_by_code

ACCEPTED = {"100"}
# The gateway already holds this RequestId: it is the same SMS, not a new one.
DUPLICATE = {"124"}
# Worth trying again later: gateway busy or unknown error, balance exhausted, throttled.
TEMPORARY = {"99", "103", "105", "429"}
# Our own configuration is wrong: no point in retrying until someone fixes it.
TECHNICAL = {"101", "102"}
# Everything else (invalid number 118, unregistered brandname 104, template mismatch 146, ...)
# will never succeed for this message and is permanent.


class HttpSmsProvider(Provider):
    name = "sms_http"
    channel = "sms"

    def __init__(
        self,
        *,
        url: str | None = None,
        api_key: str | None = None,
        secret_key: str | None = None,
        brandname: str | None = None,
        timeout: float | None = None,
    ):
        self.url = url or settings.SMS_GATEWAY_URL
        self.api_key = settings.SMS_API_KEY if api_key is None else api_key
        self.secret_key = settings.SMS_SECRET_KEY if secret_key is None else secret_key
        self.brandname = brandname or settings.SMS_BRANDNAME
        self.timeout = timeout or settings.NOTIFY_HTTP_TIMEOUT

    def payload(self, message) -> dict:
        return {
            "ApiKey": self.api_key,
            "SecretKey": self.secret_key,
            "Phone": message.recipient,
            "Content": message.body,
            "Brandname": self.brandname,
            "SmsType": settings.SMS_TYPE,
            "IsUnicode": "0" if sms.is_gsm7(message.body) else "1",
            "RequestId": message.dedupe_key,
        }

    def send(self, message) -> SendResult:
        answer, failure = post_checked(
            self.url,
            self.payload(message),
            service="Cổng SMS",
            unreachable="Không kết nối được cổng SMS",
            timeout=self.timeout,
        )
        if failure is not None:
            return failure
        body = answer.body or {}
        details = answer_details(answer)
        if not body or "CodeResult" not in body:
            return SendResult.technical(f"Cổng SMS trả lời không đúng định dạng (HTTP {answer.status}).", **details)
        code = str(body.get("CodeResult"))
        reason = f"{code}: {body.get('ErrorMessage') or ''}".strip()
        if code in ACCEPTED or (code in DUPLICATE and body.get("SMSID")):
            return SendResult.accepted(str(body.get("SMSID") or ""), **details)
        return result_by_code(code, reason, details, temporary=TEMPORARY, technical=TECHNICAL)
