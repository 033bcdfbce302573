"""Local stand-ins for the payment gateway and the bank, speaking their wire formats.

`python -m motcua.payments.fakes.gateway --port 8030 --ipn-url http://127.0.0.1:8000/thanh-toan/kenh/cong/ipn/`
runs the gateway sandbox; `motcua.payments.fakes.bank.post_notification(...)` pushes a signed bank
notification. In tests, start the sandbox on an ephemeral port: `FakeGateway(...).start()`.
"""
