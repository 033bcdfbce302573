"""The fakes' one way of POSTing a signed callback to our webhooks (SMS receipts and inbound texts, Zalo events)."""

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from motcua.fakes.base import post_signed


@pytest.fixture
def receiver():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append((self.headers["Content-Type"], self.headers["X-Signature"], body))
            status = 401 if self.path == "/refuse" else 200
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"code": "bad_signature"}' if status == 401 else b'{"code": "ok"}')

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def test_the_body_and_signature_arrive_and_the_answer_comes_back(receiver):
    url, seen = receiver
    assert post_signed(url + "/ok", b'{"a": 1}', {"X-Signature": "abc"}) == (200, b'{"code": "ok"}')
    assert seen == [("application/json", "abc", b'{"a": 1}')]


def test_a_refusal_is_its_status_and_body(receiver):
    url, _seen = receiver
    assert post_signed(url + "/refuse", b"{}", {"X-Signature": "x"}) == (401, b'{"code": "bad_signature"}')


def test_nobody_listening_or_no_address_is_status_0(receiver):
    url, _seen = receiver
    closed = HTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    port = closed.server_port
    closed.server_close()
    assert post_signed(f"http://127.0.0.1:{port}/", b"{}", {})[0] == 0
    assert post_signed("", b"{}", {})[0] == 0
