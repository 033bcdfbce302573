"""A fake brandname SMS gateway speaking the JSON wire format our adapter uses.

POST (any path) {"ApiKey","SecretKey","Phone","Content","Brandname","SmsType","IsUnicode","RequestId"}
-> {"CodeResult": "100", "SMSID": "...", "ErrorMessage": ""}. A RequestId it already accepted is
answered with the same SMSID and is not texted again. Receipts go to --callback-url, signed with
HMAC-SHA256 of the body in X-Signature.

Inbound texts (MO, a citizen texting the province's number) are posted the same way:
`post_mo(url, phone=..., content=...)` sends {"MoId", "Phone", "ServiceNumber", "Content",
"ReceivedAt"} signed with the same callback secret in X-Signature.
"""

from __future__ import annotations

import argparse
import re
import uuid
from datetime import UTC, datetime

from .base import FakeProvider, common_arguments, common_kwargs, post_signed

_PHONE = re.compile(r"^0\d{9}$")
_TEMPORARY_CODE = "99"


class FakeSmsGateway(FakeProvider):
    def __init__(self, *, api_key: str = "", secret_key: str = "", **kwargs):
        super().__init__(**kwargs)
        self.api_key, self.secret_key = api_key, secret_key

    def handle_send(self, path, headers, body):
        request_id = str(body.get("RequestId") or "")
        if self.api_key and (body.get("ApiKey") != self.api_key or body.get("SecretKey") != self.secret_key):
            return 200, {"CodeResult": "101", "SMSID": "", "ErrorMessage": "Sai ApiKey hoặc SecretKey"}, {}
        if request_id and request_id in self.accepted:
            self.duplicates += 1
            return 200, {"CodeResult": "100", "SMSID": self.accepted[request_id]["sms_id"], "ErrorMessage": ""}, {}
        if not self.take_token():
            self.throttled += 1
            return 429, {"CodeResult": "429", "SMSID": "", "ErrorMessage": "Quá nhiều yêu cầu"}, {"Retry-After": "1"}
        phone = str(body.get("Phone") or "")
        if not _PHONE.match(phone):
            return 200, {"CodeResult": "118", "SMSID": "", "ErrorMessage": "Số điện thoại không hợp lệ"}, {}
        if not body.get("Brandname"):
            return 200, {"CodeResult": "104", "SMSID": "", "ErrorMessage": "Brandname chưa đăng ký"}, {}
        failure = self.injected_failure(phone)
        if failure is not None:
            code = _TEMPORARY_CODE if failure == "temporary" else str(failure)
            return 200, {"CodeResult": code, "SMSID": "", "ErrorMessage": f"Lỗi giả lập {code}"}, {}
        sms_id = uuid.uuid4().hex
        if request_id:
            self.accepted[request_id] = {"sms_id": sms_id, "phone": phone, "content": body.get("Content", "")}
        self.handset[request_id or sms_id] += 1
        self.queue_receipt(
            {
                "CallbackId": uuid.uuid4().hex,
                "SMSID": sms_id,
                "RequestId": request_id,
                "Phone": phone,
                "Status": "DELIVERED",
                "ErrorCode": "",
            }
        )
        return 200, {"CodeResult": "100", "SMSID": sms_id, "ErrorMessage": ""}, {}

    def mo_payload(self, *, phone: str, content: str, service_number: str = "8079", mo_id: str = "") -> dict:
        return {
            "MoId": mo_id or uuid.uuid4().hex,
            "Phone": phone,
            "ServiceNumber": service_number,
            "Content": content,
            "ReceivedAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    def post_mo(self, url: str, payload: dict) -> tuple[int, bytes]:
        """POST one inbound text to our webhook, signed like a receipt; (HTTP status, answer body)."""
        raw, signature = self.signed(payload)
        return post_signed(url, raw, {"X-Signature": signature})


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common_arguments(parser)
    parser.add_argument("--api-key", default="")
    parser.add_argument("--secret-key", default="")
    args = parser.parse_args(argv)
    FakeSmsGateway(
        api_key=args.api_key,
        secret_key=args.secret_key,
        **common_kwargs(args, default_port=8025),
    ).serve_forever()


if __name__ == "__main__":
    main()
