"""A local payment gateway sandbox speaking VNPAY 2.1.0 (see `motcua.payments.channels.gateway.vnpay`).

GET  /paymentv2/vpcpay.html?vnp_...&vnp_SecureHash=...  the payment page ("Thanh toán" / "Hủy");
     a bad signature or merchant code gets an error page, as the real gateway does.
POST /paymentv2/pay  (form: token, action=pay|cancel)  decides the attempt: the signed result is
     sent to the merchant's IPN URL (GET, as VNPAY does) and the browser is redirected (302) to
     vnp_ReturnUrl with the same signed result.
GET  /_stats  counters, for tests.

The checkout and result logic is `motcua.payments.channels.gateway.sandbox`, which also serves the pages Django
shows under /thanh-toan/kenh/sandbox/ for `make run`, where the IPN is delivered in-process.
"""

from __future__ import annotations

import argparse
import html
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from motcua.fakes.base import FakeProvider, QuietHandler, write_reply
from motcua.payments.channels.gateway.sandbox import CheckoutError, checkout_open, checkout_page, checkout_result


class FakeGateway(FakeProvider):
    """The sandbox as a real HTTP server (tests, `python -m`)."""

    def __init__(self, *, tmn_code: str = "", hash_secret: str = "", ipn_url: str = "", **kwargs):
        super().__init__(**kwargs)
        self.tmn_code, self.hash_secret, self.ipn_url = tmn_code, hash_secret, ipn_url
        self.pending: dict[str, dict] = {}
        self.results: list[str] = []  # every signed result query, in order (tests replay them)
        self.ipn_answers: list[tuple[int, dict | None]] = []

    def send_ipn(self, query: str) -> tuple[int, dict | None]:
        """GET the merchant's IPN URL with a signed result, as VNPAY does; returns (status, JSON answer)."""
        separator = "&" if "?" in self.ipn_url else "?"
        try:
            with urllib.request.urlopen(self.ipn_url + separator + query, timeout=10) as response:
                answer = (response.status, json.loads(response.read().decode() or "null"))
        except urllib.error.HTTPError as exc:
            answer = (exc.code, None)
        except Exception:  # an unreachable merchant: the real gateway retries later, we just record it
            answer = (0, None)
        with self.changed:
            self.ipn_answers.append(answer)
            self.changed.notify_all()
        return answer

    def stats(self) -> dict:
        with self.lock:
            return {"pending": len(self.pending), "results": len(self.results), "ipn_answers": self.ipn_answers}

    def _handler(self):
        fake = self

        class Handler(QuietHandler):
            def _send(self, status: int, body: str, content_type: str = "text/html", headers: dict | None = None):
                write_reply(self, status, body.encode(), f"{content_type}; charset=utf-8", headers)

            def do_GET(self):
                path, _, query = self.path.partition("?")
                if path == "/_stats":
                    self._send(200, json.dumps(fake.stats()), "application/json")
                    return
                if path != "/paymentv2/vpcpay.html":
                    self._send(404, "not found", "text/plain")
                    return
                params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
                try:
                    order = checkout_open(params, tmn_code=fake.tmn_code, secret=fake.hash_secret)
                except CheckoutError as exc:
                    self._send(400, f"<!doctype html><p>{html.escape(str(exc))}</p>")
                    return
                token = secrets.token_urlsafe(12)
                with fake.lock:
                    fake.requests += 1
                    fake.pending[token] = order
                self._send(200, checkout_page(order, action="/paymentv2/pay", token=token))

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != "/paymentv2/pay":
                    self._send(404, "not found", "text/plain")
                    return
                with fake.lock:
                    order = fake.pending.pop(form.get("token", ""), None)
                if order is None:
                    self._send(400, "<!doctype html><p>Phiên thanh toán đã hết hạn.</p>")
                    return
                query = checkout_result(order, pay=form.get("action") == "pay", secret=fake.hash_secret)
                with fake.lock:
                    fake.results.append(query)
                if fake.ipn_url:
                    # Server to server first, then the browser: the usual order, though not guaranteed.
                    fake.send_ipn(query)
                return_url = order["vnp_ReturnUrl"]
                location = return_url + ("&" if "?" in return_url else "?") + query
                self._send(302, "", "text/plain", {"Location": location})

        return Handler


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8030)
    parser.add_argument("--tmn-code", default="MOTCUA01")
    parser.add_argument("--hash-secret", default="dev-payment-hash-secret")
    parser.add_argument("--ipn-url", default="http://127.0.0.1:8000/thanh-toan/kenh/cong/ipn/")
    args = parser.parse_args(argv)
    FakeGateway(
        host=args.host, port=args.port, tmn_code=args.tmn_code, hash_secret=args.hash_secret, ipn_url=args.ipn_url
    ).serve_forever()


if __name__ == "__main__":
    main()
