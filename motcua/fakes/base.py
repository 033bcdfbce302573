"""What the HTTP fakes share (SMS, Zalo, payment gateway): a threaded stdlib HTTP server, a rate limit,
failure injection, signed receipts."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def post_signed(url: str, raw: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST a signed JSON body to one of our webhooks the way a provider does; (HTTP status, answer body),
    status 0 when nobody answers (a callback that does not arrive is what real networks do too)."""
    try:
        request = urllib.request.Request(
            url, data=raw, method="POST", headers={"Content-Type": "application/json", **headers}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:  # nobody listening, or no address at all
        return 0, str(exc).encode()


class LocalServer:
    """A fake's threaded stdlib HTTP server on `host:port` (port 0: any free one), serving the
    handler class `_handler()` returns. Subclasses set `host`, `port` and `_server = None`."""

    host: str
    port: int
    _server: ThreadingHTTPServer | None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        raise NotImplementedError

    def start(self):
        self._server = ThreadingHTTPServer((self.host, self.port), self._handler())
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    def serve_forever(self) -> None:
        self.start()
        print(f"{type(self).__name__} listening on {self.url}", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            self.stop()


class FakeProvider(LocalServer):
    """Subclasses implement `handle_send(path, headers, body) -> (status, dict, headers)`."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate: float = 0,
        fail_rate: float = 0.0,
        seed: int = 0,
        callback_url: str = "",
        callback_secret: str = "",
        auto_callbacks: bool = False,
    ):
        self.host, self.port = host, port
        self.rate = rate  # accepted sends per second; 0 = unlimited
        self.fail_rate = fail_rate  # share of new sends answered with a temporary error
        self.random = random.Random(seed)
        self.fail_next: list = []  # error codes answered to the next new sends, in order
        self.fail_recipients: dict[str, object] = {}  # recipient -> error code, every time
        self.callback_url, self.callback_secret = callback_url, callback_secret
        self.auto_callbacks = auto_callbacks
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.requests = 0
        self.throttled = 0
        self.duplicates = 0
        self.accepted: dict[str, dict] = {}  # client reference -> what was accepted
        self.handset = Counter()  # client reference -> times it reached the phone (must stay 1)
        self.receipts: list[dict] = []
        self._tokens, self._stamp = max(1.0, rate), time.monotonic()
        self._server: ThreadingHTTPServer | None = None

    # --- rate limit -------------------------------------------------------------------------

    def take_token(self) -> bool:
        if self.rate <= 0:
            return True
        now = time.monotonic()
        self._tokens = min(max(1.0, self.rate), self._tokens + (now - self._stamp) * self.rate)
        self._stamp = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    def injected_failure(self, recipient: str):
        if recipient in self.fail_recipients:
            return self.fail_recipients[recipient]
        if self.fail_next:
            return self.fail_next.pop(0)
        if self.fail_rate and self.random.random() < self.fail_rate:
            return "temporary"
        return None

    # --- receipts ---------------------------------------------------------------------------

    def signed(self, payload: dict) -> tuple[bytes, str]:
        raw = json.dumps(payload, ensure_ascii=False).encode()
        return raw, hmac.new(self.callback_secret.encode(), raw, hashlib.sha256).hexdigest()

    def queue_receipt(self, payload: dict) -> None:
        self.receipts.append(payload)
        if self.auto_callbacks and self.callback_url:
            threading.Thread(target=self.post_receipt, args=(payload,), daemon=True).start()

    def post_receipt(self, payload: dict) -> int:
        raw, signature = self.signed(payload)
        return post_signed(self.callback_url, raw, {"X-Signature": signature})[0]

    # --- server ------------------------------------------------------------------------------

    def handle_send(self, path: str, headers, body: dict) -> tuple[int, dict, dict]:  # pragma: no cover
        raise NotImplementedError

    def stats(self) -> dict:
        with self.lock:
            return {
                "requests": self.requests,
                "throttled": self.throttled,
                "duplicates": self.duplicates,
                "accepted": len(self.accepted),
                "handset": dict(self.handset),
                "receipts": len(self.receipts),
            }

    def wait_for(self, predicate, timeout: float = 10.0) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: predicate(self), timeout=timeout)

    def _handler(self):
        fake = self

        class Handler(QuietHandler):
            def _answer(self, status: int, body: dict, headers: dict | None = None):
                raw = json.dumps(body, ensure_ascii=False).encode()
                write_reply(self, status, raw, "application/json; charset=utf-8", headers)

            def do_GET(self):
                if self.path.startswith("/_stats"):
                    self._answer(200, fake.stats())
                else:
                    self._answer(404, {"error": "not found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw.decode("utf-8")) if raw else {}
                except ValueError:
                    body = None
                if self.path.startswith("/_control") and isinstance(body, dict):
                    with fake.lock:
                        for key in ("fail_next", "fail_rate", "rate", "fail_recipients"):
                            if key in body:
                                setattr(fake, key, body[key])
                    self._answer(200, {"ok": True})
                    return
                if not isinstance(body, dict):
                    self._answer(400, {"error": "invalid JSON"})
                    return
                with fake.changed:
                    fake.requests += 1
                    status, answer, headers = fake.handle_send(self.path, self.headers, body)
                    fake.changed.notify_all()
                self._answer(status, answer, headers)

        return Handler


class QuietHandler(BaseHTTPRequestHandler):
    """A keep-alive HTTP/1.1 handler that logs nothing; the fakes' request handlers build on it."""

    protocol_version = "HTTP/1.1"
    # Replies written in two sends would otherwise meet Nagle + delayed ACK: 40 ms each.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass


def write_reply(handler: BaseHTTPRequestHandler, status: int, raw: bytes, content_type: str, headers=None) -> None:
    """Send one whole HTTP answer: status, content type and length, the extra headers, the body."""
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(raw)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(raw)


def common_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--rate", type=float, default=0, help="accepted sends per second (0 = unlimited)")
    parser.add_argument("--fail-rate", type=float, default=0.0, help="share of sends answered with a temporary error")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--callback-url", default="")
    parser.add_argument("--callback-secret", default="")


def common_kwargs(args, *, default_port: int) -> dict:
    """FakeProvider keyword arguments from `common_arguments`; a callback URL turns receipts on."""
    return {
        "host": args.host,
        "port": args.port or default_port,
        "rate": args.rate,
        "fail_rate": args.fail_rate,
        "seed": args.seed,
        "callback_url": args.callback_url,
        "callback_secret": args.callback_secret,
        "auto_callbacks": bool(args.callback_url),
    }
