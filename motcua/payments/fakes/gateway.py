"""A local payment gateway sandbox speaking VNPAY 2.1.0 (see `motcua.payments.gateway.vnpay`).

GET  /paymentv2/vpcpay.html?vnp_...&vnp_SecureHash=...  the payment page ("Thanh toán" / "Hủy");
     a bad signature or merchant code gets an error page, as the real gateway does.
POST /paymentv2/pay  (form: token, action=pay|cancel)  decides the attempt: the signed result is
     sent to the merchant's IPN URL (GET, as VNPAY does) and the browser is redirected (302) to
     vnp_ReturnUrl with the same signed result.
GET  /_stats  counters, for tests.

The same checkout and result logic serves the pages Django shows under /thanh-toan/kenh/sandbox/
for `make run`, where the IPN is delivered in-process instead of over HTTP.
"""

from __future__ import annotations

import argparse
import datetime
import html
import itertools
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler
from zoneinfo import ZoneInfo

from motcua.core.text import format_vnd
from motcua.notifications.fakes.base import FakeProvider
from motcua.payments.channels.gateway.vnpay import signed_query, verify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
_txn_numbers = itertools.count(14830000)


class CheckoutError(Exception):
    pass


def checkout_open(params: dict[str, str], *, tmn_code: str, secret: str) -> dict[str, str]:
    """Check an incoming payment request as the gateway would; returns its parameters."""
    if not verify(params, secret):
        raise CheckoutError("Sai chữ ký (mã lỗi 70)")
    if tmn_code and params.get("vnp_TmnCode") != tmn_code:
        raise CheckoutError("Website này chưa được phê duyệt (mã lỗi 02)")
    amount = str(params.get("vnp_Amount") or "")
    if not amount.isdigit() or int(amount) <= 0 or not params.get("vnp_TxnRef") or not params.get("vnp_ReturnUrl"):
        raise CheckoutError("Dữ liệu gửi sang không đúng định dạng (mã lỗi 03)")
    return {k: v for k, v in params.items() if k != "vnp_SecureHash"}


def checkout_result(order: dict[str, str], *, pay: bool, secret: str, response_code: str | None = None) -> str:
    """The signed result query string for an attempt: paid ("00") or cancelled ("24")."""
    code = response_code or ("00" if pay else "24")
    result = {
        "vnp_Amount": order["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": order.get("vnp_OrderInfo", ""),
        "vnp_PayDate": datetime.datetime.now(TZ).strftime("%Y%m%d%H%M%S"),
        "vnp_ResponseCode": code,
        "vnp_TmnCode": order.get("vnp_TmnCode", ""),
        "vnp_TransactionNo": str(next(_txn_numbers)) if code == "00" else "0",
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": order["vnp_TxnRef"],
    }
    return signed_query(result, secret)


def checkout_page(order: dict[str, str], *, action: str, token: str) -> str:
    amount = int(order["vnp_Amount"]) // 100
    esc = html.escape
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Cổng thanh toán thử nghiệm</title></head>
<body style="font-family:sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem">
<h1>Cổng thanh toán thử nghiệm</h1>
<p>Đơn vị: <strong>{esc(order.get("vnp_TmnCode", ""))}</strong></p>
<p>Nội dung: {esc(order.get("vnp_OrderInfo", ""))}</p>
<p>Mã giao dịch: <code>{esc(order["vnp_TxnRef"])}</code></p>
<p style="font-size:1.5rem">Số tiền: <strong>{format_vnd(amount)}</strong></p>
<form method="post" action="{esc(action)}">
<input type="hidden" name="token" value="{esc(token)}">
<button type="submit" name="action" value="pay">Thanh toán</button>
<button type="submit" name="action" value="cancel">Hủy</button>
</form>
<p><small>Môi trường thử nghiệm: không có tiền thật được chuyển.</small></p>
</body></html>"""


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

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _send(self, status: int, body: str, content_type: str = "text/html", headers: dict | None = None):
                raw = body.encode()
                self.send_response(status)
                self.send_header("Content-Type", f"{content_type}; charset=utf-8")
                self.send_header("Content-Length", str(len(raw)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(raw)

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
