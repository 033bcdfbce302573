"""A fake Zalo OA: ZNS template messages, consultation messages, and the OA's signed webhook events.

ZNS: POST /message/template with header access_token, body
{"phone": "84...", "template_id", "template_data", "tracking_id"} ->
{"error": 0, "message": "Success", "data": {"msg_id", "sent_time"}}. A tracking_id it already
accepted gets the same msg_id back and is not delivered again. Phones listed in
`fail_recipients` answer e.g. -118 (no Zalo account).

Consultation message (OA API v3): POST /v3.0/oa/message/cs (any path ending in /message/cs) with
header access_token, body {"recipient": {"user_id"}, "message": {"text"}} ->
{"error": 0, "message": "Success", "data": {"message_id", "user_id"}}; kept in `cs_messages`.
User ids in `fail_recipients` answer their code (e.g. -230: the user has not written for 7 days).

Webhook: `post_event(url, payload)` sends an event the way Zalo does, with
X-ZEvent-Signature = "mac=" + sha256(app_id + raw body + the body's timestamp + OA secret key).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import time
import uuid

from .base import FakeProvider, common_arguments, common_kwargs, post_signed

_PHONE = re.compile(r"^84\d{9}$")


def event_signature(app_id: str, raw: bytes, timestamp: str, oa_secret_key: str) -> str:
    """Zalo's X-ZEvent-Signature value for one webhook event."""
    return "mac=" + hashlib.sha256(app_id.encode() + raw + timestamp.encode() + oa_secret_key.encode()).hexdigest()


class FakeZaloOA(FakeProvider):
    def __init__(
        self,
        *,
        access_token: str = "",
        templates: set[str] | None = None,
        app_id: str = "",
        oa_secret_key: str = "",
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.access_token = access_token
        self.templates = templates  # None: any template id is approved
        self.app_id, self.oa_secret_key = app_id, oa_secret_key
        self.cs_messages: list[dict] = []  # consultation messages accepted, in order

    def handle_send(self, path, headers, body):
        endpoint = path.split("?", 1)[0].rstrip("/")
        if not endpoint.endswith(("/message/template", "/message/cs")):
            return 404, {"error": -201, "message": "Unknown endpoint"}, {}
        if self.access_token and headers.get("access_token") != self.access_token:
            return 200, {"error": -124, "message": "Access token is invalid"}, {}
        if endpoint.endswith("/message/cs"):
            return self.handle_cs(body)
        tracking = str(body.get("tracking_id") or "")
        if tracking and tracking in self.accepted:
            self.duplicates += 1
            seen = self.accepted[tracking]
            return (
                200,
                {"error": 0, "message": "Success", "data": {"msg_id": seen["msg_id"], "sent_time": seen["sent_time"]}},
                {},
            )
        if not self.take_token():
            self.throttled += 1
            return 429, {"error": -32, "message": "Rate limit exceeded"}, {"Retry-After": "1"}
        phone = str(body.get("phone") or "")
        if not _PHONE.match(phone):
            return 200, {"error": -108, "message": "Phone number is invalid"}, {}
        template_id = str(body.get("template_id") or "")
        if not template_id or (self.templates is not None and template_id not in self.templates):
            return 200, {"error": -131, "message": "Template is not approved"}, {}
        failure = self.injected_failure(phone)
        if failure is not None:
            code = -144 if failure == "temporary" else int(failure)
            return 200, {"error": code, "message": f"Simulated error {code}"}, {}
        msg_id = uuid.uuid4().hex
        sent_time = str(int(time.time() * 1000))
        if tracking:
            self.accepted[tracking] = {
                "msg_id": msg_id,
                "sent_time": sent_time,
                "phone": phone,
                "template_id": template_id,
                "data": body.get("template_data") or {},
            }
        self.handset[tracking or msg_id] += 1
        self.queue_receipt(
            {
                "event_name": "user_received_message",
                "app_id": "fake",
                "timestamp": sent_time,
                "recipient": {"phone": phone},
                "message": {"msg_id": msg_id, "tracking_id": tracking, "delivery_time": sent_time},
            }
        )
        return 200, {"error": 0, "message": "Success", "data": {"msg_id": msg_id, "sent_time": sent_time}}, {}

    def handle_cs(self, body: dict):
        recipient, message = body.get("recipient"), body.get("message")
        user_id = str(recipient.get("user_id") or "") if isinstance(recipient, dict) else ""
        text = message.get("text") if isinstance(message, dict) else None
        if not user_id or not isinstance(text, str) or not text.strip():
            return 200, {"error": -201, "message": "Parameters are invalid"}, {}
        if len(text) > 2000:
            return 200, {"error": -201, "message": "Text is too long"}, {}
        if not self.take_token():
            self.throttled += 1
            return 429, {"error": -32, "message": "Rate limit exceeded"}, {"Retry-After": "1"}
        failure = self.injected_failure(user_id)
        if failure is not None:
            code = -144 if failure == "temporary" else int(failure)
            return 200, {"error": code, "message": f"Simulated error {code}"}, {}
        message_id = uuid.uuid4().hex
        self.cs_messages.append({"message_id": message_id, "user_id": user_id, "text": text, "body": body})
        self.handset[message_id] += 1
        return 200, {"error": 0, "message": "Success", "data": {"message_id": message_id, "user_id": user_id}}, {}

    def event(self, event_name: str, *, user_id: str, text: str = "", timestamp: int | None = None) -> dict:
        """A webhook event as Zalo shapes it: user_send_text, follow or unfollow."""
        stamp = str(timestamp if timestamp is not None else int(time.time() * 1000))
        oa_id = "fake-oa"
        payload: dict = {"app_id": self.app_id, "user_id_by_app": f"app-{user_id}", "event_name": event_name}
        if event_name in ("follow", "unfollow"):
            payload.update(oa_id=oa_id, follower={"id": user_id}, source="oa_profile")
        else:
            payload.update(
                sender={"id": user_id}, recipient={"id": oa_id}, message={"text": text, "msg_id": uuid.uuid4().hex}
            )
        payload["timestamp"] = stamp
        return payload

    def signed_event(self, payload: dict) -> tuple[bytes, str]:
        raw = json.dumps(payload, ensure_ascii=False).encode()
        return raw, event_signature(self.app_id, raw, str(payload.get("timestamp", "")), self.oa_secret_key)

    def post_event(self, url: str, payload: dict) -> tuple[int, bytes]:
        """POST one signed event to our webhook; (HTTP status, answer body)."""
        raw, signature = self.signed_event(payload)
        return post_signed(url, raw, {"X-ZEvent-Signature": signature})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common_arguments(parser)
    parser.add_argument("--access-token", default="")
    parser.add_argument("--app-id", default="")
    parser.add_argument("--oa-secret-key", default="")
    args = parser.parse_args(argv)
    FakeZaloOA(
        access_token=args.access_token,
        app_id=args.app_id,
        oa_secret_key=args.oa_secret_key,
        **common_kwargs(args, default_port=8026),
    ).serve_forever()


if __name__ == "__main__":
    main()
