"""A fake Zalo OA (ZNS) endpoint: POST /message/template with header access_token.

Body {"phone": "84...", "template_id", "template_data", "tracking_id"} ->
{"error": 0, "message": "Success", "data": {"msg_id", "sent_time"}}. A tracking_id it already
accepted gets the same msg_id back and is not delivered again. Phones listed in
`fail_recipients` answer e.g. -118 (no Zalo account).
"""

from __future__ import annotations

import argparse
import re
import time
import uuid

from .base import FakeProvider, common_arguments, common_kwargs

_PHONE = re.compile(r"^84\d{9}$")


class FakeZaloOA(FakeProvider):
    def __init__(self, *, access_token: str = "", templates: set[str] | None = None, **kwargs):
        super().__init__(**kwargs)
        self.access_token = access_token
        self.templates = templates  # None: any template id is approved

    def handle_send(self, path, headers, body):
        if not path.rstrip("/").endswith("/message/template"):
            return 404, {"error": -201, "message": "Unknown endpoint"}, {}
        if self.access_token and headers.get("access_token") != self.access_token:
            return 200, {"error": -124, "message": "Access token is invalid"}, {}
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


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    common_arguments(parser)
    parser.add_argument("--access-token", default="")
    args = parser.parse_args(argv)
    FakeZaloOA(
        access_token=args.access_token,
        **common_kwargs(args, default_port=8026),
    ).serve_forever()


if __name__ == "__main__":
    main()
