"""Local stand-ins for outside services we cannot reach from here, speaking their real wire formats.

Each runs as a local HTTP server for tests (in a thread on an ephemeral port, e.g.
`FakeSmsGateway().start()`), demos and benchmarks:

- `python -m motcua.fakes.sms_gateway --port 8025` (or `motcua.fakes.zalo_oa`): SMS and Zalo OA;
- `python -m motcua.fakes.payment_gateway --port 8030 --ipn-url http://127.0.0.1:8000/thanh-toan/kenh/cong/ipn/`:
  the payment gateway sandbox; `motcua.fakes.bank.post_notification(...)` pushes a signed bank notification;
- `manage.py fake_oidc_provider`: the national sign-in (VNeID-style OpenID Connect) provider.
"""
