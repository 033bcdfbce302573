"""Zalo Official Account adapter: ZNS template messages, and consultation replies to a follower.

ZNS: POST {ZALO_API_URL}/message/template, header `access_token`, body
{"phone": "84...", "template_id", "template_data", "tracking_id"}; answer
{"error": 0, "message": "Success", "data": {"msg_id", "sent_time"}}.
The template's ((placeholders)) are sent as template_data; Zalo renders the approved template.
`tracking_id` is our dedupe key, so a receipt or a resend always names the same message.

Consultation ("cs") message, the OA's answer to someone who wrote to it (an outbox row whose
params carry ZALO_KIND = "cs", recipient = the user's id as the OA sees it):
POST {ZALO_OA_API_URL}/message/cs, header `access_token`, body
{"recipient": {"user_id": "..."}, "message": {"text": "..."}}; answer
{"error": 0, "message": "Success", "data": {"message_id", "user_id"}}. This API takes no client
reference, so a row re-sent after a worker died mid-send may reach the user twice.
"""

from __future__ import annotations

from django.conf import settings

from ..templates import placeholders_in
from .base import Provider, SendResult, answer_details, post_checked, result_by_code

# Our reading of Zalo's negative codes. Temporary: rate or quota limits, night-time ban, busy
# servers; technical: the OA token or app is misconfigured; anything else (no Zalo account, phone
# invalid, user blocked the OA, template rejected) will not succeed on this channel: permanent,
# so the next channel (SMS) takes over.
TEMPORARY = {-32, -133, -144, -150, -1, -100, -200}
TECHNICAL = {-124, -216, -14}


# Key in Message.params marking a consultation reply (free text to a user id) rather than ZNS.
ZALO_KIND = "zalo_kind"
ZALO_CS = "cs"


def to_zalo_phone(phone: str) -> str:
    return "84" + phone[1:] if phone.startswith("0") else phone


class ZaloZnsProvider(Provider):
    name = "zalo_zns"
    channel = "zalo"

    def __init__(self, *, base_url: str | None = None, access_token: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.ZALO_API_URL).rstrip("/")
        self.access_token = settings.ZALO_ACCESS_TOKEN if access_token is None else access_token
        self.timeout = timeout or settings.NOTIFY_HTTP_TIMEOUT

    def payload(self, message) -> dict:
        params = message.params or {}
        template = message.template
        names = placeholders_in(template.body) if template else []
        return {
            "phone": to_zalo_phone(message.recipient),
            "template_id": template.provider_template_id if template else "",
            "template_data": {name: str(params.get(name, "")) for name in names},
            "tracking_id": message.dedupe_key,
        }

    def send(self, message) -> SendResult:
        if (message.params or {}).get(ZALO_KIND) == ZALO_CS:
            return ZaloOaMessageProvider(access_token=self.access_token, timeout=self.timeout).send(message)
        payload = self.payload(message)
        if not payload["template_id"]:
            return SendResult.permanent("Mẫu Zalo chưa có mã mẫu ZNS.")
        answer, failure = post_checked(
            f"{self.base_url}/message/template",
            payload,
            service="Zalo",
            unreachable="Không kết nối được Zalo",
            headers={"access_token": self.access_token},
            timeout=self.timeout,
        )
        if failure is not None:
            return failure
        return zalo_answer_result(answer, answer_details(answer))


def zalo_answer_result(answer, details: dict) -> SendResult:
    """Zalo's {"error": 0 | negative code, "message", "data"} answer sorted into a SendResult."""
    body = answer.body or {}
    if "error" not in body:
        return SendResult.technical(f"Zalo trả lời không đúng định dạng (HTTP {answer.status}).", **details)
    try:
        error = int(body.get("error"))
    except (TypeError, ValueError):
        return SendResult.technical(f"Mã lỗi Zalo không đọc được: {body.get('error')!r}", **details)
    if error == 0:
        data = body.get("data") or {}
        return SendResult.accepted(str(data.get("msg_id") or data.get("message_id") or ""), **details)
    reason = f"{error}: {body.get('message') or ''}"
    return result_by_code(error, reason, details, temporary=TEMPORARY, technical=TECHNICAL)


class ZaloOaMessageProvider(Provider):
    """Consultation replies: free text from the OA to one user id (no template, no phone)."""

    name = "zalo_oa"
    channel = "zalo"

    def __init__(self, *, base_url: str | None = None, access_token: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.ZALO_OA_API_URL).rstrip("/")
        self.access_token = settings.ZALO_ACCESS_TOKEN if access_token is None else access_token
        self.timeout = timeout or settings.NOTIFY_HTTP_TIMEOUT

    @staticmethod
    def payload(message) -> dict:
        return {"recipient": {"user_id": message.recipient}, "message": {"text": message.body}}

    def send(self, message) -> SendResult:
        if not message.recipient or not message.body.strip():
            return SendResult.permanent("Tin trả lời Zalo thiếu người nhận hoặc nội dung.")
        answer, failure = post_checked(
            f"{self.base_url}/message/cs",
            self.payload(message),
            service="Zalo",
            unreachable="Không kết nối được Zalo",
            headers={"access_token": self.access_token},
            timeout=self.timeout,
        )
        if failure is not None:
            return failure
        return zalo_answer_result(answer, answer_details(answer))
