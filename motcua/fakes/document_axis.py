"""A fake of the national document axis, speaking the wire format of
`motcua.documents.exchange.axis` (EDXML bodies, small JSON answers).

It reads each message it is given with the real EDXML reader, delivers it to the inbox of every
organ in its To (a status to its one To), keeps it there until that organ acknowledges it, and
records everything in `sent`. Failure injection: `fail_next` (for the next sends, in order):
"temporary" -> HTTP 503, nothing delivered; any other value -> error_code 1 with that text.

    python -m motcua.fakes.document_axis --port 8027
"""

from __future__ import annotations

import argparse
import json
import threading
import uuid
from collections import defaultdict
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from motcua.fakes.base import LocalServer, QuietHandler, write_reply


class FakeDocumentAxis(LocalServer):
    def __init__(self, *, host: str = "127.0.0.1", port: int = 0):
        self.host, self.port = host, port
        self.lock = threading.Lock()
        self.sent: list[dict] = []  # every accepted message: id, from, to, kind
        self.inboxes: dict[str, dict[str, bytes]] = defaultdict(dict)  # organ -> id -> bytes
        self.fail_next: list[str] = []
        self.refused = 0
        self._server: ThreadingHTTPServer | None = None

    def accept(self, raw: bytes) -> tuple[int, dict]:
        from motcua.documents.exchange import edxml  # the real reader: the fake speaks the format

        try:
            if edxml.kind_of(raw) == "status":
                message = edxml.read_status(raw)
                kind, sender, recipients = "status", message.sender, [message.recipient]
            else:
                package = edxml.read_package(raw)
                kind, sender, recipients = "package", package.sender, package.recipients
        except edxml.EdxmlError as exc:
            self.refused += 1
            return 200, {"error_code": 2, "message": f"{exc.code}: {exc.message}"}
        with self.lock:
            if self.fail_next:
                failure = self.fail_next.pop(0)
                if failure == "temporary":
                    return 503, {"error_code": 503, "message": "Hệ thống đang bận"}
                return 200, {"error_code": 1, "message": str(failure)}
            message_id = uuid.uuid4().hex
            for organ in recipients:
                self.inboxes[organ.organ_id][message_id] = bytes(raw)
            self.sent.append(
                {"id": message_id, "kind": kind, "from": sender.organ_id, "to": [o.organ_id for o in recipients]}
            )
        return 200, {"error_code": 0, "id": message_id}

    def _handler(self):
        fake = self

        class Handler(QuietHandler):
            def _json(self, status: int, body: dict) -> None:
                write_reply(
                    self, status, json.dumps(body, ensure_ascii=False).encode(), "application/json; charset=utf-8"
                )

            def _organ(self) -> str:
                return (parse_qs(urlsplit(self.path).query).get("organ") or [""])[0]

            def do_GET(self):
                path = urlsplit(self.path).path
                organ = self._organ()
                with fake.lock:
                    box = fake.inboxes.get(organ, {})
                    if path == "/edxml/inbox":
                        return self._json(200, {"error_code": 0, "ids": list(box)})
                    if path.startswith("/edxml/message/"):
                        raw = box.get(unquote(path.rsplit("/", 1)[-1]))
                        if raw is None:
                            return self._json(404, {"error_code": 404, "message": "Không có thông điệp này"})
                        return write_reply(self, 200, raw, "application/xml; charset=utf-8")
                self._json(404, {"error_code": 404, "message": "not found"})

            def do_POST(self):
                path = urlsplit(self.path).path
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if path == "/edxml/send":
                    status, body = fake.accept(raw)
                    return self._json(status, body)
                if path.startswith("/edxml/ack/"):
                    with fake.lock:
                        fake.inboxes.get(self._organ(), {}).pop(unquote(path.rsplit("/", 1)[-1]), None)
                    return self._json(200, {"error_code": 0})
                self._json(404, {"error_code": 404, "message": "not found"})

        return Handler



def main(argv=None) -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    django.setup()  # the EDXML reader uses Django's translation
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8027)
    args = parser.parse_args(argv)
    FakeDocumentAxis(host=args.host, port=args.port).serve_forever()


if __name__ == "__main__":
    main()
